/**
 * `mapOtlp`: a decoded request → drafts of the tools that sent it, plus an account of every item
 * (log record or data point) that was not used.
 * @module
 */
import { AttributeView } from './attributes.js';
import { mapClaudeEvent } from './claude-code.js';
import { mapCodexEvent } from './codex.js';
import { Collector, nameForReason } from './collect.js';
import { type EventName, eventNameOf } from './events.js';
import { mapGeminiEvent } from './gemini-cli.js';
import { mapMetrics } from './metrics.js';
import { emptyAttributes, type OtlpRequest } from './model.js';
import type { OtelMapResult } from './types.js';

function mapLogs(req: OtlpRequest, out: Collector): void {
  const view = new AttributeView(emptyAttributes(), emptyAttributes());
  const event: EventName = { tool: null, name: null };
  for (const res of req.resources) {
    for (const scope of res.scopes) {
      const logs = scope.logs;
      out.result.items += logs.length;
      for (let i = 0; i < logs.length; i++) {
        const rec = logs[i]!;
        if (rec.invalid !== null) {
          out.reject(`log record: ${rec.invalid}`);
          continue;
        }
        view.reset(rec.attributes, res.attributes);
        eventNameOf(rec, view, event);
        const name = event.name;
        if (name === null) out.ignore('log record without an event name');
        else if (event.tool === 'claude-code') mapClaudeEvent(name, rec, view, out);
        else if (event.tool === 'codex') mapCodexEvent(name, rec, view, out);
        else if (event.tool === 'gemini-cli') mapGeminiEvent(name, rec, view, out);
        else out.ignore(`${nameForReason(name)}: unknown event`);
      }
    }
  }
}

/** Maps a decoded request. Never throws on content: what cannot be used is counted, by reason. */
export function mapOtlp(req: OtlpRequest): OtelMapResult {
  const out = new Collector();
  if (req.signal === 'logs') mapLogs(req, out);
  else mapMetrics(req, out);
  return out.result;
}

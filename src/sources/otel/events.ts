/**
 * What the three tools' events have in common: finding the tool and event name of a log record,
 * its time, and the prompt fields of a prompt event.
 * @module
 */
import type { Tool } from '../../ledger/records.js';
import type { ActivityFields } from '../activity-draft.js';
import { charLength } from '../claude-code/prompts.js';
import { promptFingerprint } from '../fingerprint.js';
import { ABSENT, type AttributeView, INVALID } from './attributes.js';
import type { Collector } from './collect.js';
import type { OtlpLogRecord } from './model.js';
import { isoToMs } from './time.js';

export type OtelTool = Extract<Tool, 'claude-code' | 'codex' | 'gemini-cli'>;

/** Event-name prefixes (Claude Code's `body`, Codex's and Gemini CLI's `event.name`). */
export const EVENT_PREFIX: Record<OtelTool, string> = {
  'claude-code': 'claude_code.',
  codex: 'codex.',
  'gemini-cli': 'gemini_cli.',
};

function toolOfPrefix(name: string): OtelTool | null {
  // First letters first: this runs for every record.
  const c = name.charCodeAt(0);
  if (c === 99 /* c */) {
    if (name.startsWith('claude_code.')) return 'claude-code';
    if (name.startsWith('codex.')) return 'codex';
  } else if (c === 103 /* g */ && name.startsWith('gemini_cli.')) {
    return 'gemini-cli';
  }
  return null;
}

/** The tool behind a `service.name` (`claude-code`, `claude-code-desktop`, `codex_exec`, `gemini-cli` …). */
export function toolOfService(service: string | null): OtelTool | null {
  if (service === null) return null;
  if (service.startsWith('claude-code') || service.startsWith('claude_code')) return 'claude-code';
  if (service.startsWith('codex')) return 'codex';
  if (service.startsWith('gemini-cli') || service.startsWith('gemini_cli')) return 'gemini-cli';
  return null;
}

/** Tool and bare event name of a record (`api_request`), or the raw name when the tool is unknown. */
export interface EventName {
  tool: OtelTool | null;
  /** Without the tool's prefix; null when the record names no event at all. */
  name: string | null;
}

/**
 * Claude Code writes `claude_code.api_request` in `body` and the bare `api_request` in
 * `event.name`; Codex and Gemini CLI put the prefixed name in `event.name` (Gemini's body is
 * prose); newer SDKs set the LogRecord `event_name`. The first candidate with a known prefix
 * decides; without one, the first name present and the resource's `service.name` do.
 */
export function eventNameOf(rec: OtlpLogRecord, view: AttributeView, into: EventName): EventName {
  const field = rec.eventName;
  const attr = view.get('event.name');
  const named = typeof attr === 'string' && attr !== '' ? attr : null;
  // Only a body that looks like a name can be one: prose bodies (Gemini CLI's) never become reason keys.
  const body =
    typeof rec.body === 'string' && rec.body !== '' && rec.body.indexOf(' ') === -1 ? rec.body : null;
  const first = field ?? named;
  if (prefixed(field, into) || prefixed(named, into)) return into;
  if (body !== null && prefixed(body, into)) {
    if (first !== null) into.name = first;
    return into;
  }
  into.tool = toolOfService(view.text('service.name'));
  into.name = first ?? body;
  return into;
}

function prefixed(name: string | null, into: EventName): boolean {
  if (name === null) return false;
  const tool = toolOfPrefix(name);
  if (tool === null) return false;
  into.tool = tool;
  into.name = name.slice(EVENT_PREFIX[tool].length);
  return true;
}

/** `event.timestamp` when it is a valid ISO time, else the record's time, else its observed time. */
export function eventTime(rec: OtlpLogRecord, view: AttributeView): number | null {
  const iso = view.get('event.timestamp');
  if (typeof iso === 'string') {
    const t = isoToMs(iso);
    if (t !== null) return t;
  }
  return rec.timeMs ?? rec.observedMs;
}

/**
 * The session and time every metered event needs, or null after rejecting the event for the one
 * it lacks. `sessionKeys` are tried in order (Codex names the session `conversation.id`).
 */
export function sessionAndTime(
  event: string,
  rec: OtlpLogRecord,
  view: AttributeView,
  out: Collector,
  sessionKeys: readonly string[] = ['session.id'],
): { sessionId: string; ts: number } | null {
  let sessionId: string | null = null;
  for (const key of sessionKeys) if (sessionId === null) sessionId = view.text(key);
  if (sessionId === null) {
    out.reject(`${event}: no ${sessionKeys[0]}`);
    return null;
  }
  const ts = eventTime(rec, view);
  if (ts === null) {
    out.reject(`${event}: no timestamp`);
    return null;
  }
  return { sessionId, ts };
}

/** What the tools write instead of the prompt when prompt logging is off. */
const REDACTED = new Set(['<REDACTED>', '[REDACTED]', 'REDACTED']);

/**
 * Length and fingerprint of a prompt event. The text (sent when prompt logging is on; Gemini CLI
 * logs prompts by default) is only fingerprinted, never kept.
 */
export function promptFields(view: AttributeView): ActivityFields {
  const n = view.count('prompt_length');
  let promptLength = n >= 0 ? n : null;
  let promptFingerprintValue: string | null = null;
  const text = view.get('prompt');
  if (typeof text === 'string' && !REDACTED.has(text) && text.trim() !== '') {
    promptFingerprintValue = promptFingerprint(text);
    promptLength ??= charLength(text);
  }
  return { promptLength, promptFingerprint: promptFingerprintValue };
}

/** A short label of an error for `api_error` activities (never a long message). */
export function errorLabel(view: AttributeView, ...keys: string[]): string | null {
  for (const key of keys) {
    const v = view.text(key);
    if (v !== null) return v.length > 120 ? v.slice(0, 120) : v;
  }
  return null;
}

/** A count the event must carry; rejects the event and returns -1 when it is missing or unusable. */
export function requiredCount(view: AttributeView, event: string, key: string, out: Collector): number {
  const n = view.count(key);
  if (n === ABSENT) out.reject(`${event}: no ${key}`);
  else if (n === INVALID) out.reject(`${event}: invalid ${key}`);
  return n >= 0 ? n : -1;
}

/**
 * A count the tool leaves out when it has nothing to report (Codex's `cached_token_count` is an
 * `Option`): absent is 0, but a present unusable value still rejects the event (returns -1).
 */
export function optionalCount(view: AttributeView, event: string, key: string, out: Collector): number {
  const n = view.count(key);
  if (n === ABSENT) return 0;
  if (n === INVALID) {
    out.reject(`${event}: invalid ${key}`);
    return -1;
  }
  return n;
}

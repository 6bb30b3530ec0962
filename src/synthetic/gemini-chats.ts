/**
 * A small Gemini CLI data dir (`<root>/tmp/<projectHash>/chats/session-….jsonl`) in the chat
 * recording format of reference/formats.md §5.4, with its truth. Every model message is written
 * twice with the same `id` — first without tokens, then with them — so only last-write-wins
 * folding counts it once; `$set` metadata updates and a `$rewindTo` of a user message are mixed
 * in. Rewinds never drop a message that carries tokens, so the truth is unambiguous.
 * @module
 */
import { join } from 'node:path';
import { iso } from './claude-lines.js';
import { Rng } from './prng.js';
import { Corpus, humanPrompt } from './text.js';
import { type Truth, TruthLedger } from './truth.js';
import { JsonlWriter } from './writer.js';

export interface GeminiOptions {
  seed?: number;
  sessions?: number;
  startDate?: string;
  days?: number;
}

const MODELS: ReadonlyArray<readonly [string, number]> = [
  ['gemini-2.5-pro', 5],
  ['gemini-2.5-flash', 3],
  ['gemini-3-pro-preview', 2],
];

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Writes a few chat files under `root` and returns their truth (cost is null: no Google list prices here). */
export function generateGeminiChats(root: string, options: GeminiOptions = {}): Truth {
  const seed = options.seed ?? 1;
  const rng = Rng.derive(seed, 'gemini');
  const corpus = new Corpus(seed, 32);
  const truth = new TruthLedger();
  const startMs = Date.parse(`${options.startDate ?? '2026-09-01'}T00:00:00.000Z`);
  const days = options.days ?? 7;
  const sessions = options.sessions ?? 4;
  const projectHash = rng.hex(64);
  let files = 0;
  let bytes = 0;
  const stats: Record<string, number> = { rewrittenMessages: 0, rewinds: 0 };
  for (let s = 0; s < sessions; s++) {
    let ts = startMs + rng.int(0, days - 1) * 86_400_000 + rng.int(7, 20) * 3_600_000 + rng.int(0, 3_599_999);
    const d = new Date(ts);
    const sessionId = rng.uuid();
    const name = `session-${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${sessionId.slice(0, 8)}.jsonl`;
    const w = new JsonlWriter(join(root, 'tmp', projectHash, 'chats', name));
    w.line(
      JSON.stringify({ sessionId, projectHash, startTime: iso(ts), lastUpdated: iso(ts), kind: 'main' }),
    );
    let context = rng.int(4_000, 12_000);
    const turns = rng.int(2, 6);
    for (let t = 0; t < turns; t++) {
      ts += rng.int(20_000, 600_000);
      const userId = rng.uuid();
      w.line(
        JSON.stringify({
          id: userId,
          timestamp: iso(ts),
          type: 'user',
          content: [{ text: humanPrompt(rng, corpus) }],
        }),
      );
      if (rng.chance(0.2)) {
        // The user edited the prompt: the first version is rewound and sent again.
        w.line(JSON.stringify({ $rewindTo: userId }));
        w.line(
          JSON.stringify({
            id: rng.uuid(),
            timestamp: iso(ts + 900),
            type: 'user',
            content: [{ text: humanPrompt(rng, corpus) }],
          }),
        );
        stats.rewinds = (stats.rewinds ?? 0) + 1;
      }
      const model = rng.weighted(MODELS);
      const id = rng.uuid();
      ts += rng.int(2_000, 40_000);
      const text = corpus.text(rng, rng.int(80, 2_000));
      const toolCalls = rng.chance(0.5)
        ? [
            {
              id: `read_file-${ts}-${rng.hex(12)}`,
              name: 'read_file',
              args: { absolute_path: `/home/dev/app/src/${rng.hex(6)}.ts` },
              result: [
                {
                  functionResponse: {
                    id: rng.hex(8),
                    name: 'read_file',
                    response: { output: rng.pick(corpus.files).content.slice(0, 4_000) },
                  },
                },
              ],
              status: 'success',
              timestamp: iso(ts),
            },
          ]
        : undefined;
      const base = { id, timestamp: iso(ts), type: 'gemini', model, content: [{ text }] };
      w.line(JSON.stringify({ ...base, tokens: null }));
      const cached = t === 0 ? 0 : Math.floor(context * (0.5 + rng.next() * 0.45));
      const output = rng.int(20, 1_500);
      const thoughts = rng.int(0, 1_200);
      const tokens = {
        input: context,
        output,
        cached,
        thoughts,
        tool: 0,
        total: context + output + thoughts,
      };
      const final: Record<string, unknown> = { ...base, tokens };
      if (toolCalls !== undefined) final.toolCalls = toolCalls;
      if (thoughts > 0)
        final.thoughts = [{ subject: 'Planning', description: corpus.text(rng, 200), timestamp: iso(ts) }];
      w.line(JSON.stringify(final));
      stats.rewrittenMessages = (stats.rewrittenMessages ?? 0) + 1;
      truth.add(
        ts,
        model,
        {
          inputUncached: context - cached,
          cacheRead: cached,
          cacheWrite5m: 0,
          cacheWrite1h: 0,
          output: output + thoughts,
        },
        null,
      );
      w.line(JSON.stringify({ $set: { lastUpdated: iso(ts + 10) } }));
      context += output + Math.ceil(text.length / 4) + 500;
    }
    bytes += w.close();
    files++;
  }
  return truth.toTruth({
    tool: 'gemini-cli',
    generator: { name: 'gemini-chats', seed, sessions },
    files,
    bytes,
    stats,
  });
}

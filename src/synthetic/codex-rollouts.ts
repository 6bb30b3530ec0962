/**
 * A small Codex CLI home (`<root>/sessions/YYYY/MM/DD/rollout-….jsonl`) in the rollout format of
 * reference/formats.md §4.1, with its truth. Includes the token_count traps a parser must handle:
 * `info: null` rate-limit-only events and an identical token_count repeated right after the first.
 * @module
 */
import { join } from 'node:path';
import { iso } from './claude-lines.js';
import { Rng } from './prng.js';
import { Corpus, humanPrompt } from './text.js';
import { type Truth, TruthLedger } from './truth.js';
import { JsonlWriter } from './writer.js';

export interface CodexOptions {
  seed?: number;
  sessions?: number;
  startDate?: string;
  days?: number;
}

interface TokenUsage {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
  total_tokens: number;
}

const MODELS: ReadonlyArray<readonly [string, number]> = [
  ['gpt-5.4', 5],
  ['gpt-5.3-codex', 3],
  ['gpt-5.5', 2],
];

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Time-ordered id in the UUID v7 layout newer Codex builds use for threads. */
function uuidV7(rng: Rng, ts: number): string {
  const hex = ts.toString(16).padStart(12, '0');
  const r = rng.hex(20);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${r.slice(0, 3)}-${'89ab'[rng.int(0, 3)]}${r.slice(3, 6)}-${r.slice(6, 18)}`;
}

function line(ts: number, type: string, payload: unknown): string {
  return JSON.stringify({ timestamp: iso(ts), type, payload });
}

function rateLimits(rng: Rng, ts: number): Record<string, unknown> {
  return {
    primary: {
      used_percent: rng.int(1, 90),
      window_minutes: 300,
      resets_at: Math.floor(ts / 1000) + rng.int(60, 18_000),
    },
    secondary: {
      used_percent: rng.int(1, 90),
      window_minutes: 10_080,
      resets_at: Math.floor(ts / 1000) + 600_000,
    },
    credits: null,
    plan_type: 'pro',
  };
}

/** Writes a few rollout files under `root` and returns their truth (cost is null: no OpenAI list prices here). */
export function generateCodexRollouts(root: string, options: CodexOptions = {}): Truth {
  const seed = options.seed ?? 1;
  const rng = Rng.derive(seed, 'codex');
  const corpus = new Corpus(seed, 32);
  const truth = new TruthLedger();
  const startMs = Date.parse(`${options.startDate ?? '2026-09-01'}T00:00:00.000Z`);
  const days = options.days ?? 7;
  const sessions = options.sessions ?? 4;
  let files = 0;
  let bytes = 0;
  const stats: Record<string, number> = { nullInfoEvents: 0, repeatedTokenCounts: 0 };
  for (let s = 0; s < sessions; s++) {
    let ts = startMs + rng.int(0, days - 1) * 86_400_000 + rng.int(7, 20) * 3_600_000 + rng.int(0, 3_599_999);
    const d = new Date(ts);
    const id = uuidV7(rng, ts);
    const name = `rollout-${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}-${id}.jsonl`;
    const path = join(
      root,
      'sessions',
      String(d.getUTCFullYear()),
      pad(d.getUTCMonth() + 1),
      pad(d.getUTCDate()),
      name,
    );
    const w = new JsonlWriter(path);
    const cwd = `/home/dev/${rng.pick(['acme-api', 'billing-web', 'infra'])}`;
    w.line(
      line(ts, 'session_meta', {
        id,
        timestamp: iso(ts - 12),
        cwd,
        originator: 'codex_cli_rs',
        cli_version: `0.${rng.int(120, 150)}.0`,
        instructions: null,
        source: 'cli',
        model_provider: 'openai',
        git: {
          commit_hash: rng.hex(40),
          branch: 'main',
          repository_url: `git@github.com:acme/${cwd.split('/').pop()}.git`,
        },
      }),
    );
    const total: TokenUsage = {
      input_tokens: 0,
      cached_input_tokens: 0,
      output_tokens: 0,
      reasoning_output_tokens: 0,
      total_tokens: 0,
    };
    let context = rng.int(6_000, 14_000);
    const turns = rng.int(2, 5);
    for (let t = 0; t < turns; t++) {
      const model = rng.weighted(MODELS);
      ts += rng.int(200, 600);
      w.line(
        line(ts, 'turn_context', {
          turn_id: String(t + 1),
          cwd,
          approval_policy: 'on-request',
          sandbox_policy: { type: 'workspace-write', network_access: false },
          model,
          effort: rng.pick(['low', 'medium', 'high']),
          summary: 'auto',
        }),
      );
      const prompt = humanPrompt(rng, corpus);
      w.line(line(ts + 5, 'event_msg', { type: 'user_message', message: prompt, images: [] }));
      w.line(
        line(ts + 6, 'response_item', {
          type: 'message',
          role: 'user',
          content: [{ type: 'input_text', text: prompt }],
        }),
      );
      const steps = rng.int(1, 4);
      for (let k = 0; k < steps; k++) {
        ts += rng.int(2_000, 30_000);
        const input = context;
        const cached = k === 0 && t === 0 ? 0 : Math.floor(input * (0.6 + rng.next() * 0.35));
        const reasoning = rng.int(0, 800);
        const output = reasoning + rng.int(20, 1_500);
        const last: TokenUsage = {
          input_tokens: input,
          cached_input_tokens: cached,
          output_tokens: output,
          reasoning_output_tokens: reasoning,
          total_tokens: input + output,
        };
        total.input_tokens += input;
        total.cached_input_tokens += cached;
        total.output_tokens += output;
        total.reasoning_output_tokens += reasoning;
        total.total_tokens += input + output;
        w.line(
          line(ts, 'response_item', {
            type: 'reasoning',
            summary: [],
            content: null,
            encrypted_content: corpus.signature(rng),
          }),
        );
        const callId = `call_${rng.base62(24)}`;
        const command = rng.pick([
          'rg -n TODO src',
          'npm test',
          'git status --short',
          'sed -n 1,120p src/index.ts',
        ]);
        w.line(
          line(ts + 1, 'response_item', {
            type: 'function_call',
            name: 'shell',
            arguments: JSON.stringify({ command: ['bash', '-lc', command], workdir: cwd }),
            call_id: callId,
          }),
        );
        const stdout = rng.pick(corpus.files).content.slice(0, rng.int(200, 6_000));
        w.line(
          line(ts + 2, 'response_item', {
            type: 'function_call_output',
            call_id: callId,
            output: JSON.stringify({ output: stdout, metadata: { exit_code: 0, duration_seconds: 0.4 } }),
          }),
        );
        const event = {
          type: 'token_count',
          info: { total_token_usage: { ...total }, last_token_usage: last, model_context_window: 272_000 },
          rate_limits: rateLimits(rng, ts),
        };
        w.line(line(ts + 3, 'event_msg', event));
        truth.add(
          ts + 3,
          model,
          { inputUncached: input - cached, cacheRead: cached, cacheWrite5m: 0, cacheWrite1h: 0, output },
          null,
        );
        if (rng.chance(0.3)) {
          // Codex re-emits the same totals; counting it again would double the call.
          w.line(line(ts + 4, 'event_msg', event));
          stats.repeatedTokenCounts = (stats.repeatedTokenCounts ?? 0) + 1;
        }
        if (rng.chance(0.3)) {
          w.line(
            line(ts + 5, 'event_msg', { type: 'token_count', info: null, rate_limits: rateLimits(rng, ts) }),
          );
          stats.nullInfoEvents = (stats.nullInfoEvents ?? 0) + 1;
        }
        context += output + Math.ceil(stdout.length / 3.6);
      }
      w.line(
        line(ts + 10, 'event_msg', { type: 'agent_message', message: corpus.text(rng, rng.int(40, 600)) }),
      );
    }
    bytes += w.close();
    files++;
  }
  return truth.toTruth({
    tool: 'codex',
    generator: { name: 'codex-rollouts', seed, sessions },
    files,
    bytes,
    stats,
  });
}

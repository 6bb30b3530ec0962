/**
 * ccusage's rule for forked sub-agent rollouts (reference/formats.md §4.1 pitfall 4): a thread
 * spawned with its parent's history first replays the parent's `token_count` events, all written
 * within the same second. When the first two usage events of such a rollout share their UTC
 * second, every `token_count` of that second is a copy; its totals carry over, its usage does not
 * count again. The rule needs one event of look-ahead, so it runs once over the head of the file
 * before the streaming pass.
 * @module
 */
import { isUtf8 } from 'node:buffer';
import { readLines } from '../jsonl/line-reader.js';
import { parseTimestamp, secondOf, sessionOrigin } from './parser.js';
import { type CodexUsage, readUsage, sameUsage } from './usage.js';

export interface ReplayScan {
  /** False when the file does not show its `session_meta` yet: scan again next run. */
  decided: boolean;
  /** The UTC second of the replay burst, when there is one. */
  second: string | null;
}

/** ccusage looks for `thread_spawn` in the first 16 KiB; a session_meta line can be larger (instructions). */
const META_WINDOW = 256 * 1024;
const SCAN_CHUNK = 256 * 1024;
const TOKEN_COUNT = Buffer.from('"token_count"');
const SESSION_META = Buffer.from('"session_meta"');
const TIMESTAMP = /"timestamp"\s*:\s*"([^"]+)"/;

/** Thrown to stop the line reader early; never escapes this module. */
class ScanDone extends Error {}

function parseLine(buf: Buffer): Record<string, unknown> | null {
  if (!isUtf8(buf)) return null;
  try {
    const v: unknown = JSON.parse(buf.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function usageEvent(o: Record<string, unknown>): { ts: number; totals: CodexUsage | null } | null {
  if (o.type !== 'event_msg') return null;
  const payload = o.payload as Record<string, unknown> | null;
  if (typeof payload !== 'object' || payload === null || payload.type !== 'token_count') return null;
  const info = payload.info as Record<string, unknown> | null;
  if (typeof info !== 'object' || info === null) return null;
  const total = readUsage(info.total_token_usage);
  const last = readUsage(info.last_token_usage);
  if (total === 'invalid' || last === 'invalid' || (!total && !last)) return null;
  const ts = parseTimestamp(o.timestamp);
  return ts === null ? null : { ts, totals: total };
}

export async function scanReplayBurst(path: string): Promise<ReplayScan> {
  let decided = false;
  let mayReplay = false;
  let first: { second: string; totals: CodexUsage | null } | null = null;
  let second: string | null = null;
  try {
    await readLines(
      path,
      0,
      (buf, start, end, offset) => {
        const line = buf.subarray(start, end);
        if (!decided) {
          if (line.indexOf(SESSION_META) === -1) {
            if (offset + line.length > META_WINDOW) {
              decided = true;
              throw new ScanDone();
            }
            return;
          }
          const meta = parseLine(line);
          const payload = meta?.payload;
          if (meta?.type !== 'session_meta' || typeof payload !== 'object' || payload === null) return;
          decided = true;
          mayReplay = sessionOrigin(payload as Record<string, unknown>).mayReplay;
          if (!mayReplay) throw new ScanDone();
          return;
        }
        if (first !== null && line.indexOf(TOKEN_COUNT) === -1) {
          // Timestamps only grow: a line from a later second means the burst, if any, is over.
          const m = TIMESTAMP.exec(line.subarray(0, 120).toString('latin1'));
          const ts = m ? parseTimestamp(m[1]) : null;
          if (ts !== null && secondOf(ts) !== first.second) throw new ScanDone();
          return;
        }
        if (line.indexOf(TOKEN_COUNT) === -1) return;
        const o = parseLine(line);
        const event = o ? usageEvent(o) : null;
        if (!event) return;
        if (first === null) {
          first = { second: secondOf(event.ts), totals: event.totals };
          return;
        }
        // A repeated event (same totals) is not a second call; a copied history always moves on.
        if (event.totals && first.totals && sameUsage(event.totals, first.totals)) return;
        if (secondOf(event.ts) === first.second) second = first.second;
        throw new ScanDone();
      },
      undefined,
      { chunkBytes: SCAN_CHUNK },
    );
  } catch (err) {
    if (!(err instanceof ScanDone)) throw err;
  }
  return { decided, second: mayReplay ? second : null };
}

/**
 * The ground-truth oracle written next to every generated history (`truth.json`). The generator
 * knows which API calls are distinct (it created them), so it records each one exactly once —
 * the number a correct parser must reproduce after deduplicating streaming lines, resumed-session
 * copies and sidechain replays.
 * @module
 */

/** One distinct API call in canonical buckets (reference/formats.md §0.3). */
export interface CallUsage {
  inputUncached: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  output: number;
}

export interface Buckets {
  calls: number;
  input_uncached: number;
  cache_read: number;
  cache_write_5m: number;
  cache_write_1h: number;
  output: number;
  /** At list price (see list-prices.ts); null when a model has no known price. */
  cost_usd: number | null;
}

/** The same totals under the names of the `tokenyield report … --json` contract. */
export interface ReportTotals {
  calls: number;
  input_tokens: number;
  output_tokens: number;
  cache_write_tokens: number;
  cache_read_tokens: number;
  total_tokens: number;
  cost_usd: number | null;
  cache_write_5m: number;
  cache_write_1h: number;
}

export interface TruthDay {
  /** UTC calendar day of the call (timestamp of its final, kept line). */
  date: string;
  models: Record<string, Buckets>;
  totals: ReportTotals;
}

export interface Truth {
  schema: 1;
  tool: 'claude-code' | 'codex' | 'gemini-cli';
  generator: Record<string, unknown>;
  files: number;
  bytes: number;
  /** Counts of the traps the history contains (duplicate lines, replays, …), for reports. */
  stats: Record<string, number>;
  days: TruthDay[];
  totals: ReportTotals;
  /** Transcripts (relative to the root) that `appendToOneFile` may grow. */
  appendTargets?: string[];
  /** How many times `appendToOneFile` has grown this history. */
  appends?: number;
}

function emptyBuckets(): Buckets {
  return {
    calls: 0,
    input_uncached: 0,
    cache_read: 0,
    cache_write_5m: 0,
    cache_write_1h: 0,
    output: 0,
    cost_usd: 0,
  };
}

function addCost(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}

/** Rounds away float noise from summed costs without losing anything a 0.5 % check could see. */
function roundCost(c: number | null): number | null {
  return c === null ? null : Math.round(c * 1e9) / 1e9;
}

function toReport(b: Buckets): ReportTotals {
  const write = b.cache_write_5m + b.cache_write_1h;
  return {
    calls: b.calls,
    input_tokens: b.input_uncached,
    output_tokens: b.output,
    cache_write_tokens: write,
    cache_read_tokens: b.cache_read,
    total_tokens: b.input_uncached + b.output + write + b.cache_read,
    cost_usd: roundCost(b.cost_usd),
    cache_write_5m: b.cache_write_5m,
    cache_write_1h: b.cache_write_1h,
  };
}

function accumulate(into: Buckets, b: Buckets): void {
  into.calls += b.calls;
  into.input_uncached += b.input_uncached;
  into.cache_read += b.cache_read;
  into.cache_write_5m += b.cache_write_5m;
  into.cache_write_1h += b.cache_write_1h;
  into.output += b.output;
  into.cost_usd = addCost(into.cost_usd, b.cost_usd);
}

export function utcDay(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10);
}

/** Sums distinct calls per UTC day and model; bounded by days × models, not by calls. */
export class TruthLedger {
  private readonly days = new Map<string, Map<string, Buckets>>();

  add(ts: number, model: string, u: CallUsage, costUsd: number | null): void {
    const day = utcDay(ts);
    let models = this.days.get(day);
    if (models === undefined) {
      models = new Map();
      this.days.set(day, models);
    }
    let b = models.get(model);
    if (b === undefined) {
      b = emptyBuckets();
      models.set(model, b);
    }
    b.calls += 1;
    b.input_uncached += u.inputUncached;
    b.cache_read += u.cacheRead;
    b.cache_write_5m += u.cacheWrite5m;
    b.cache_write_1h += u.cacheWrite1h;
    b.output += u.output;
    b.cost_usd = addCost(b.cost_usd, costUsd);
  }

  merge(other: TruthLedger): void {
    for (const [day, models] of other.days) {
      for (const [model, b] of models) {
        let mine = this.days.get(day);
        if (mine === undefined) {
          mine = new Map();
          this.days.set(day, mine);
        }
        let into = mine.get(model);
        if (into === undefined) {
          into = emptyBuckets();
          mine.set(model, into);
        }
        accumulate(into, b);
      }
    }
  }

  get calls(): number {
    let n = 0;
    for (const models of this.days.values()) for (const b of models.values()) n += b.calls;
    return n;
  }

  toDays(): TruthDay[] {
    return [...this.days.keys()].sort().map((date) => {
      const models = this.days.get(date)!;
      const out: Record<string, Buckets> = {};
      const sum = emptyBuckets();
      for (const name of [...models.keys()].sort()) {
        const b = models.get(name)!;
        out[name] = { ...b, cost_usd: roundCost(b.cost_usd) };
        accumulate(sum, b);
      }
      return { date, models: out, totals: toReport(sum) };
    });
  }

  totals(): ReportTotals {
    const sum = emptyBuckets();
    for (const models of this.days.values()) for (const b of models.values()) accumulate(sum, b);
    return toReport(sum);
  }

  static fromDays(days: ReadonlyArray<TruthDay>): TruthLedger {
    const ledger = new TruthLedger();
    for (const d of days) {
      const models = new Map<string, Buckets>();
      for (const [name, b] of Object.entries(d.models)) models.set(name, { ...b });
      ledger.days.set(d.date, models);
    }
    return ledger;
  }

  toTruth(meta: Omit<Truth, 'schema' | 'days' | 'totals'>): Truth {
    return { schema: 1, ...meta, days: this.toDays(), totals: this.totals() };
  }
}

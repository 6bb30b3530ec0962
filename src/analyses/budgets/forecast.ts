/**
 * The burn-rate forecast of a budget period (docs/forecasting.md): weekday seasonality, a level
 * driven by adoption (seven-day agentic users) or, without adoption data, a damped trend;
 * projected period-end spend with an 80 % interval from simulation, and the date the limit is
 * reached. Pure: the caller reads the ledger, this only computes.
 * @module
 */
import { linearRegression, mean, median, quantileSorted, sampleCorrelation } from 'simple-statistics';
import type { AdoptionPoint } from './adoption.js';
import { datesBetween, weekdayOf } from './calendar.js';
import type { DailyAmount } from './spend.js';

/** Days the level and its driver are fitted on. */
export const FIT_DAYS = 28;
/** Days the weekday pattern is estimated from. */
export const SEASON_DAYS = 56;
/** Days the adoption trend is estimated from. */
export const ADOPTION_TREND_DAYS = 21;
/** Below this much history the forecast is a plain level (no weekday pattern, no trend). */
export const MIN_TREND_DAYS = 14;
/** Daily persistence of a trend that adoption does not explain (half-life about 34 days). */
export const TREND_DAMPING = 0.98;
const DEFAULT_DRAWS = 400;
/** Past weeks the interval is calibrated on (rolling origins one, two and three weeks back). */
export const CALIBRATION_WEEKS = 3;
const CALIBRATION_DRAWS = 200;
/** The most the calibration widens an interval (a zero-width band with any miss scores this). */
const MAX_CALIBRATION = 5;
const MIN_ADOPTERS = 5;

export type ForecastMethod = 'adoption' | 'trend' | 'level' | 'none';

export interface ForecastInput {
  /** The period's local dates, end exclusive. */
  periodStart: string;
  periodEnd: string;
  /** Today's local date (inside the period). */
  today: string;
  /** Share of today already elapsed, 0–1. */
  dayFraction: number;
  /** Complete local days before today, ascending and contiguous (0 for a day without spend). */
  history: DailyAmount[];
  /** Spend of today so far. */
  todaySoFar: number;
  /** Spend in the period so far, today included. */
  spentToDate: number;
  limit: number;
  /** When the limit was already reached (the caller knows from the days of the period). */
  exhaustedOn?: string | null;
  /** Seven-day active and agentic users per day (same dates as `history`), and the scope's headcount. */
  adoption?: { points: AdoptionPoint[]; headcount: number | null };
  /** Seeds the simulation, so the same inputs give the same interval. */
  seed: number;
  draws?: number;
}

export interface AdoptionTrend {
  /** People in the scope (directory), or the most ever active when the directory cannot say. */
  headcount: number;
  activeShare: number;
  agenticShare: number;
  /** The same shares 28 days earlier, when known. */
  activeShareMonthAgo: number | null;
  agenticShareMonthAgo: number | null;
  /** Change of the agentic share per 30 days, from the last 21 days. */
  agenticGrowthPerMonth: number;
  /** Spend per day of one more agentic user (deseasonalised). */
  spendPerAgenticUser: number;
  /** Agentic share the projection levels off at (it cannot pass the active share or 100 %). */
  ceilingShare: number;
}

export interface ForecastPoint {
  date: string;
  /** Cumulative period spend at the end of the day: 10th percentile, central, 90th percentile. */
  low: number;
  mid: number;
  high: number;
}

export interface Forecast {
  method: ForecastMethod;
  /** Days of history the level was fitted on. */
  fitDays: number;
  /** Spend of an average day now (weekday pattern removed). */
  burnRatePerDay: number;
  /** How that daily rate is moving, per day (from adoption or the damped trend). */
  trendPerDay: number;
  /** Mean spend of the last seven complete days, as spent. */
  lastWeekPerDay: number;
  /** Monday … Sunday, mean 1. */
  weekdayFactors: number[];
  /** Period-end spend: central projection and 80 % interval. */
  projected: { low: number; mid: number; high: number };
  /** The day the limit is reached on the central projection; null when not within the period. */
  exhaustsOn: string | null;
  /** 10th and 90th percentile of that day over the simulations; null when later than the period. */
  exhaustsRange: { early: string | null; late: string | null };
  /** Share of simulations in which the limit is reached within the period. */
  exhaustionProbability: number;
  /** Cumulative spend from today to the period's last day. */
  path: ForecastPoint[];
  adoption: AdoptionTrend | null;
  /** Relative standard deviation of a day around the fitted level. */
  dailyNoise: number;
  /**
   * How much each side of the simulated band (above and below the central projection) was widened
   * to match the forecast's own errors from one, two and three weeks ago (1: not at all), and how
   * many of those past forecasts could be scored.
   */
  calibration: { up: number; down: number; origins: number };
  notes: string[];
}

/** Small deterministic PRNG (mulberry32), so an interval does not change between two reads. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/**
 * Monday…Sunday factors with mean 1: each day against the centred seven-day mean around it, the
 * median per weekday (one holiday does not move it). Flat until every weekday has two such days.
 */
export function weekdayFactors(days: readonly DailyAmount[]): number[] {
  const flat = [1, 1, 1, 1, 1, 1, 1];
  if (days.length < MIN_TREND_DAYS) return flat;
  const ratios: number[][] = [[], [], [], [], [], [], []];
  for (let i = 3; i + 3 < days.length; i++) {
    let sum = 0;
    for (let k = i - 3; k <= i + 3; k++) sum += days[k]!.amount;
    const centred = sum / 7;
    if (centred > 0) ratios[weekdayOf(days[i]!.date)]!.push(days[i]!.amount / centred);
  }
  if (ratios.some((r) => r.length < 2)) return flat;
  const raw = ratios.map((r) => median(r));
  const rawMean = mean(raw);
  return rawMean > 0 ? raw.map((r) => r / rawMean) : flat;
}

interface Fit {
  /** Level now (deseasonalised spend per day at the last fitted day). */
  a: number;
  /** Change of the level per unit of the driver. */
  b: number;
  /** Covariance of (a, b), scaled for autocorrelated residuals. */
  cov: [[number, number], [number, number]];
  /** Deseasonalised level of each fitted day (`a + b·x`). */
  levels: number[];
  residuals: number[];
  /** Lag-1 autocorrelation of the residuals (0–0.8). */
  rho: number;
}

/**
 * Least squares of `y ≈ f·(a + b·x)` (x = 0 at the last day), weights from the weekday factors
 * `f`. Fitting in spend rather than dividing by `f` keeps near-empty weekends from blowing up.
 */
function fitLevel(y: number[], f: number[], x: number[] | null): Fit {
  const n = y.length;
  let suu = 0;
  let suv = 0;
  let svv = 0;
  let suy = 0;
  let svy = 0;
  for (let i = 0; i < n; i++) {
    const u = f[i]!;
    const v = x ? f[i]! * x[i]! : 0;
    suu += u * u;
    suv += u * v;
    svv += v * v;
    suy += u * y[i]!;
    svy += v * y[i]!;
  }
  let a: number;
  let b = 0;
  let inv: [[number, number], [number, number]];
  const det = suu * svv - suv * suv;
  if (x && det > 1e-9 * suu * svv && svv > 0) {
    a = (svv * suy - suv * svy) / det;
    b = (suu * svy - suv * suy) / det;
    inv = [
      [svv / det, -suv / det],
      [-suv / det, suu / det],
    ];
  } else {
    a = suu > 0 ? suy / suu : 0;
    inv = [
      [suu > 0 ? 1 / suu : 0, 0],
      [0, 0],
    ];
  }
  const levels = y.map((_, i) => a + b * (x ? x[i]! : 0));
  const residuals = y.map((v, i) => v - f[i]! * levels[i]!);
  const params = x && b !== 0 ? 2 : 1;
  const sse = residuals.reduce((s, e) => s + e * e, 0);
  const s2 = n > params ? sse / (n - params) : 0;
  let rho = 0;
  if (n >= 8) {
    const r = sampleCorrelation(residuals.slice(0, -1), residuals.slice(1));
    rho = Number.isFinite(r) ? Math.min(0.8, Math.max(0, r)) : 0;
  }
  // Autocorrelated residuals carry less information than their count: widen accordingly.
  const inflate = (1 + rho) / (1 - rho);
  const cov: [[number, number], [number, number]] = [
    [s2 * inflate * inv[0][0], s2 * inflate * inv[0][1]],
    [s2 * inflate * inv[1][0], s2 * inflate * inv[1][1]],
  ];
  return { a, b, cov, levels, residuals, rho };
}

/** Two correlated normal draws with covariance `cov` (Cholesky). */
function drawPair(cov: Fit['cov'], rand: () => number): [number, number] {
  const l11 = Math.sqrt(Math.max(0, cov[0][0]));
  const l21 = l11 > 0 ? cov[1][0] / l11 : 0;
  const l22 = Math.sqrt(Math.max(0, cov[1][1] - l21 * l21));
  const z1 = normal(rand);
  const z2 = normal(rand);
  return [l11 * z1, l21 * z1 + l22 * z2];
}

function slopeOf(values: number[]): number {
  if (values.length < 2) return 0;
  const m = linearRegression(values.map((v, i) => [i, v])).m;
  return Number.isFinite(m) ? m : 0;
}

/** Leading days before the first spend say nothing about the burn rate. */
function trimLeading(days: readonly DailyAmount[]): DailyAmount[] {
  const first = days.findIndex((d) => d.amount > 0);
  return first < 0 ? [] : days.slice(first);
}

interface Projection {
  method: ForecastMethod;
  fit: Fit | null;
  /**
   * Deseasonalised level h days after the last complete day, for given parameters. `levelOff`
   * (0–1) says where an adoption ramp stops between today's agentic users (0) and everyone active
   * (1); the central projection uses 1.
   */
  level: (h: number, a: number, b: number, adoptionScale: number, levelOff: number) => number;
  trendPerDay: number;
  adoption: AdoptionTrend | null;
  notes: string[];
}

function project(input: ForecastInput, window: DailyAmount[], factors: number[]): Projection {
  const notes: string[] = [];
  const y = window.map((d) => d.amount);
  const f = window.map((d) => factors[weekdayOf(d.date)]!);
  const n = window.length;
  const byDate = new Map((input.adoption?.points ?? []).map((p) => [p.date, p]));
  const points = window.map((d) => byDate.get(d.date));
  const covered = points.every((p) => p !== undefined);
  const agentic = covered ? points.map((p) => p!.agentic) : [];
  const active = covered ? points.map((p) => p!.active) : [];

  if (n >= MIN_TREND_DAYS && covered && mean(agentic) >= MIN_ADOPTERS) {
    const last = agentic[n - 1]!;
    const lastActive = active[n - 1]!;
    const x = agentic.map((v) => v - last);
    let fit = fitLevel(y, f, x);
    if (fit.b < 0) {
      // More agentic users never lower spend by themselves; a negative slope is noise.
      notes.push('Spend did not rise with agentic users over the fitted days: no adoption effect assumed.');
      fit = fitLevel(y, f, null);
    }
    const recentAgentic = agentic.slice(-ADOPTION_TREND_DAYS);
    const recentActive = active.slice(-ADOPTION_TREND_DAYS);
    const g = slopeOf(recentAgentic);
    const gActive = slopeOf(recentActive);
    const maxActive = Math.max(...active);
    const headcount = Math.max(input.adoption?.headcount ?? 0, maxActive, 1);
    const ceilingAt = (h: number) =>
      Math.max(last, Math.min(headcount, Math.max(0, lastActive + gActive * h)));
    const agenticAt = (h: number, scale: number, levelOff: number) =>
      Math.min(last + levelOff * (ceilingAt(h) - last), Math.max(0, last + g * scale * h));
    const monthAgo = n >= 29 ? points[n - 29] : undefined;
    const adoption: AdoptionTrend = {
      headcount,
      activeShare: lastActive / headcount,
      agenticShare: last / headcount,
      activeShareMonthAgo: monthAgo ? monthAgo.active / headcount : null,
      agenticShareMonthAgo: monthAgo ? monthAgo.agentic / headcount : null,
      agenticGrowthPerMonth: (g * 30) / headcount,
      spendPerAgenticUser: fit.b,
      ceilingShare: ceilingAt(365) / headcount,
    };
    return {
      method: 'adoption',
      fit,
      level: (h, a, b, scale, levelOff) => a + b * (agenticAt(h, scale, levelOff) - last),
      trendPerDay: fit.b * g,
      adoption,
      notes,
    };
  }
  if (n >= MIN_TREND_DAYS) {
    if (input.adoption && !covered)
      notes.push('Adoption data does not cover the fitted days: damped trend used.');
    const x = window.map((_, i) => i - (n - 1));
    const fit = fitLevel(y, f, x);
    const damped = (h: number) => (TREND_DAMPING * (1 - TREND_DAMPING ** h)) / (1 - TREND_DAMPING);
    return {
      method: 'trend',
      fit,
      level: (h, a, b) => a + b * damped(h),
      trendPerDay: fit.b,
      adoption: null,
      notes,
    };
  }
  if (n > 0) {
    notes.push(`Only ${n} day(s) of spend: the forecast assumes the average day continues, without a trend.`);
    const fit = fitLevel(y, f, null);
    return { method: 'level', fit, level: (_h, a) => a, trendPerDay: 0, adoption: null, notes };
  }
  notes.push('No spend yet: nothing to forecast from.');
  return { method: 'none', fit: null, level: () => 0, trendPerDay: 0, adoption: null, notes };
}

interface Simulation {
  p: Projection;
  factors: number[];
  window: DailyAmount[];
  /** Central cumulative spend at the end of each future day. */
  mid: number[];
  /** One cumulative path per simulated future. */
  paths: Float64Array[];
}

/**
 * The central projection and `draws` simulated futures from the complete days in `history`, over
 * `future` (the first of which counts only `firstDayShare`), starting from cumulative `start`.
 */
function simulate(
  input: ForecastInput,
  history: DailyAmount[],
  future: readonly string[],
  start: number,
  firstDayShare: number,
  draws: number,
  seed: number,
  fitFrom?: string,
): Simulation {
  const factors = weekdayFactors(history.slice(-SEASON_DAYS));
  const window = history.slice(-FIT_DAYS).filter((d) => fitFrom === undefined || d.date >= fitFrom);
  const p = project(input, window, factors);
  const a = p.fit?.a ?? 0;
  const b = p.fit?.b ?? 0;
  // h = 1 is the first day after the last complete one. `noise` is relative to the level.
  const dayAmount = (i: number, level: number, noise = 0) =>
    Math.max(0, (factors[weekdayOf(future[i]!)]! + noise) * level) * (i === 0 ? firstDayShare : 1);
  const mid: number[] = [];
  let cum = start;
  for (let i = 0; i < future.length; i++) {
    cum += dayAmount(i, p.level(i + 1, a, b, 1, 1));
    mid.push(cum);
  }
  const n = p.method === 'none' ? 0 : draws;
  const rand = prng(seed);
  // Each day's residual relative to the day's level (not to its weekday-scaled amount, which
  // would make a quiet Sunday's few dollars of noise a huge share).
  const rawRelative = p.fit
    ? p.fit.residuals.map((e, i) => (p.fit!.levels[i]! > 0 ? e / p.fit!.levels[i]! : 0))
    : [];
  // Centred, so that the noise widens the paths without moving them (the fit carries the level).
  const offset = rawRelative.length > 0 ? mean(rawRelative) : 0;
  const relative = rawRelative.map((r) => r - offset);
  const rho = p.fit?.rho ?? 0;
  const paths: Float64Array[] = [];
  for (let d = 0; d < n; d++) {
    const [da, db] = p.fit ? drawPair(p.fit.cov, rand) : [0, 0];
    // How the adoption ramp goes on is the largest unknown: half to one and a half times its
    // pace, and stopping anywhere between today's agentic users and everyone who uses AI at all
    // (nothing in the data says where a ramp levels off before it does).
    const scale = 0.5 + rand();
    const levelOff = rand();
    const path = new Float64Array(future.length);
    let c = start;
    let noise = 0;
    for (let i = 0; i < future.length; i++) {
      // Resampled residuals, carried from day to day with the residuals' own lag-1
      // autocorrelation (scaled to keep their spread), so a bad week stays a bad week.
      const shock = relative.length > 0 ? relative[Math.floor(rand() * relative.length)]! : 0;
      noise = i === 0 ? shock : rho * noise + Math.sqrt(1 - rho * rho) * shock;
      c += dayAmount(i, p.level(i + 1, a + da, b + db, scale, levelOff), noise);
      path[i] = c;
    }
    paths.push(path);
  }
  return { p, factors, window, mid, paths };
}

const quantile = (values: number[], p: number) =>
  values.length === 0
    ? Number.NaN
    : quantileSorted(
        [...values].sort((x, y) => x - y),
        p,
      );

/** Per day, the 10th and 90th percentile of the simulated cumulative paths. */
function bands(sim: Simulation): { low: number[]; high: number[] } {
  const low: number[] = [];
  const high: number[] = [];
  for (let i = 0; i < sim.mid.length; i++) {
    const day = sim.paths.map((path) => path[i]!);
    low.push(sim.paths.length > 0 ? Math.min(sim.mid[i]!, quantile(day, 0.1)) : sim.mid[i]!);
    high.push(sim.paths.length > 0 ? Math.max(sim.mid[i]!, quantile(day, 0.9)) : sim.mid[i]!);
  }
  return { low, high };
}

/**
 * The unit a band's side is scaled in: its own width, but at least a quarter of the whole band's,
 * so that a side the simulations barely reach (a ramp that can only slow down has little room
 * above the central projection) can still be widened when the forecast's errors say so.
 */
function sideUnits(mid: number, low: number, high: number): { up: number; down: number } {
  const floor = (high - low) / 4;
  return { up: Math.max(high - mid, floor), down: Math.max(mid - low, floor) };
}

/**
 * Rolling-origin calibration on the series itself: the forecast is re-run as it would have stood
 * one, two and three weeks ago (from the data before then only), and each day since is scored by
 * how far its real cumulative spend fell above (or below) the central projection, in units of
 * that side of the simulated band. Each side of today's band is widened by the 90th percentile of
 * its scores (split-conformal, 10 % per tail of an 80 % interval) when that is above 1: an
 * interval is never narrower than the forecast's own recent errors say. It is never narrowed,
 * because a week or three of errors cannot vouch for the months ahead.
 */
function calibrationScale(
  input: ForecastInput,
  history: DailyAmount[],
  method: ForecastMethod,
  draws: number,
): { up: number; down: number; origins: number } {
  const up: number[] = [];
  const down: number[] = [];
  let origins = 0;
  // The adoption series covers the main forecast's window only; past fits are limited to it.
  const firstAdoption = input.adoption?.points[0]?.date;
  for (let weeks = 1; weeks <= CALIBRATION_WEEKS; weeks++) {
    const cut = history.length - 7 * weeks;
    if (cut < MIN_TREND_DAYS) break;
    const before = history.slice(0, cut);
    const after = history.slice(cut);
    const sim = simulate(
      input,
      before,
      after.map((d) => d.date),
      0,
      1,
      draws,
      (input.seed ^ Math.imul(0x9e3779b9, weeks)) >>> 0,
      method === 'adoption' ? firstAdoption : undefined,
    );
    // A past forecast by another method says nothing about this one's errors.
    if (sim.p.method !== method || sim.paths.length === 0) continue;
    origins++;
    const { low, high } = bands(sim);
    let actual = 0;
    for (let i = 0; i < after.length; i++) {
      actual += after[i]!.amount;
      const mid = sim.mid[i]!;
      const unit = sideUnits(mid, low[i]!, high[i]!);
      const miss = actual - mid;
      const score = (width: number, by: number) => (by <= 0 ? 0 : width > 0 ? by / width : MAX_CALIBRATION);
      up.push(score(unit.up, miss));
      down.push(score(unit.down, -miss));
    }
  }
  // The conformal quantile of one tail: the ⌈(n + 1)·0.9⌉-th smallest score.
  const factor = (scores: number[]) => {
    if (scores.length === 0) return 1;
    const sorted = [...scores].sort((x, y) => x - y);
    const at = Math.min(sorted.length - 1, Math.ceil((sorted.length + 1) * 0.9) - 1);
    return Math.min(MAX_CALIBRATION, Math.max(1, sorted[at]!));
  };
  return { up: factor(up), down: factor(down), origins };
}

/** Forecast of the rest of the period, from the history up to yesterday. */
export function forecastPeriod(input: ForecastInput): Forecast {
  const history = trimLeading(input.history);
  const future = datesBetween(input.today, input.periodEnd);
  const remainingToday = Math.max(0, 1 - input.dayFraction);
  const draws = input.draws ?? DEFAULT_DRAWS;
  const sim = simulate(input, history, future, input.spentToDate, remainingToday, draws, input.seed);
  const { p, factors, window, mid } = sim;
  const a = p.fit?.a ?? 0;
  const already = input.spentToDate >= input.limit;
  const exhaustsOnMid = already
    ? (input.exhaustedOn ?? input.today)
    : (future[mid.findIndex((c) => c >= input.limit)] ?? null);

  const calibration =
    sim.paths.length > 0
      ? calibrationScale(input, history, p.method, Math.min(draws, CALIBRATION_DRAWS))
      : { up: 1, down: 1, origins: 0 };
  const { paths } = sim;
  const raw = bands(sim);
  // Each side of the band, widened by its calibration factor.
  const low: number[] = [];
  const high: number[] = [];
  for (let i = 0; i < mid.length; i++) {
    const unit = sideUnits(mid[i]!, raw.low[i]!, raw.high[i]!);
    low.push(Math.max(input.spentToDate, mid[i]! - calibration.down * unit.down));
    high.push(mid[i]! + calibration.up * unit.up);
  }
  const exhaustIndex = paths.map((path) => {
    if (already) return -1;
    const i = path.findIndex((c) => c >= input.limit);
    return i < 0 ? Number.POSITIVE_INFINITY : i;
  });
  const n = paths.length;
  const endMid = mid.length > 0 ? mid[mid.length - 1]! : input.spentToDate;
  const endLow = low.length > 0 ? low[low.length - 1]! : endMid;
  const endHigh = high.length > 0 ? high[high.length - 1]! : endMid;
  const path = future.map((date, i) => ({ date, low: low[i]!, mid: mid[i]!, high: high[i]! }));
  const hits = exhaustIndex.filter((i) => Number.isFinite(i)).length;
  const lastWeek = history.slice(-7);
  const rawRelative = p.fit
    ? p.fit.residuals.map((e, i) => (p.fit!.levels[i]! > 0 ? e / p.fit!.levels[i]! : 0))
    : [];
  const offset = rawRelative.length > 0 ? mean(rawRelative) : 0;
  const relative = rawRelative.map((r) => r - offset);
  return {
    method: p.method,
    fitDays: window.length,
    burnRatePerDay: Math.max(0, a),
    trendPerDay: p.trendPerDay,
    lastWeekPerDay: lastWeek.length > 0 ? mean(lastWeek.map((d) => d.amount)) : 0,
    weekdayFactors: factors,
    projected: { low: endLow, mid: endMid, high: endHigh },
    exhaustsOn: exhaustsOnMid,
    // The days the calibrated band's upper and lower edges reach the limit.
    exhaustsRange: already
      ? { early: exhaustsOnMid, late: exhaustsOnMid }
      : rangeAround(
          exhaustsOnMid,
          future[high.findIndex((c) => c >= input.limit)] ?? null,
          future[low.findIndex((c) => c >= input.limit)] ?? null,
        ),
    exhaustionProbability: already ? 1 : n > 0 ? hits / n : exhaustsOnMid ? 1 : 0,
    path,
    adoption: p.adoption,
    dailyNoise: relative.length > 1 ? Math.sqrt(mean(relative.map((r) => r * r))) : 0,
    calibration,
    notes: p.notes,
  };
}

/**
 * The simulated 10th–90th percentile days, widened to hold the central day (null is "after the
 * period", so it sorts last).
 */
function rangeAround(
  mid: string | null,
  early: string | null,
  late: string | null,
): { early: string | null; late: string | null } {
  const later = (a: string | null, b: string | null) => (a === null || b === null ? null : a > b ? a : b);
  const earlier = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);
  return { early: earlier(early, mid), late: later(late, mid) };
}

/** The local date on which cumulative spend of `days` first reaches `limit`, if it did. */
export function crossedOn(days: readonly DailyAmount[], limit: number): string | null {
  let cum = 0;
  for (const d of days) {
    cum += d.amount;
    if (cum >= limit) return d.date;
  }
  return null;
}

/**
 * How numbers read on screen. Units are always part of the text: a bare "0.38" says nothing.
 * @module
 */

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const usdSmall = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumSignificantDigits: 3,
});
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

const DASH = '—';

export function formatUsd(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  // Cents hide sub-cent sessions entirely; a few significant digits keep them visible.
  return n !== 0 && Math.abs(n) < 0.01 ? usdSmall.format(n) : usd.format(n);
}

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? DASH : whole.format(n);
}

export function formatDecimal(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? DASH : decimal.format(n);
}

export function formatTokens(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? DASH : compact.format(n);
}

/** A share in [0, 1] as a percentage. */
export function formatShare(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? DASH : `${decimal.format(n * 100)} %`;
}

/** Epoch milliseconds as a UTC date and time (the API's days are UTC). */
export function formatTimestamp(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDay(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  return new Date(ms).toISOString().slice(0, 10);
}

export const BAND_LABELS: Record<string, string> = {
  top_10: 'top 10 %',
  top_25: 'top 25 %',
  top_50: 'top 50 %',
  rest: 'rest',
};

/**
 * Human byte sizes for the generator CLI and the benchmark (`200m`, `2g`, `1.5G`, `512k`).
 * Binary units, because "a 2 GB history" is meant as a file-system size.
 * @module
 */

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmgt]?)i?b?\s*$/i.exec(text);
  if (m === null) throw new Error(`not a size: ${JSON.stringify(text)} (use e.g. 200m, 2g)`);
  const unit = UNITS[m[2]!.toLowerCase()]!;
  return Math.round(Number(m[1]) * unit);
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/**
 * Locates and runs the peer tool (ccusage 20.0.24) the generated histories are checked against.
 * The native binary is run directly, not through its Node launcher, so timings and memory are
 * ccusage's own.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where a ccusage install may live: the benchmark's private one, then a shared scratch one. */
export function ccusagePrefixes(repoRoot: string): string[] {
  return [join(repoRoot, 'bench', '.peer'), '/tmp/peer'];
}

/** Path of the ccusage executable under an npm prefix, or null when it is not installed there. */
export function ccusageUnder(prefix: string): string | null {
  const native = join(
    prefix,
    'node_modules',
    '@ccusage',
    `ccusage-${process.platform}-${process.arch}`,
    'bin',
    process.platform === 'win32' ? 'ccusage.exe' : 'ccusage',
  );
  if (existsSync(native)) {
    try {
      accessSync(native, constants.X_OK);
    } catch {
      // npm unpacks it without the execute bit; ccusage's own launcher sets it on first run too.
      chmodSync(native, 0o755);
    }
    return native;
  }
  const shim = join(prefix, 'node_modules', '.bin', 'ccusage');
  return existsSync(shim) ? shim : null;
}

export function findCcusage(repoRoot: string): string | null {
  for (const prefix of ccusagePrefixes(repoRoot)) {
    const bin = ccusageUnder(prefix);
    if (bin !== null) return bin;
  }
  return null;
}

export interface CcusageTotals {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  totalCost: number;
}

export interface CcusageDaily {
  daily: Array<
    CcusageTotals & {
      period: string;
      modelsUsed: string[];
      modelBreakdowns: Array<{
        modelName: string;
        inputTokens: number;
        outputTokens: number;
        cacheCreationTokens: number;
        cacheReadTokens: number;
        cost: number;
      }>;
    }
  >;
  totals: CcusageTotals;
}

/**
 * `ccusage daily --json --offline` in UTC with only the given data roots visible: HOME points
 * at an empty directory so no other agent's local data is picked up.
 */
export function ccusageDaily(bin: string, emptyHome: string, roots: Record<string, string>): CcusageDaily {
  const r = spawnSync(bin, ['daily', '--json', '--offline', '--timezone', 'UTC'], {
    env: { PATH: process.env.PATH ?? '', HOME: emptyHome, TZ: 'UTC', NO_COLOR: '1', ...roots },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`ccusage exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as CcusageDaily;
}

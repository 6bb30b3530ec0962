/**
 * Which ClickHouse the store talks to, and what that release offers beyond the subset every
 * supported release shares. The baseline is Debian's 18.16: no server-side query parameters, no
 * window functions, no DateTime64, LowCardinality only behind an experimental flag. The store's
 * queries use only that subset; a newer server only changes how columns are stored.
 * @module
 */

export interface ServerVersion {
  major: number;
  minor: number;
  patch: number;
  /** As the server printed it, e.g. `18.16.1` or `24.8.4.13`. */
  text: string;
}

/** Optional features, each decided from the version once at open. */
export interface ServerFeatures {
  /**
   * `LowCardinality(String)` for repeated names (tool, model, project …): dictionary-encoded,
   * smaller and faster to group by. Production-ready since 19.9; experimental before.
   */
  lowCardinality: boolean;
}

/** The oldest release the store is tested on. */
export const MINIMUM_VERSION: ServerVersion = { major: 18, minor: 16, patch: 0, text: '18.16' };

export function parseServerVersion(text: string): ServerVersion {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  if (!match) throw new Error(`Cannot read the ClickHouse version '${text}'.`);
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3] ?? 0),
    text: text.trim(),
  };
}

export function atLeast(version: ServerVersion, major: number, minor = 0): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}

export function featuresOf(version: ServerVersion): ServerFeatures {
  return { lowCardinality: atLeast(version, 19, 9) };
}

/** Refuses a server older than the baseline, with the reason. */
export function assertSupported(version: ServerVersion): void {
  if (!atLeast(version, MINIMUM_VERSION.major, MINIMUM_VERSION.minor)) {
    throw new Error(
      `ClickHouse ${version.text} is older than ${MINIMUM_VERSION.text}, the oldest release tokenyield supports.`,
    );
  }
}

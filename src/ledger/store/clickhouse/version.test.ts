import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from './schema.js';
import { assertSupported, featuresOf, parseServerVersion } from './version.js';

describe('server versions', () => {
  it('reads the versions servers print', () => {
    expect(parseServerVersion('18.16.1')).toMatchObject({ major: 18, minor: 16, patch: 1 });
    expect(parseServerVersion('24.8.4.13')).toMatchObject({
      major: 24,
      minor: 8,
      patch: 4,
      text: '24.8.4.13',
    });
    expect(parseServerVersion(' 19.9 ')).toMatchObject({ major: 19, minor: 9, patch: 0 });
    expect(() => parseServerVersion('unknown')).toThrow(/version 'unknown'/);
  });

  it('uses LowCardinality only where it is production-ready, and refuses servers older than 18.16', () => {
    expect(featuresOf(parseServerVersion('18.16.1')).lowCardinality).toBe(false);
    expect(featuresOf(parseServerVersion('19.8.3')).lowCardinality).toBe(false);
    expect(featuresOf(parseServerVersion('19.9.2')).lowCardinality).toBe(true);
    expect(featuresOf(parseServerVersion('25.3.1.1')).lowCardinality).toBe(true);
    expect(() => assertSupported(parseServerVersion('18.14.19'))).toThrow(/older than 18.16/);
    expect(() => assertSupported(parseServerVersion('18.16.1'))).not.toThrow();
  });

  it('writes the same tables for both, differing only in how names are stored', () => {
    const old = MIGRATIONS[0]!.statements({ lowCardinality: false }).map((s) => s.text);
    const current = MIGRATIONS[0]!.statements({ lowCardinality: true }).map((s) => s.text);
    expect(old).toHaveLength(current.length);
    expect(old.join('\n')).not.toMatch(/LowCardinality/);
    expect(current.join('\n')).toMatch(/tool LowCardinality\(String\)/);
    expect(current.join('\n')).toMatch(/model LowCardinality\(Nullable\(String\)\)/);
    const unwrap = (text: string) =>
      text
        .replaceAll('LowCardinality(Nullable(String))', 'Nullable(String)')
        .replaceAll('LowCardinality(String)', 'String');
    expect(current.map(unwrap)).toEqual(old);
  });
});

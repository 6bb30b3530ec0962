import { describe, expect, it } from 'vitest';
import { normalizeHeader } from './fields.js';
import { deploymentStatus, listOf, optionalBool, parseTime, RowError, shaList } from './values.js';

describe('parseTime', () => {
  it('reads ISO-8601 with and without zone, date-only, and epoch seconds or milliseconds', () => {
    expect(parseTime('2026-05-02T16:05:00Z')).toBe(Date.parse('2026-05-02T16:05:00Z'));
    expect(parseTime('2026-05-02T18:05:00+02:00')).toBe(Date.parse('2026-05-02T16:05:00Z'));
    expect(parseTime('2026-05-02T18:05:00+0200')).toBe(Date.parse('2026-05-02T16:05:00Z'));
    expect(parseTime('2026-05-02 16:05')).toBe(Date.parse('2026-05-02T16:05:00Z'));
    expect(parseTime('2026-05-02T16:05:00.250Z')).toBe(Date.parse('2026-05-02T16:05:00.250Z'));
    expect(parseTime('2026-05-02')).toBe(Date.parse('2026-05-02T00:00:00Z'));
    expect(parseTime(1778400000)).toBe(1778400000000);
    expect(parseTime('1778400000')).toBe(1778400000000);
    expect(parseTime(1778400000123)).toBe(1778400000123);
  });

  it('rejects impossible and non-date values instead of rolling them over', () => {
    for (const bad of [
      '2026-02-30',
      '2026-13-01T00:00:00Z',
      '2026-05-02T24:00:00Z',
      'yesterday',
      '',
      true,
      null,
      -5,
    ]) {
      expect(parseTime(bad)).toBeNull();
    }
  });
});

describe('cell readers', () => {
  it('normalises deployment status spellings and names an unknown one', () => {
    expect(['success', 'Succeeded', 'OK', 'deployed'].map(deploymentStatus)).toEqual(
      Array(4).fill('success'),
    );
    expect(['failed', 'FAILURE'].map(deploymentStatus)).toEqual(['failure', 'failure']);
    expect(['rolled_back', 'Rolled Back', 'rollback', 'rolled-back'].map(deploymentStatus)).toEqual(
      Array(4).fill('rolled_back'),
    );
    expect(deploymentStatus('running')).toBe('in_progress');
    expect(() => deploymentStatus('exploded')).toThrow(new RowError('unknown status "exploded"'));
    expect(() => deploymentStatus('')).toThrow(new RowError('missing status'));
  });

  it('splits SHA lists on spaces, semicolons and commas, and rejects non-SHAs', () => {
    expect(shaList('ABCDEF1; 1234567  89abcde,1234567', 'commits')).toEqual([
      'abcdef1',
      '1234567',
      '89abcde',
    ]);
    expect(shaList(['abcdef1', 'abcdef2 abcdef3'], 'commits')).toEqual(['abcdef1', 'abcdef2', 'abcdef3']);
    expect(shaList(undefined, 'commits')).toEqual([]);
    expect(() => shaList('abcdef1 main', 'commits')).toThrow('commits: "main" is not a commit SHA');
    expect(() => listOf({ a: 1 }, 'refs')).toThrow('refs: expected text or a list of text, got an object');
  });

  it('reads booleans from CSV text and JSON values', () => {
    expect([true, 'yes', 'TRUE', '1', 1].map((v) => optionalBool(v, 'p'))).toEqual(Array(5).fill(true));
    expect([false, 'no', 'false', '0'].map((v) => optionalBool(v, 'p'))).toEqual(Array(4).fill(false));
    expect(optionalBool('', 'p')).toBeNull();
    expect(() => optionalBool('maybe', 'production')).toThrow('production: expected true/false, got "maybe"');
  });

  it('folds header spellings to snake case', () => {
    expect(['\uFEFFFinished At', 'finishedAt', 'finished-at', ' FINISHED_AT '].map(normalizeHeader)).toEqual(
      Array(4).fill('finished_at'),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { EMPTY_TOKENS, type TokenBuckets } from '../../ledger/records.js';
import { isSameCall, pickBetter } from './dedup.js';

interface Copy {
  messageId: string | null;
  requestId: string | null;
  isSidechain: boolean;
  speed: 'standard' | 'fast' | null;
  tokens: TokenBuckets;
  tag: string;
}

const copy = (tag: string, over: Partial<Copy> = {}, tokens: Partial<TokenBuckets> = {}): Copy => ({
  messageId: 'msg',
  requestId: 'req',
  isSidechain: false,
  speed: 'standard',
  tokens: { ...EMPTY_TOKENS, ...tokens },
  tag,
  ...over,
});

describe('pickBetter', () => {
  it('keeps the copy with the larger total, placeholders lose', () => {
    const placeholder = copy('early', {}, { inputUncached: 3, cacheRead: 100, output: 2 });
    const final = copy('final', {}, { inputUncached: 3, cacheRead: 100, output: 388 });
    expect(pickBetter(placeholder, final).tag).toBe('final');
    expect(pickBetter(final, placeholder).tag).toBe('final');
  });

  it('counts cache writes of both TTLs in the total', () => {
    const a = copy('a', {}, { cacheWrite5m: 10 });
    const b = copy('b', {}, { cacheWrite1h: 11 });
    expect(pickBetter(a, b).tag).toBe('b');
  });

  it('breaks a tie by speed, then keeps the first', () => {
    const noSpeed = copy('none', { speed: null }, { output: 5 });
    const fast = copy('fast', { speed: 'fast' }, { output: 5 });
    expect(pickBetter(noSpeed, fast).tag).toBe('fast');
    expect(pickBetter(fast, noSpeed).tag).toBe('fast');
    expect(pickBetter(copy('first', {}, { output: 5 }), copy('second', {}, { output: 5 })).tag).toBe('first');
  });

  it('prefers the main chain over a bigger sidechain replay', () => {
    const main = copy('main', {}, { cacheRead: 20, output: 10 });
    const replay = copy(
      'replay',
      { isSidechain: true, requestId: 'req-btw' },
      { cacheRead: 50_000, output: 10 },
    );
    expect(pickBetter(main, replay).tag).toBe('main');
    expect(pickBetter(replay, main).tag).toBe('main');
  });
});

describe('isSameCall', () => {
  it('matches on message and request id, or on the message id when a sidechain is involved', () => {
    expect(isSameCall(copy('a'), copy('b'))).toBe(true);
    expect(isSameCall(copy('a'), copy('b', { requestId: 'other' }))).toBe(false);
    expect(isSameCall(copy('a'), copy('b', { requestId: 'other', isSidechain: true }))).toBe(true);
    expect(isSameCall(copy('a', { requestId: null }), copy('b', { requestId: null }))).toBe(true);
    expect(isSameCall(copy('a', { requestId: null }), copy('b'))).toBe(false);
    expect(isSameCall(copy('a', { messageId: 'x' }), copy('b'))).toBe(false);
  });
  it('never matches copies without a message id', () => {
    expect(isSameCall(copy('a', { messageId: null }), copy('b', { messageId: null }))).toBe(false);
  });
});

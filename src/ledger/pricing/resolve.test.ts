import { describe, expect, it } from 'vitest';
import { resolveModelPrice } from './book.js';
import { createPriceBook } from './config.js';
import { modelKey, parseModelName } from './resolve.js';

const book = createPriceBook();

describe('parseModelName', () => {
  it('lists the name with and without its snapshot date', () => {
    expect(parseModelName('claude-sonnet-4-5-20250929')).toEqual({
      candidates: ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
      fast: false,
      bedrockGeo: null,
    });
  });

  it('reads Bedrock ids: profile prefix, vendor and version suffix', () => {
    expect(parseModelName('us.anthropic.claude-opus-4-1-20250805-v1:0')).toEqual({
      candidates: ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
      fast: false,
      bedrockGeo: 'us',
    });
    expect(parseModelName('anthropic.claude-opus-4-6-v1')?.bedrockGeo).toBeNull();
    expect(
      parseModelName('arn:aws:bedrock:us-east-1:1:inference-profile/global.anthropic.claude-haiku-4-5-v1:0'),
    ).toMatchObject({ candidates: ['claude-haiku-4-5'], bedrockGeo: 'global' });
  });

  it('takes the -fast suffix as fast mode', () => {
    expect(parseModelName('claude-opus-4-6-fast[1m]')).toMatchObject({
      candidates: ['claude-opus-4-6'],
      fast: true,
    });
  });

  it('gives nothing to look up for synthetic or empty names', () => {
    expect(parseModelName('<synthetic>')).toBeNull();
    expect(parseModelName('   ')).toBeNull();
    expect(parseModelName('-fast')).toBeNull();
  });
});

describe('modelKey', () => {
  it('equates dotted and dashed versions and ignores case', () => {
    expect(modelKey('Claude-Opus-4.1')).toBe(modelKey('claude-opus-4-1'));
    expect(modelKey('gpt-5.1-codex')).toBe(modelKey('gpt-5-1-codex'));
    expect(modelKey('gpt-5-mini')).not.toBe(modelKey('gpt-5.1-mini'));
  });
});

describe('resolveModelPrice', () => {
  it.each([
    ['claude-sonnet-4-5', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    ['claude-opus-4-20250514', 'claude-opus-4'],
    ['claude-opus-4-0', 'claude-opus-4'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['claude-3-5-haiku-20241022', 'claude-3-5-haiku'],
    ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
    ['claude-opus-4-1', 'claude-opus-4-1'],
    ['claude-opus-4.1', 'claude-opus-4-1'],
    ['claude-opus-4-6[1m]', 'claude-opus-4-6'],
    ['claude-opus-4-6-fast', 'claude-opus-4-6'],
    ['anthropic/claude-sonnet-4-5', 'claude-sonnet-4-5'],
    ['openrouter/anthropic/claude-sonnet-4.6', 'claude-sonnet-4-6'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['global.anthropic.claude-opus-4-8-v1', 'claude-opus-4-8'],
    ['claude-sonnet-4-5@20250929', 'claude-sonnet-4-5'],
    ['claude-opus-4-6@default', 'claude-opus-4-6'],
    ['claude-mythos-preview', 'claude-mythos-5'],
    ['openai/gpt-5', 'gpt-5'],
    ['gpt-5-2025-08-07', 'gpt-5'],
    ['gpt-5.1-codex-max', 'gpt-5.1-codex-max'],
    ['GPT-5.4', 'gpt-5.4'],
    ['gemini/gemini-2.5-pro', 'gemini-2.5-pro'],
    ['google/gemini-2.5-flash', 'gemini-2.5-flash'],
    ['models/gemini-2.5-flash-lite', 'gemini-2.5-flash-lite'],
    ['gemini-3.1-pro-preview', 'gemini-3.1-pro'],
    ['gemini-2.5-flash-preview-05-20', 'gemini-2.5-flash'],
  ])('%s → %s', (model, expected) => {
    expect(resolveModelPrice(book, model)).toBe(expected);
  });

  it.each([
    'claude-haiku-4-6',
    'claude-opus',
    'claude-sonnet-4-5-turbo',
    'gpt-5.9',
    'gpt-4o',
    'gemini-3-pro',
    'my-gateway-model',
    '<synthetic>',
    '',
  ])('%j is unknown: no near-miss borrows a price', (model) => {
    expect(resolveModelPrice(book, model)).toBeUndefined();
  });
});

/**
 * Turns the model names tools write (`claude-sonnet-4-5-20250929`, `claude-opus-4-6[1m]`,
 * `us.anthropic.claude-…-v1:0`, `claude-…@20250929`, `openai/gpt-5`) into the names a price table
 * is keyed by. Matching never guesses by prefix: a name that does not reduce to a known model stays
 * unpriced rather than borrowing a relative's price.
 * @module
 */

export interface ParsedModelName {
  /** Names to look up, most specific first (e.g. with, then without, the snapshot date). */
  candidates: string[];
  /** The name carried the `-fast` suffix ccusage and some gateways use for fast mode. */
  fast: boolean;
  /** Bedrock inference-profile prefix (`us`, `eu`, `global` …), null when not a Bedrock id. */
  bedrockGeo: string | null;
}

/** Names tools use for calls that never reached a model (Claude Code's `<synthetic>`). */
const SYNTHETIC = /^<.*>$/;

const BEDROCK = /^(?:([a-z]+(?:-[a-z]+)?)\.)?anthropic\.(.+)$/;

/** Suffixes that mark a snapshot or channel of one model, stripped one after another. */
const VARIANT_SUFFIXES: readonly RegExp[] = [
  // Anthropic `-20250929`, OpenAI `-2025-08-07`
  /-(?:\d{8}|\d{4}-\d{2}-\d{2})$/,
  /-latest$/,
  // Gemini `-preview`, `-preview-06-17`, `-exp-03-25`
  /-(?:preview|exp)(?:-\d{2}-\d{2,4})?$/,
];

export function parseModelName(model: string): ParsedModelName | null {
  let name = model.trim().toLowerCase();
  if (name === '' || SYNTHETIC.test(name)) return null;

  // `[1m]` (1M-context session) and similar annotations do not change the model.
  name = name.replace(/(?:\[[^\]]*\])+$/, '');
  // Provider routes (`anthropic/`, `openrouter/anthropic/`, `models/`) and Bedrock ARNs end in the model id.
  name = name.slice(name.lastIndexOf('/') + 1);
  // Vertex AI pins a snapshot with `@20250929` (or `@default`).
  name = name.replace(/@.*$/, '');

  let bedrockGeo: string | null = null;
  const bedrock = BEDROCK.exec(name);
  if (bedrock) {
    bedrockGeo = bedrock[1] ?? null;
    name = bedrock[2]!.replace(/-v\d+(?::\d+)?$/, '');
  }

  const fast = name.endsWith('-fast');
  if (fast) name = name.slice(0, -'-fast'.length);
  if (name === '') return null;

  const candidates = [name];
  for (const suffix of VARIANT_SUFFIXES) {
    const stripped = name.replace(suffix, '');
    if (stripped !== name && stripped !== '') {
      name = stripped;
      candidates.push(name);
    }
  }
  return { candidates, fast, bedrockGeo };
}

/**
 * The key two spellings of one model share: case-insensitive, and a dot between version digits
 * equals a dash (`claude-opus-4.1` = `claude-opus-4-1`, `gpt-5-1` = `gpt-5.1`).
 */
export function modelKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/(\d)\.(?=\d)/g, '$1-');
}

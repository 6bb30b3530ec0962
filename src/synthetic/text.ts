/**
 * Deterministic filler text for synthetic transcripts: prose, thinking signatures, source files,
 * shell output. Real histories are dominated by file contents and tool output, so these decide
 * both the byte volume and how hard a parser's JSON decoding has to work (quotes, newlines,
 * non-ASCII). Large corpora are built once per seed and sliced, which keeps generation fast.
 * @module
 */
import { Rng } from './prng.js';

const WORDS = (
  'the a an and or but if then so because while when where which that this these those it its we you ' +
  'they should could would will can may might must not never always only also still just already ' +
  'function module handler request response cache token limit queue worker retry backoff timeout ' +
  'config schema migration index table column query transaction lock session user account order ' +
  'invoice payment webhook event stream buffer parser lexer router middleware controller service ' +
  'repository client server socket promise callback error exception stack trace log metric span ' +
  'test fixture mock snapshot assertion coverage build bundle deploy release branch commit merge ' +
  'diff patch file path directory package dependency version lockfile script command flag option ' +
  'value key map set list array string number boolean object type interface generic union field ' +
  'returns throws reads writes calls checks updates creates deletes renames moves splits joins ' +
  'first next last every each none some all more less fewer larger smaller slower faster safer ' +
  'correct wrong missing stale duplicate empty null undefined invalid unexpected expected actual'
).split(' ');

const NOUNS = (
  'order invoice customer account session token payment refund ledger report metric event batch job ' +
  'queue worker plan quota limit cache record entry profile team project repo branch build release ' +
  'config setting schema migration webhook channel message thread upload export import snapshot'
).split(' ');

const VERBS = (
  'get list create update delete load save parse render validate sync fetch compute resolve ' +
  'apply merge split flush retry schedule enqueue dispatch normalize encode decode format'
).split(' ');

const TYPES = ['string', 'number', 'boolean', 'Date', 'Buffer', 'unknown', 'Record<string, string>'];

export function capitalize(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

function sentence(rng: Rng): string {
  const n = rng.int(6, 22);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(rng.pick(WORDS));
  if (rng.chance(0.25)) words.splice(rng.int(0, words.length - 1), 0, `\`${rng.pick(NOUNS)}.ts\``);
  if (rng.chance(0.08)) words.push('—', rng.pick(WORDS));
  return `${capitalize(words.join(' '))}${rng.chance(0.9) ? '.' : '?'}`;
}

type Lang = 'ts' | 'py' | 'go';

function tsBlock(rng: Rng): string {
  const noun = rng.pick(NOUNS);
  const Noun = capitalize(noun);
  const verb = rng.pick(VERBS);
  const t = rng.pick(TYPES);
  const lines = [
    `/** ${sentence(rng)} */`,
    `export async function ${verb}${Noun}(id: ${t}, options: ${Noun}Options = {}): Promise<${Noun} | null> {`,
    `  const ${noun} = await this.${rng.pick(NOUNS)}Repo.${rng.pick(VERBS)}(id, { ...options, retries: ${rng.int(1, 9)} });`,
    `  if (!${noun}) {`,
    `    throw new Error(\`${noun} not found: \${String(id)}\`);`,
    '  }',
  ];
  const extra = rng.int(0, 6);
  for (let i = 0; i < extra; i++) {
    const v = rng.pick(NOUNS);
    lines.push(
      rng.chance(0.5)
        ? `  const ${v}${i} = ${noun}.${rng.pick(VERBS)}${capitalize(v)}(${rng.int(0, 500)}, "${rng.pick(WORDS)}");`
        : `  for (const item of ${noun}.${v}s ?? []) await this.${rng.pick(VERBS)}(item.id, '${rng.pick(WORDS)}');`,
    );
  }
  lines.push(`  return ${noun};`, '}', '');
  return lines.join('\n');
}

function pyBlock(rng: Rng): string {
  const noun = rng.pick(NOUNS);
  const verb = rng.pick(VERBS);
  const lines = [
    `def ${verb}_${noun}(self, ${noun}_id: str, *, retries: int = ${rng.int(1, 5)}) -> "${capitalize(noun)} | None":`,
    `    """${sentence(rng)}"""`,
    `    ${noun} = self.${rng.pick(NOUNS)}_repo.${rng.pick(VERBS)}(${noun}_id)`,
    `    if ${noun} is None:`,
    `        raise LookupError(f"${noun} {${noun}_id!r} not found")`,
  ];
  const extra = rng.int(0, 6);
  for (let i = 0; i < extra; i++) {
    lines.push(
      `    ${rng.pick(NOUNS)}_${i} = ${noun}.${rng.pick(VERBS)}(${rng.int(0, 99)}, "${rng.pick(WORDS)}")`,
    );
  }
  lines.push(`    return ${noun}`, '', '');
  return lines.join('\n');
}

function goBlock(rng: Rng): string {
  const Noun = capitalize(rng.pick(NOUNS));
  const verb = capitalize(rng.pick(VERBS));
  const lines = [
    `// ${verb}${Noun} ${sentence(rng).toLowerCase()}`,
    `func (s *Service) ${verb}${Noun}(ctx context.Context, id string) (*${Noun}, error) {`,
    `\tv, err := s.store.${capitalize(rng.pick(VERBS))}(ctx, id)`,
    '\tif err != nil {',
    `\t\treturn nil, fmt.Errorf("${verb.toLowerCase()} ${Noun.toLowerCase()} %q: %w", id, err)`,
    '\t}',
  ];
  const extra = rng.int(0, 5);
  for (let i = 0; i < extra; i++)
    lines.push(`\ts.metrics.${capitalize(rng.pick(NOUNS))}.Add(${rng.int(1, 64)})`);
  lines.push('\treturn v, nil', '}', '');
  return lines.join('\n');
}

function sourceFile(rng: Rng, lang: Lang, targetBytes: number): string {
  const header =
    lang === 'ts'
      ? `import { ${capitalize(rng.pick(NOUNS))} } from './${rng.pick(NOUNS)}.js';\nimport type { ${capitalize(rng.pick(NOUNS))}Options } from '../types.js';\n\n`
      : lang === 'py'
        ? `from __future__ import annotations\n\nimport logging\nfrom .${rng.pick(NOUNS)} import ${capitalize(rng.pick(NOUNS))}\n\n`
        : `package ${rng.pick(NOUNS)}\n\nimport (\n\t"context"\n\t"fmt"\n)\n\n`;
  const parts = [header];
  let size = header.length;
  const block = lang === 'ts' ? tsBlock : lang === 'py' ? pyBlock : goBlock;
  while (size < targetBytes) {
    const b = block(rng);
    parts.push(b);
    size += b.length;
  }
  return parts.join('');
}

export interface PoolFile {
  content: string;
  lang: Lang;
  lineCount: number;
  /** `cat -n`-style rendering (Claude Code's Read output), built on first use. */
  numbered: string | null;
}

/** Source files and text shared by every project of one generated history. */
export class Corpus {
  readonly prose: string;
  readonly base64: string;
  readonly files: PoolFile[];

  constructor(seed: number, poolSize = 384) {
    const rng = Rng.derive(seed, 'corpus');
    const prose: string[] = [];
    let n = 0;
    while (n < 192 * 1024) {
      const s = sentence(rng);
      prose.push(s);
      n += s.length + 1;
    }
    this.prose = prose.join(' ');
    const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const sig: string[] = [];
    for (let i = 0; i < 48 * 1024; i++) sig.push(b64[rng.int(0, 63)]!);
    this.base64 = sig.join('');
    this.files = [];
    for (let i = 0; i < poolSize; i++) {
      const lang: Lang = rng.weighted([
        ['ts', 6],
        ['py', 2],
        ['go', 2],
      ]);
      // Most source files are a few KB; a few are huge generated or vendored ones.
      const size = Math.min(240_000, Math.max(300, Math.round(rng.logNormal(5_000, 1.05))));
      const content = sourceFile(rng, lang, size);
      let lines = 1;
      for (let j = 0; j < content.length; j++) if (content.charCodeAt(j) === 10) lines++;
      this.files.push({ content, lang, lineCount: lines, numbered: null });
    }
  }

  /** About `chars` characters of prose starting at a word boundary. */
  text(rng: Rng, chars: number): string {
    const len = Math.max(1, Math.min(chars, this.prose.length - 1));
    let start = rng.int(0, this.prose.length - len);
    const space = this.prose.indexOf(' ', start);
    if (space >= 0 && space + len <= this.prose.length) start = space + 1;
    return this.prose.slice(start, start + len).trim();
  }

  /** Thinking-block signatures are long opaque base64 strings. */
  signature(rng: Rng): string {
    const len = 4 * rng.int(80, 400);
    const start = rng.int(0, this.base64.length - len);
    return this.base64.slice(start, start + len);
  }

  numbered(file: PoolFile): string {
    if (file.numbered === null) {
      const lines = file.content.split('\n');
      const out: string[] = new Array(lines.length);
      for (let i = 0; i < lines.length; i++) out[i] = `${String(i + 1).padStart(6)}→${lines[i]}`;
      file.numbered = out.join('\n');
    }
    return file.numbered;
  }
}

export function word(rng: Rng): string {
  return rng.pick(WORDS);
}

export function noun(rng: Rng): string {
  return rng.pick(NOUNS);
}

export function verb(rng: Rng): string {
  return rng.pick(VERBS);
}

/** A file path inside a project, stable for a given (project, index). */
export function projectPath(rng: Rng, lang: Lang): string {
  const dir = rng.pick([
    'src',
    'src/lib',
    'src/api',
    'src/core',
    'internal',
    'pkg',
    'app',
    'tests',
    'scripts',
  ]);
  const ext = lang === 'ts' ? rng.pick(['.ts', '.ts', '.tsx', '.test.ts']) : lang === 'py' ? '.py' : '.go';
  return `${dir}/${rng.pick(NOUNS)}-${rng.pick(VERBS)}${ext}`;
}

const PROMPTS: ReadonlyArray<(r: Rng) => string> = [
  (r: Rng) => `Fix the failing test in ${projectPath(r, 'ts')}`,
  (r: Rng) => `Add ${noun(r)} ${verb(r)} support to the ${noun(r)} service, with tests`,
  (r: Rng) => `Why does ${verb(r)}${capitalize(noun(r))} return null when the ${noun(r)} is ${word(r)}?`,
  (r: Rng) => `Refactor the ${noun(r)} module so that ${noun(r)} handling is in one place`,
  () => 'Review my changes on this branch and tell me what is risky',
  () => 'Run the tests and fix whatever fails',
  () => 'commit this',
  () => 'yes, go ahead',
  (r: Rng) => `Can you explain how the ${noun(r)} ${noun(r)} flow works end to end?`,
  (r: Rng) => `The ${noun(r)} endpoint is slow under load. Profile it and propose a fix.`,
  () =>
    '<command-name>/clear</command-name>\n<command-message>clear</command-message>\n<command-args></command-args>',
  (r: Rng) => `Write a migration that adds a ${noun(r)}_id column to the ${noun(r)}s table`,
];

/** A human prompt; a few paste a stack trace or log, which makes them long like real ones. */
export function humanPrompt(rng: Rng, corpus: Corpus): string {
  const base = rng.pick(PROMPTS)(rng);
  if (rng.chance(0.12)) return `${base}\n\n${stackTrace(rng)}`;
  if (rng.chance(0.1)) return `${base}. ${corpus.text(rng, rng.int(100, 900))}`;
  return base;
}

export function stackTrace(rng: Rng): string {
  const lines = [
    `Error: ${noun(rng)} ${word(rng)} ${word(rng)}: expected ${rng.int(0, 99)} got ${rng.int(100, 999)}`,
  ];
  const n = rng.int(4, 30);
  for (let i = 0; i < n; i++) {
    lines.push(
      `    at ${verb(rng)}${capitalize(noun(rng))} (/home/dev/app/${projectPath(rng, 'ts').replace('.ts', '.js')}:${rng.int(1, 900)}:${rng.int(1, 80)})`,
    );
  }
  return lines.join('\n');
}

/** Shell output of plausible commands, about `bytes` long. */
export function bashOutput(rng: Rng, corpus: Corpus, kind: BashKind, bytes: number): string {
  const out: string[] = [];
  let size = 0;
  const push = (s: string): void => {
    out.push(s);
    size += s.length + 1;
  };
  switch (kind) {
    case 'test': {
      while (size < bytes) {
        const ok = rng.chance(0.93);
        push(
          ` ${ok ? '✓' : '×'} ${projectPath(rng, 'ts').replace(/\.tsx?$/, '.test.ts')} (${rng.int(1, 60)} tests${ok ? '' : ` | ${rng.int(1, 3)} failed`}) ${rng.int(2, 4000)}ms`,
        );
        if (!ok)
          push(
            `   → expected ${rng.int(0, 9)} to be ${rng.int(10, 99)} // Object.is equality\n${stackTrace(rng)}`,
          );
      }
      push(`\n Test Files  ${rng.int(1, 4)} failed | ${rng.int(20, 200)} passed`);
      push(`      Tests  ${rng.int(1, 9)} failed | ${rng.int(200, 2000)} passed`);
      break;
    }
    case 'tsc': {
      while (size < bytes) {
        push(
          `${projectPath(rng, 'ts')}(${rng.int(1, 400)},${rng.int(1, 80)}): error TS${rng.int(2300, 2800)}: Argument of type '${rng.pick(['string', 'number | undefined', 'unknown'])}' is not assignable to parameter of type '${capitalize(noun(rng))}'.`,
        );
      }
      break;
    }
    case 'diff': {
      const file = rng.pick(corpus.files);
      const lines = file.content.split('\n');
      while (size < bytes) {
        const at = rng.int(0, Math.max(0, lines.length - 8));
        push(`diff --git a/${projectPath(rng, file.lang)} b/${projectPath(rng, file.lang)}`);
        push(`@@ -${at + 1},7 +${at + 1},8 @@`);
        for (let i = at; i < Math.min(lines.length, at + 7); i++) {
          push(`${rng.chance(0.2) ? '-' : ' '}${lines[i]}`);
          if (rng.chance(0.2)) push(`+${lines[i]} // ${word(rng)}`);
        }
      }
      break;
    }
    case 'log': {
      while (size < bytes)
        push(`${rng.hex(7)} ${capitalize(verb(rng))} ${noun(rng)} ${word(rng)} ${noun(rng)}`);
      break;
    }
    case 'ls': {
      while (size < bytes) {
        push(
          `-rw-r--r--  1 dev  staff  ${String(rng.int(80, 90_000)).padStart(6)} Nov ${rng.int(1, 28)} ${rng.int(10, 23)}:${rng.int(10, 59)} ${noun(rng)}-${verb(rng)}.${rng.pick(['ts', 'json', 'md', 'py', 'go'])}`,
        );
      }
      break;
    }
    case 'install': {
      while (size < bytes) {
        push(
          `npm warn deprecated ${noun(rng)}-${verb(rng)}@${rng.int(0, 9)}.${rng.int(0, 20)}.${rng.int(0, 9)}: ${corpus.text(rng, 60)}`,
        );
      }
      push(
        `\nadded ${rng.int(10, 900)} packages, and audited ${rng.int(900, 1400)} packages in ${rng.int(2, 60)}s`,
      );
      break;
    }
    case 'grep': {
      const file = rng.pick(corpus.files);
      const lines = file.content.split('\n');
      const path = projectPath(rng, file.lang);
      while (size < bytes) {
        const i = rng.int(0, lines.length - 1);
        push(`${path}:${i + 1}:${lines[i]}`);
        if (size > file.content.length + 200) break;
      }
      break;
    }
  }
  return out.join('\n');
}

export type BashKind = 'test' | 'tsc' | 'diff' | 'log' | 'ls' | 'install' | 'grep';

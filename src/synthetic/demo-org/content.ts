/**
 * File contents of a git-backed demo repository, so that its commits carry real diffs: each
 * change deletes a run of lines and inserts new, unique ones at one place in a file (which makes
 * `git log --numstat` report exactly the lines the generator meant), and a revert removes the
 * lines a change inserted and puts back the ones it deleted, wherever later changes moved them.
 * @module
 */
import type { Rng } from '../prng.js';
import { capital, noun, sourceLine, verb } from './names.js';

/** A forward edit: at a relative position, delete `del` lines and insert `ins`. */
export interface Edit {
  path: string;
  frac: number;
  del: number;
  ins: string[];
}

/** What an edit did to one file, kept so that it can be undone later. */
export interface Applied {
  path: string;
  at: number;
  inserted: string[];
  removed: string[];
}

export type Files = Map<string, string[]>;

export function render(lines: readonly string[]): string {
  return `${lines.join('\n')}\n`;
}

export function applyEdit(files: Files, edit: Edit): Applied {
  const lines = files.get(edit.path) ?? [];
  const at = Math.min(lines.length, Math.floor(edit.frac * (lines.length + 1)));
  const removed = lines.splice(at, edit.del, ...edit.ins);
  files.set(edit.path, lines);
  return { path: edit.path, at, inserted: edit.ins, removed };
}

/** Undoes `applied` (in reverse order); returns the same shape, describing the undo itself. */
export function applyInverse(files: Files, applied: readonly Applied[]): Applied[] {
  const out: Applied[] = [];
  for (let i = applied.length - 1; i >= 0; i--) {
    const a = applied[i]!;
    const lines = files.get(a.path) ?? [];
    const inserted = new Set(a.inserted);
    let at = lines.findIndex((l) => inserted.has(l));
    if (at < 0) at = Math.min(a.at, lines.length);
    // No inserted line precedes `at`, so it is the same position once they are gone.
    const kept = lines.filter((l) => !inserted.has(l));
    const removed = lines.filter((l) => inserted.has(l));
    kept.splice(at, 0, ...a.removed);
    files.set(a.path, kept);
    out.push({ path: a.path, at, inserted: a.removed, removed });
  }
  return out;
}

/** The starting tree of a service repository. */
export function initialFiles(rng: Rng, name: string, nextSerial: () => number): Files {
  const files: Files = new Map();
  files.set('README.md', [
    `# ${name}`,
    '',
    `Service owned by the ${name.split('-')[0]} team.`,
    '',
    '## Development',
    '',
    '    npm ci && npm test',
  ]);
  files.set('package.json', [
    '{',
    `  "name": "@acme/${name}",`,
    '  "private": true,',
    '  "type": "module",',
    '  "scripts": { "test": "vitest run", "build": "tsc -p ." }',
    '}',
  ]);
  const modules = new Set<string>();
  while (modules.size < 6) modules.add(noun(rng));
  for (const mod of modules) {
    for (const kind of ['handler', 'store', verb(rng)]) {
      const lines = [`// ${capital(mod)} ${kind}.`, `export async function ${kind}${capital(mod)}(ctx) {`];
      for (let i = rng.int(20, 50); i > 0; i--) lines.push(sourceLine(rng, nextSerial()));
      lines.push('}');
      files.set(`src/${mod}/${kind}.ts`, lines);
    }
    const test = [`import { describe, it } from 'vitest';`, `describe('${mod}', () => {`];
    for (let i = rng.int(8, 20); i > 0; i--) test.push(sourceLine(rng, nextSerial()));
    test.push('});');
    files.set(`test/${mod}.test.ts`, test);
  }
  return files;
}

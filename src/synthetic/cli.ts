#!/usr/bin/env node
/**
 * Generator CLI: `node dist/synthetic/cli.js <claude|huge|append|codex|gemini> [options]`.
 * Prints a JSON summary (paths, sizes, truth totals) on stdout.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { appendToOneFile, generateClaudeHistory, writeHugeTranscript, writeTruth } from './claude-history.js';
import { generateCodexRollouts } from './codex-rollouts.js';
import { generateGeminiChats } from './gemini-chats.js';
import { formatSize, parseSize } from './size.js';

const USAGE = `usage:
  cli.js claude --out DIR [--bytes 200m] [--files 800] [--seed 1] [--start-date 2026-09-01] [--days 60]
                [--projects N] [--long-context-share 0] [--split-gateway-calls]
  cli.js huge   --out DIR [--bytes 1g] [--seed 7]        one transcript in DIR/projects/…, truth in DIR/truth.json
  cli.js append --root DIR [--seed 1]                    grow one transcript of a generated history
  cli.js codex  --out DIR [--sessions 4] [--seed 1]      a CODEX_HOME with rollouts, truth in DIR/truth.json
  cli.js gemini --out DIR [--sessions 4] [--seed 1]      a ~/.gemini with chats, truth in DIR/truth.json`;

function main(argv: string[]): void {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      out: { type: 'string' },
      root: { type: 'string' },
      bytes: { type: 'string' },
      files: { type: 'string' },
      seed: { type: 'string' },
      'start-date': { type: 'string' },
      days: { type: 'string' },
      projects: { type: 'string' },
      sessions: { type: 'string' },
      'long-context-share': { type: 'string' },
      'split-gateway-calls': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true || command === undefined) {
    console.log(USAGE);
    return;
  }
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  const seed = num(values.seed);
  const need = (v: string | undefined, flag: string): string => {
    if (v === undefined) throw new Error(`${command} needs ${flag}\n${USAGE}`);
    return resolve(v);
  };
  switch (command) {
    case 'claude': {
      const out = need(values.out, '--out');
      const r = generateClaudeHistory(out, {
        seed,
        targetBytes: parseSize(values.bytes ?? '200m'),
        files: num(values.files) ?? 800,
        startDate: values['start-date'],
        days: num(values.days),
        projects: num(values.projects),
        longContextShare: num(values['long-context-share']),
        splitGatewayCalls: values['split-gateway-calls'],
      });
      const mbps = r.truth.bytes / 1024 ** 2 / (r.ms / 1000);
      console.log(
        JSON.stringify(
          {
            root: out,
            files: r.truth.files,
            bytes: r.truth.bytes,
            size: formatSize(r.truth.bytes),
            seconds: Math.round(r.ms) / 1000,
            mibPerSecond: Math.round(mbps * 10) / 10,
            totals: r.truth.totals,
            stats: r.truth.stats,
          },
          null,
          2,
        ),
      );
      return;
    }
    case 'huge': {
      const out = need(values.out, '--out');
      const path = join(out, 'projects', '-home-dev-monorepo', `${randomUUID()}.jsonl`);
      mkdirSync(out, { recursive: true });
      const t0 = performance.now();
      const truth = writeHugeTranscript(path, parseSize(values.bytes ?? '1g'), { seed });
      writeTruth(out, truth);
      console.log(
        JSON.stringify(
          { path, bytes: truth.bytes, seconds: (performance.now() - t0) / 1000, totals: truth.totals },
          null,
          2,
        ),
      );
      return;
    }
    case 'append': {
      const root = need(values.root, '--root');
      console.log(JSON.stringify(appendToOneFile(root, seed ?? 1), null, 2));
      return;
    }
    case 'codex':
    case 'gemini': {
      const out = need(values.out, '--out');
      const options = {
        seed,
        sessions: num(values.sessions),
        startDate: values['start-date'],
        days: num(values.days),
      };
      const truth =
        command === 'codex' ? generateCodexRollouts(out, options) : generateGeminiChats(out, options);
      writeTruth(out, truth);
      console.log(
        JSON.stringify({ root: out, files: truth.files, bytes: truth.bytes, totals: truth.totals }, null, 2),
      );
      return;
    }
    default:
      throw new Error(`unknown command ${command}\n${USAGE}`);
  }
}

try {
  main(process.argv.slice(2));
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
}

#!/usr/bin/env node
// Git outcome source vs plain `git log`, on a generated repository.
//
//   npm run build && node bench/git.mjs [--commits 100000] [--runs 3]
//
// The repository is generated once with `git fast-import` (linear history with files edited,
// renamed and binary blobs replaced, AI trailers on some commits, a merged side branch every
// 250 commits) and cached under bench/out/git-<n>/ (git-ignored). Each run then times, in
// separate processes so that memory is measured for the read alone:
//   floor  `git log` with exactly the source's format and flags, output to /dev/null
//   plain  `git log --numstat` with git's default format, output to /dev/null
//   source readGitRepository() from dist/, consuming every batch
//   no-op  readGitRepository() again with the state of the first read (nothing new)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const BENCH = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(BENCH, '..');
const DIST = join(REPO_ROOT, 'dist', 'sources', 'git');

const { values: opt } = parseArgs({
  options: {
    commits: { type: 'string', default: '100000' },
    files: { type: 'string', default: '3000' },
    runs: { type: 'string', default: '3' },
    regenerate: { type: 'boolean', default: false },
    child: { type: 'string' },
    repo: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (opt.help) {
  console.log('usage: node bench/git.mjs [--commits 100000] [--files 3000] [--runs 3] [--regenerate]');
  process.exit(0);
}

async function loadSource() {
  if (!existsSync(join(DIST, 'index.js'))) {
    console.error('dist/sources/git is missing: run `npm run build` first.');
    process.exit(2);
  }
  return import(join(DIST, 'index.js'));
}

// ---- child mode: one measured read, result as JSON on stdout ----------------------------------

if (opt.child) {
  const { readGitRepository } = await loadSource();
  const repo = opt.repo;
  let state = null;
  if (opt.child === 'noop') {
    const first = await readGitRepository(repo, null);
    for await (const _ of first.commits);
    state = first.state;
  }
  const start = process.hrtime.bigint();
  const read = await readGitRepository(repo, state);
  if (read.kind === 'skip') {
    console.error(read.message);
    process.exit(1);
  }
  let commits = 0;
  let ai = 0;
  let additions = 0;
  for await (const batch of read.commits) {
    commits += batch.length;
    for (const c of batch) {
      additions += c.additions;
      if (c.aiEvidence.length > 0) ai++;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const out = {
    seconds,
    commits,
    ai,
    additions,
    malformed: read.stats.malformed,
    maxRssKiB: process.resourceUsage().maxRSS,
  };
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}

// ---- generation --------------------------------------------------------------------------------

const N = Number(opt.commits);
const FILES = Number(opt.files);
const OUT = join(BENCH, 'out', `git-${N}`);
const GIT_DIR = join(OUT, 'repo.git');
const DONE = join(OUT, '.complete');

// Small deterministic PRNG (mulberry32), so every machine benchmarks the same repository.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TRAILERS = [
  'Co-Authored-By: Claude <noreply@anthropic.com>',
  'Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>',
  'Made-with: Cursor',
  'Co-authored-by: Codex <codex@openai.com>',
  'Co-authored-by: Alice Example <alice@example.com>',
];

async function generate() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1' };
  spawnSync('git', ['init', '-q', '--bare', '--initial-branch=main', GIT_DIR], { stdio: 'inherit', env });
  const child = spawn('git', ['--git-dir', GIT_DIR, 'fast-import', '--quiet', '--date-format=raw'], {
    stdio: ['pipe', 'inherit', 'inherit'],
    env,
  });
  const exited = new Promise((res) => child.on('close', res));
  const random = prng(42);
  const pick = (n) => Math.floor(random() * n);
  const files = [];
  const paths = [];
  for (let f = 0; f < FILES; f++) {
    paths.push(`src/module ${f % 40}/file-${f}.ts`);
    files.push(null);
  }
  let buffered = [];
  let size = 0;
  const flush = async () => {
    if (buffered.length === 0) return;
    const ok = child.stdin.write(Buffer.concat(buffered));
    buffered = [];
    size = 0;
    if (!ok) await new Promise((res) => child.stdin.once('drain', res));
  };
  const put = async (chunk) => {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    buffered.push(b);
    size += b.length;
    if (size > 1 << 20) await flush();
  };
  const data = async (content) => {
    const b = typeof content === 'string' ? Buffer.from(content) : content;
    await put(`data ${b.length}\n`);
    await put(b);
    await put('\n');
  };
  const people = Array.from({ length: 25 }, (_, i) => `Dev ${i} <dev${i}@example.com>`);
  let ts = Date.UTC(2020, 0, 1) / 1000;
  let mark = 0;
  let mainMark = 0;
  const started = Date.now();
  for (let i = 1; i <= N; i++) {
    ts += 60 + pick(3600);
    const who = people[pick(people.length)];
    if (i % 250 === 0 && mainMark > 0) {
      // a side-branch commit merged back with GitHub's merge message
      await put(
        `commit refs/heads/side\nmark :${++mark}\nauthor ${who} ${ts} +0000\ncommitter ${who} ${ts} +0000\n`,
      );
      await data(`Side change ${i}\n`);
      await put(`from :${mainMark}\nM 100644 inline side/${i}.txt\n`);
      await data(`side ${i}\n`);
      const side = mark;
      await put(
        `commit refs/heads/main\nmark :${++mark}\nauthor ${who} ${ts} +0000\ncommitter ${who} ${ts} +0000\n`,
      );
      await data(`Merge pull request #${i} from acme/side-${i}\n`);
      await put(`from :${mainMark}\nmerge :${side}\n`);
      mainMark = mark;
      continue;
    }
    const trailer = i % 7 === 0 ? `\n\n${TRAILERS[pick(TRAILERS.length)]}` : '';
    await put(
      `commit refs/heads/main\nmark :${++mark}\nauthor ${who} ${ts} +0000\ncommitter ${who} ${ts} +0000\n`,
    );
    await data(`Change ${i}${i % 3 === 0 ? ` (#${i})` : ''}\n\nBody of change ${i}.${trailer}\n`);
    if (mainMark > 0) await put(`from :${mainMark}\n`);
    const touched = 1 + pick(3);
    for (let t = 0; t < touched; t++) {
      const f = pick(FILES);
      if (i % 500 === 0 && files[f]) {
        const to = `src/moved/${i}-${t}.ts`;
        await put(`R "${paths[f]}" "${to}"\n`);
        paths[f] = to;
      }
      if (i % 200 === 0) {
        await put(`M 100644 inline assets/logo-${f % 10}.png\n`);
        await data(Buffer.from(Array.from({ length: 64 }, () => pick(256)).concat([0])));
        continue;
      }
      const lines = files[f] ?? Array.from({ length: 20 + pick(40) }, (_, k) => `export const v${k} = ${k};`);
      for (let e = 1 + pick(4); e > 0; e--) lines[pick(lines.length)] = `export const v${pick(1000)} = ${i};`;
      if (random() < 0.3) lines.push(`// added in ${i}`);
      files[f] = lines;
      await put(`M 100644 inline "${paths[f]}"\n`);
      await data(`${lines.join('\n')}\n`);
    }
    mainMark = mark;
    if (i % 10000 === 0) process.stderr.write(`  generated ${i} commits\n`);
  }
  await flush();
  child.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`git fast-import failed (${code})`);
  writeFileSync(DONE, `${N}\n`);
  console.log(`generated ${N} commits in ${((Date.now() - started) / 1000).toFixed(1)} s → ${GIT_DIR}`);
}

// ---- measurement -------------------------------------------------------------------------------

// GNU time gives CPU seconds including the git children, which stays meaningful on a busy machine
// where wall time does not.
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const TIME_FILE = join(OUT, '.time');

function measured(command, args, stdout) {
  const start = process.hrtime.bigint();
  const r = GNU_TIME
    ? spawnSync(GNU_TIME, ['-f', '%U %S %M', '-o', TIME_FILE, command, ...args], {
        stdio: ['ignore', stdout, 'inherit'],
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      })
    : spawnSync(command, args, {
        stdio: ['ignore', stdout, 'inherit'],
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${command} ${args[0]} failed`);
  let cpu = null;
  let treeRssKiB = null;
  if (GNU_TIME) {
    const [user, sys, rss] = readFileSync(TIME_FILE, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    cpu = user + sys;
    treeRssKiB = rss;
  }
  return { wall, cpu, treeRssKiB, stdout: r.stdout };
}

function timeGit(args) {
  return measured('git', ['--git-dir', GIT_DIR, ...args], openSync('/dev/null', 'w'));
}

function timeSource(mode) {
  const m = measured(
    process.execPath,
    [fileURLToPath(import.meta.url), '--child', mode, '--repo', GIT_DIR],
    'pipe',
  );
  return { ...m, ...JSON.parse(m.stdout) };
}

if (opt.regenerate || !existsSync(DONE)) await generate();
else console.log(`using cached ${GIT_DIR}`);

const { logArgs } = await import(join(DIST, 'log-format.js'));
const floorArgs = logArgs()
  .filter((a) => a !== '--stdin' && a !== '--ignore-missing')
  .concat(['--branches', '--tags']);
const runs = Number(opt.runs);
const results = { floor: [], plain: [], source: [], noop: [] };
const fmt = (m) => `${m.wall.toFixed(2)} s${m.cpu === null ? '' : ` (cpu ${m.cpu.toFixed(2)} s)`}`;
for (let r = 1; r <= runs; r++) {
  const floor = timeGit(floorArgs);
  const plain = timeGit(['log', '--numstat', '--branches', '--tags']);
  const source = timeSource('full');
  const noop = timeSource('noop');
  console.log(
    `run ${r}: floor ${fmt(floor)}, plain ${fmt(plain)}, source ${fmt(source)}, no-op re-run ${noop.seconds.toFixed(3)} s`,
  );
  results.floor.push(floor);
  results.plain.push(plain);
  results.source.push(source);
  results.noop.push(noop);
}

const bestBy = (list, key) => list.reduce((a, b) => ((b[key] ?? b.wall) < (a[key] ?? a.wall) ? b : a));
const floor = bestBy(results.floor, 'wall');
const plain = bestBy(results.plain, 'wall');
const s = bestBy(results.source, 'wall');
const noop = bestBy(results.noop, 'seconds');
const minCpu = (list) => (GNU_TIME ? Math.min(...list.map((m) => m.cpu)) : null);
const rate = (sec) => Math.round(s.commits / sec).toLocaleString('en-US');
const cpuText = (list) => (GNU_TIME ? `  cpu ${minCpu(list).toFixed(2)} s` : '');
console.log(
  `\nbest of ${runs}, ${s.commits} commits (${s.ai} with AI evidence, ${s.additions} lines added):`,
);
console.log(
  `  floor: git log, same format and flags, to /dev/null  ${floor.wall.toFixed(2)} s  ${rate(floor.wall)} commits/s${cpuText(results.floor)}`,
);
console.log(
  `  plain git log --numstat to /dev/null                 ${plain.wall.toFixed(2)} s  ${rate(plain.wall)} commits/s${cpuText(results.plain)}`,
);
console.log(
  `  readGitRepository, full read (wall of the read)      ${s.seconds.toFixed(2)} s  ${rate(s.seconds)} commits/s${cpuText(results.source)} (node + git)`,
);
console.log(
  `  ratio to floor: wall ${(s.seconds / floor.wall).toFixed(2)}` +
    (GNU_TIME ? `, cpu ${(minCpu(results.source) / minCpu(results.floor)).toFixed(2)}` : ''),
);
console.log(
  `  peak RSS of the node process ${(s.maxRssKiB / 1024).toFixed(0)} MiB` +
    (GNU_TIME ? `, of any process in the read (git included) ${(s.treeRssKiB / 1024).toFixed(0)} MiB` : ''),
);
console.log(
  `  no-op re-run with the saved state                    ${noop.seconds.toFixed(3)} s  (${noop.commits} commits)`,
);
if (s.malformed !== 0) {
  console.error(`parser reported ${s.malformed} malformed tokens`);
  process.exit(1);
}

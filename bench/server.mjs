#!/usr/bin/env node
// The server under OTLP load, and a crash test. Runs after `npm run build` (uses bin/ and dist/).
//
//   npm run bench -- server [--seconds 20] [--concurrency 8] [--rate 20000] [--events 100] [--crash-after 4]
//                           [--encoding json|protobuf] [--no-journal] [--skip-floor] [--skip-crash]
//                           [--prefill CALLS] [--ledger-memory SIZE] [--decode-workers N]
//
// --rate       calls/s offered in the open-loop run (0 skips it); default 20,000, the target.
// --encoding   OTLP body encoding the exporters send (http/json or http/protobuf; default json).
// --no-journal the server commits each export to the ledger before answering (config
//              `server.journal: false`), as before the ingest journal; default: journaled.
// --prefill    the load runs on a ledger that already holds about CALLS calls (with their activity),
//              mapped from bodies like the load's by the server's own code and written through the
//              DuckDB store before the server starts: an organisation's collector does not start
//              empty, and each commit's de-duplication reads columns of the whole ledger.
// --ledger-memory  the server's `server.ledgerMemory` (DuckDB memory_limit, e.g. 96MB); default
//              the server's own.
// --decode-workers the server's `server.decodeWorkers` (threads decoding OTLP bodies; 0 = on the
//              main thread); default the server's own.

// 1. floor  the same load against a bare Node HTTP server that reads and decodes each body as the
//           server does (no mapping), and answers {} (no ledger): the ceiling of HTTP + decoding here.
// 2. load   `tokenyield serve` on a fresh DuckDB ledger; `--concurrency` exporters each POST
//           /v1/logs bodies of `--events` Claude Code calls (api_request + tool_result events,
//           a user_prompt every fifth call, shaped like Claude Code 2.1.197's OTLP JSON) for
//           `--seconds`. Reports acknowledged usage events/s, latency percentiles, 429s, the
//           server's peak RSS, and checks that the ledger holds exactly the acknowledged calls.
//           This closed loop shows what the server takes from 8 busy senders; with so few, each
//           export's latency holds it back too (the two cores were ~85 % busy).
// 2b. rate  the same bodies on a fresh ledger, open loop: one every `--events`/`--rate` seconds,
//           answered or not, as from many independent exporters, latency counted from each body's
//           scheduled time. The target is met when every call is acknowledged, at 99 % of the
//           rate or more counted to the last answer, and the ledger holds them 2 s later at most.
// 3. crash  load again on a fresh ledger; after `--crash-after` seconds the server is killed with
//           SIGKILL mid-commit. It is restarted on the same file, every request that was not
//           acknowledged is sent again (as an OTel exporter retries), and the ledger must hold every
//           acknowledged call exactly once and, after the retries, every call sent exactly once.
// Results are appended to bench/out/server-<date>.json.
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuSeconds, peakRssMiB } from './proc.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(BENCH, '..');
const BIN = join(REPO, 'bin', 'tokenyield.js');
const OUT = join(BENCH, 'out');

const { values: opt } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '8' },
    rate: { type: 'string', default: '20000' },
    events: { type: 'string', default: '100' },
    'crash-after': { type: 'string', default: '4' },
    encoding: { type: 'string', default: 'json' },
    'no-journal': { type: 'boolean', default: false },
    'skip-floor': { type: 'boolean', default: false },
    'skip-crash': { type: 'boolean', default: false },
    prefill: { type: 'string', default: '0' },
    'ledger-memory': { type: 'string' },
    'decode-workers': { type: 'string' },
    'floor-child': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(
    'usage: node bench/server.mjs [--seconds 20] [--concurrency 8] [--events 100] [--crash-after 4]',
  );
  process.exit(0);
}

// ---- floor child: the bare server --------------------------------------------------------------

if (opt['floor-child']) {
  const { ExportLogsServiceRequest } = await import(join(REPO, 'dist', 'sources', 'otel', 'schema.js'));
  const { parseJsonInPieces } = await import(join(REPO, 'dist', 'sources', 'otel', 'json-in-pieces.js'));
  const { OTLP_JSON_ELEMENTS } = await import(join(REPO, 'dist', 'sources', 'otel', 'decode-json.js'));
  // The floor decodes as the server does: protobuf with the same protobufjs schema, JSON with the
  // same piecewise parse (a plain JSON.parse of a whole 220 KB body pays V8's large-object cost).
  const floorDecode = (body) => ExportLogsServiceRequest.decode(body);
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.headers['content-type'] === 'application/x-protobuf') floorDecode(body);
      else parseJsonInPieces(body, OTLP_JSON_ELEMENTS.logs);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`on http://127.0.0.1:${server.address().port}\n`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

// ---- payloads ----------------------------------------------------------------------------------

const MODELS = ['claude-sonnet-4-5', 'claude-opus-4-6', 'claude-haiku-4-5'];
const str = (key, value) => `{"key":"${key}","value":{"stringValue":"${value}"}}`;
const int = (key, value) => `{"key":"${key}","value":{"intValue":"${value}"}}`;
const dbl = (key, value) => `{"key":"${key}","value":{"doubleValue":${value}}}`;

// Bodies are built once per slot with a placeholder where the request's sequence number goes, then
// joined around it: building 200 KB of JSON per request would make the generator, which shares the
// machine with the server, the bottleneck.
// The placeholder has the width of the zero-padded number that replaces it, so that protobuf
// bodies (whose length prefixes cannot change) are filled in place too.
const SEQ = 'SEQ#####';
/** After an open-loop run, the longest the ledger may take to hold every acknowledged call. */
const MAX_CATCH_UP_SECONDS = 2;
const pad = (seq) => String(seq).padStart(SEQ.length, '0');
const SLOTS = 256;
const templates = new Map();

let encodeProtobuf = null;
function templateFor(run, slot, events, encoding) {
  const key = `${run}/${slot}/${events}/${encoding}`;
  let template = templates.get(key);
  if (!template) {
    const json = logsTemplate(run, slot, events);
    const buffer = encoding === 'json' ? Buffer.from(json) : encodeProtobuf(json);
    const marker = Buffer.from(SEQ);
    const at = [];
    for (let i = buffer.indexOf(marker); i >= 0; i = buffer.indexOf(marker, i + 1)) at.push(i);
    template = { buffer, at };
    templates.set(key, template);
  }
  return template;
}

/*
 * Each run builds every slot's template before its clocks start (and before the crash test's kill
 * timer): built on first use they took ~1.2 s of the generator's CPU (protobuf) inside the
 * measured window, on the cores the server shares.
 */
function prepareTemplates(run, events, encoding) {
  for (let slot = 0; slot < SLOTS; slot++) templateFor(run, slot, events, encoding);
}

/**
 * One request body of `events` calls, with ids unique to (run, seq); returns the body and its
 * request ids. With `scratch` (an exporter's own buffer, free again once its previous request was
 * answered), the body is written into it instead of a new buffer: a fresh 220 KB JSON body per
 * request cost the generator, which shares the cores, page faults on every one of them (its CPU
 * per 20 s JSON run: 5.9 s, against 2.9 s over protobuf).
 */
function logsBody(run, seq, events, encoding = 'json', scratch = null) {
  const template = templateFor(run, seq % SLOTS, events, encoding);
  let body;
  if (scratch) {
    const size = template.buffer.length;
    // Slots' bodies differ by a few bytes; room to spare saves growing it for each larger one.
    if (scratch.buffer.length < size) scratch.buffer = Buffer.allocUnsafe(Math.ceil(size * 1.1));
    body = scratch.buffer.subarray(0, size);
    template.buffer.copy(body);
  } else body = Buffer.from(template.buffer);
  const digits = Buffer.from(pad(seq));
  for (const i of template.at) digits.copy(body, i);
  const ids = Array.from({ length: events }, (_, i) => `req_${run}_${pad(seq)}_${i}`);
  return { body, ids };
}
const contentType = (encoding) => (encoding === 'json' ? 'application/json' : 'application/x-protobuf');

function logsTemplate(run, slot, events) {
  const user = slot % 200;
  // One session per user for the whole run, as a Claude Code session spans many exports: the
  // ledger's per-session work (supersession is per session for OTel) grows with it.
  const session = `bench-${run}-${user}`;
  const common = [
    str('user.email', `dev${user}@acme.example`),
    str('user.id', `install-${user}`),
    str('session.id', session),
    str('terminal.type', 'xterm'),
  ].join(',');
  const base = Date.parse('2026-11-20T09:00:00Z') + slot * 1000;
  const records = [];
  let sequence = 0;
  for (let i = 0; i < events; i++) {
    const requestId = `req_${run}_${SEQ}_${i}`;
    const ts = base + i * 7;
    const iso = new Date(ts).toISOString();
    const nanos = `${ts}000000`;
    const event = (name, attrs) =>
      `{"timeUnixNano":"${nanos}","observedTimeUnixNano":"${nanos}","body":{"stringValue":"claude_code.${name}"},"attributes":[${common},${str('event.name', name)},${str('event.timestamp', iso)},${int('event.sequence', sequence++)},${str('prompt.id', `${session}-${SEQ}-p${Math.floor(i / 5)}`)},${attrs}]}`;
    if (i % 5 === 0)
      records.push(
        event('user_prompt', `${int('prompt_length', 40 + (i % 300))},${str('prompt', '<REDACTED>')}`),
      );
    const model = MODELS[(slot + i) % MODELS.length];
    records.push(
      event(
        'api_request',
        [
          str('model', model),
          int('input_tokens', 3 + (i % 200)),
          int('output_tokens', 100 + ((slot * 7 + i) % 900)),
          int('cache_read_tokens', 8000 + ((slot + i) % 40000)),
          int('cache_creation_tokens', (i * 31) % 2000),
          dbl('cost_usd', 0.01),
          int('duration_ms', 1200),
          str('request_id', requestId),
          str('speed', 'normal'),
          str('query_source', 'repl_main_thread'),
        ].join(','),
      ),
    );
    records.push(
      event(
        'tool_result',
        `${str('tool_name', i % 3 ? 'Edit' : 'Bash')},${str('tool_use_id', `toolu_${requestId}`)},${str('success', 'true')},${str('duration_ms', '12')}`,
      ),
    );
  }
  const resource = [
    str('service.name', 'claude-code'),
    str('service.version', '2.1.197'),
    str('os.type', 'linux'),
    str('host.arch', 'amd64'),
  ].join(',');
  const body = `{"resourceLogs":[{"resource":{"attributes":[${resource}]},"scopeLogs":[{"scope":{"name":"com.anthropic.claude_code.events","version":"2.1.197"},"logRecords":[${records.join(',')}]}]}]}`;
  return body;
}

// ---- processes ---------------------------------------------------------------------------------

function startProcess(args, env) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  return new Promise((resolvePromise, reject) => {
    let out = '';
    const onData = (d) => {
      out += d;
      const m = /on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolvePromise({ child, url: m[1], stderr: () => err });
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`process exited (${code}) before listening: ${err.trim()}`)),
    );
  });
}

/** CPU seconds of a process's main thread (its JavaScript): the thread whose id is the process's. */
const mainThreadCpuSeconds = (pid) => cpuSeconds(pid, pid) ?? 0;

function stop(child, signal = 'SIGTERM') {
  return new Promise((resolvePromise) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolvePromise();
    child.once('exit', () => resolvePromise());
    child.kill(signal);
  });
}

/** Group-commit statistics from the server's own Prometheus metrics. */
async function queuedRecords(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^tokenyield_ingest_queued_records (\S+)$/m.exec(text)?.[1] ?? 0);
}

async function commitStats(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  const count = value('tokenyield_ledger_commit_duration_seconds_count');
  const seconds = value('tokenyield_ledger_commit_duration_seconds_sum');
  return { count, seconds, meanMs: count ? (1000 * seconds) / count : 0 };
}

// ---- load generator ----------------------------------------------------------------------------

// The exporters post with node:http on kept-alive connections rather than fetch: the generator
// shares the two cores with the server, and undici's fetch (WHATWG streams, Response objects) cost
// it ~35 µs of CPU per call against ~18 here (measured in the same runs), CPU the server then
// did not get.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** POSTs one export body; resolves with the status and Retry-After, rejects when unanswered. */
function postExport(url, token, encoding, body) {
  return new Promise((resolvePromise, reject) => {
    const req = request(
      `${url}/v1/logs`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': contentType(encoding),
          'content-length': body.length,
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolvePromise({ status: res.statusCode, retryAfter: res.headers['retry-after'] }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** What a load run sends and what came back: acknowledged ids, 2xx latencies, statuses, unanswered bodies. */
function tally() {
  return { latencies: [], statuses: {}, acked: [], unacked: [] };
}

/** Sends body `seq` and records its outcome in `t`; latency counts from `since` (default: the send). */
async function exportOne(t, { url, token, run, events, encoding, scratch }, seq, since) {
  const { body, ids } = logsBody(run, seq, events, encoding, scratch);
  const t0 = since ?? performance.now();
  let status = 'error';
  let retryAfter;
  // Unanswered bodies are counted by their error code (ECONNRESET, ECONNREFUSED …).
  let counted = status;
  try {
    const res = await postExport(url, token, encoding, body);
    status = res.status;
    counted = status;
    retryAfter = res.retryAfter;
  } catch (err) {
    counted = `error ${err.code ?? err.message}`;
  }
  t.statuses[counted] = (t.statuses[counted] ?? 0) + 1;
  if (status === 200) {
    t.latencies.push(performance.now() - t0);
    for (const id of ids) t.acked.push(id);
  } else if (status === 429 || status === 503 || status === 'error') t.unacked.push({ seq, ids });
  return { status, retryAfter };
}

function summary(t, requests, elapsed) {
  t.latencies.sort((a, b) => a - b);
  const pct = (p) =>
    t.latencies.length
      ? t.latencies[Math.min(t.latencies.length - 1, Math.floor(p * t.latencies.length))]
      : null;
  return {
    requests,
    elapsedSeconds: elapsed,
    ackedEvents: t.acked.length,
    eventsPerSecond: Math.round(t.acked.length / elapsed),
    latencyMs: { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99), max: t.latencies.at(-1) ?? null },
    statuses: t.statuses,
    acked: t.acked,
    unacked: t.unacked,
  };
}

/**
 * Closed loop: `concurrency` exporters each POST a body and wait for its answer, until `seconds`
 * pass (a 429/503 makes that exporter wait its Retry-After, at most 1 s). What the server takes
 * when it is kept busy; with too few exporters it also measures the server's latency.
 */
async function load({ url, token, run, seconds, concurrency, events, encoding, stopOnError = false }) {
  const deadline = performance.now() + seconds * 1000;
  const t = tally();
  let seq = 0;
  let stopped = false;
  const started = performance.now();
  async function loop() {
    const scratch = { buffer: Buffer.alloc(0) };
    while (!stopped && performance.now() < deadline) {
      const { status, retryAfter } = await exportOne(
        t,
        { url, token, run, events, encoding, scratch },
        seq++,
      );
      if (status === 429 || status === 503)
        await new Promise((r) => setTimeout(r, Math.min(Number(retryAfter ?? '1'), 1) * 1000));
      // The server is gone (the crash test): stop instead of spinning on refused connections.
      else if (status === 'error' && stopOnError) stopped = true;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop));
  return summary(t, seq, (performance.now() - started) / 1000);
}

/**
 * Open loop: bodies of `events` calls leave on a fixed schedule, `rate` calls a second, whether or
 * not earlier ones were answered, as from many independent exporters. Latency counts from each
 * body's scheduled time, so a server that falls behind shows it in its latency instead of slowing
 * the generator down (a closed loop would send less and hide it). A refused body is not re-sent.
 */
async function loadAtRate({ url, token, run, seconds, rate, events, encoding }) {
  const t = tally();
  const interval = (1000 * events) / rate;
  const count = Math.floor((seconds * 1000) / interval);
  const spare = [];
  const pending = new Set();
  let sendLagMs = 0;
  const started = performance.now();
  for (let seq = 0; seq < count; seq++) {
    const due = started + seq * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    sendLagMs = Math.max(sendLagMs, performance.now() - due);
    // Bodies in flight each hold their own buffer; answered ones give theirs back.
    const scratch = spare.pop() ?? { buffer: Buffer.alloc(0) };
    const sent = exportOne(t, { url, token, run, events, encoding, scratch }, seq, due).then(() => {
      pending.delete(sent);
      spare.push(scratch);
    });
    pending.add(sent);
  }
  const lastSent = performance.now();
  await Promise.all(pending);
  const done = performance.now();
  return {
    ...summary(t, count, (done - started) / 1000),
    offeredPerSecond: rate,
    offeredEvents: count * events,
    sendLagMs,
    tailSeconds: (done - lastSent) / 1000,
  };
}

async function ledgerCheck(dbPath, acked, expectedTotal) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  await connection.run('CREATE TEMP TABLE acked (request_id VARCHAR)');
  const appender = await connection.createAppender('acked', 'main', 'temp');
  for (const id of acked) {
    appender.appendVarchar(id);
    appender.endRow();
  }
  appender.closeSync();
  const one = async (sql) => Number((await (await connection.run(sql)).getRows())[0][0]);
  const result = {
    usageRows: await one('SELECT count(*) FROM usage'),
    distinctCalls: await one('SELECT count(DISTINCT request_id) FROM usage'),
    ackedMissing: await one(
      'SELECT count(*) FROM acked a WHERE NOT EXISTS (SELECT 1 FROM usage u WHERE u.request_id = a.request_id)',
    ),
    expectedTotal,
  };
  result.duplicates = result.usageRows - result.distinctCalls;
  result.ok =
    result.ackedMissing === 0 &&
    result.duplicates === 0 &&
    (expectedTotal === null || result.usageRows === expectedTotal);
  connection.closeSync();
  instance.closeSync();
  return result;
}

/**
 * Fills a fresh ledger at `dbPath` with about `calls` calls: bodies of run "prefill" mapped to
 * records by the server's own mapping and written through the DuckDB store in batches of the size
 * the server's journal applies. Returns the usage rows written.
 */
async function prefillLedger(dbPath, calls, events) {
  const { otlpRecords } = await import(join(REPO, 'dist', 'server', 'ingest', 'otlp-records.js'));
  const { createPeopleDirectory } = await import(join(REPO, 'dist', 'ledger', 'people', 'directory.js'));
  const { createPriceBook } = await import(join(REPO, 'dist', 'ledger', 'pricing', 'index.js'));
  const { openStoreAt } = await import(join(REPO, 'dist', 'ledger', 'store', 'location.js'));
  const directory = createPeopleDirectory([], []);
  const priceBook = createPriceBook();
  const store = await openStoreAt({ engine: 'duckdb', path: dbPath });
  const perWrite = Math.max(1, Math.round(16_384 / events));
  let written = 0;
  try {
    for (let seq = 0; written < calls; ) {
      const usage = [];
      const activity = [];
      for (let i = 0; i < perWrite; i++, seq++) {
        const { body } = logsBody('prefill', seq, events, 'json');
        const { batch } = otlpRecords({ signal: 'logs', encoding: 'json', body }, directory, priceBook);
        for (const r of batch.usage) usage.push(r);
        for (const r of batch.activity) activity.push(r);
      }
      await store.write({ usage, activity, checkpoints: [] });
      written += usage.length;
    }
  } finally {
    await store.close();
  }
  templates.clear();
  return written;
}

// ---- main --------------------------------------------------------------------------------------

async function main() {
  if (!existsSync(join(REPO, 'dist', 'server', 'serve.js'))) {
    console.error('dist/ is missing or stale: run `npm run build` first.');
    process.exit(2);
  }
  const seconds = Number(opt.seconds);
  const concurrency = Number(opt.concurrency);
  const rate = Number(opt.rate);
  const events = Number(opt.events);
  const crashAfter = Number(opt['crash-after']);
  const encoding = opt.encoding;
  if (encoding !== 'json' && encoding !== 'protobuf') throw new Error('--encoding is json or protobuf');
  if (!(rate >= 0)) throw new Error('--rate is a number of calls a second (0 skips the open-loop run)');
  const journal = !opt['no-journal'];
  if (encoding === 'protobuf') {
    const { ExportLogsServiceRequest } = await import(join(REPO, 'dist', 'sources', 'otel', 'schema.js'));
    encodeProtobuf = (json) =>
      Buffer.from(
        ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(JSON.parse(json))).finish(),
      );
  }
  const work = mkdtempSync(join(tmpdir(), 'ty-bench-server-'));
  const env = {
    ...process.env,
    HOME: work,
    TOKENYIELD_TOKENS: join(work, 'tokens.json'),
    TOKENYIELD_CONFIG: join(work, 'config.json'),
  };
  const serverConfig = {
    ...(journal ? {} : { journal: false }),
    ...(opt['ledger-memory'] ? { ledgerMemory: opt['ledger-memory'] } : {}),
    ...(opt['decode-workers'] ? { decodeWorkers: Number(opt['decode-workers']) } : {}),
  };
  writeFileSync(env.TOKENYIELD_CONFIG, JSON.stringify({ server: serverConfig }));
  const createToken = (role) => {
    const created = spawnSync(
      process.execPath,
      [BIN, 'token', 'create', '--role', role, '--name', `bench-${role}`, '--json'],
      { env, encoding: 'utf8' },
    );
    if (created.status !== 0) throw new Error(`token create failed: ${created.stderr}`);
    return JSON.parse(created.stdout).token;
  };
  const token = createToken('ingest');
  const readToken = createToken('admin');
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
  console.log(
    `server bench: ${concurrency} exporters × ${events} calls per request${rate > 0 ? `, then ${rate.toLocaleString()} calls/s offered` : ''}, ${seconds} s each, OTLP ${encoding}, ${journal ? 'journaled' : 'no journal'}; ${machine}\n`,
  );

  // 1. floor
  let floorRun = null;
  let floorRss = null;
  if (!opt['skip-floor']) {
    const floor = await startProcess([fileURLToPath(import.meta.url), '--floor-child'], env);
    prepareTemplates('floor', events, encoding);
    floorRun = await load({ url: floor.url, token, run: 'floor', seconds, concurrency, events, encoding });
    floorRss = peakRssMiB(floor.child.pid);
    await stop(floor.child);
    console.log(
      `floor (HTTP + decode only):     ${floorRun.eventsPerSecond.toLocaleString()} events/s, p99 ${floorRun.latencyMs.p99?.toFixed(1)} ms, ${floorRss} MiB`,
    );
  }

  // 2. sustained load: closed loop, then open loop at the target rate
  let prefilledDb = null;
  let prefilled = 0;
  if (Number(opt.prefill) > 0) {
    const started = performance.now();
    prefilledDb = join(work, 'prefilled.duckdb');
    prefilled = await prefillLedger(prefilledDb, Number(opt.prefill), events);
    console.log(
      `prefilled the ledger with ${prefilled.toLocaleString()} calls in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
  }
  const measure = { work, env, readToken, prefilledDb, prefilled, floorRun };
  const loadResult = await measuredRun(measure, 'load', 'tokenyield serve:', (url) =>
    load({ url, token, run: 'load', seconds, concurrency, events, encoding }),
  );
  const rateResult =
    rate > 0
      ? await measuredRun(measure, 'rate', `at ${rate.toLocaleString()} calls/s offered:`, (url) =>
          loadAtRate({ url, token, run: 'rate', seconds, rate, events, encoding }),
        )
      : null;
  if (rateResult) {
    const r = rateResult;
    const refused = r.requests - (r.statuses[200] ?? 0);
    // Kept up: every call acknowledged, at 99 % of the offered rate or more counted to the last
    // answer (a server slower than the rate falls behind by a growing backlog: at 19,000 of 20,000
    // calls/s, 1 s after 20 s), the ledger caught up within MAX_CATCH_UP_SECONDS after that, and
    // holding each call once.
    r.keptUp =
      r.ackedEvents === r.offeredEvents &&
      r.eventsPerSecond >= 0.99 * rate &&
      r.catchUpSeconds <= MAX_CATCH_UP_SECONDS &&
      r.check.ok;
    console.log(
      `  target ${rate.toLocaleString()} calls/s: ${r.keptUp ? 'met' : 'NOT met'} (${refused} of ${r.requests} requests not acknowledged; ${r.eventsPerSecond.toLocaleString()} calls/s acknowledged to the last answer, 99 % needed; ledger ${r.catchUpSeconds.toFixed(1)} s behind, at most ${MAX_CATCH_UP_SECONDS}; the generator fell behind its own schedule by at most ${r.sendLagMs.toFixed(0)} ms)`,
    );
  }

  // 3. crash test
  const crash = opt['skip-crash']
    ? null
    : await crashTest({ work, env, token, concurrency, events, encoding, crashAfter });

  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `server-${new Date().toISOString().slice(0, 10)}.json`);
  const runs = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
  runs.push({
    at: new Date().toISOString(),
    machine,
    options: {
      seconds,
      concurrency,
      rate,
      events,
      crashAfter,
      encoding,
      journal,
      prefill: prefilled,
      ledgerMemory: opt['ledger-memory'] ?? null,
      decodeWorkers: opt['decode-workers'] ?? null,
    },
    floor: floorRun && { ...strip(floorRun), peakRssMiB: floorRss },
    load: loadResult,
    rate: rateResult,
    crash,
  });
  writeFileSync(file, `${JSON.stringify(runs, null, 2)}\n`);
  rmSync(work, { recursive: true, force: true });
  const failed = !loadResult.check.ok || (rateResult && !rateResult.keptUp) || (crash && !crash.check.ok);
  if (failed) process.exit(1);
}

/**
 * Starts `tokenyield serve` on a fresh ledger (a copy of the prefilled one, if any), runs `drive`
 * against it, waits until the ledger holds every acknowledged call, and prints and returns what it
 * took: rates, latency, CPU, commits and the ledger check.
 */
async function measuredRun({ work, env, readToken, prefilledDb, prefilled, floorRun }, run, title, drive) {
  const db = join(work, `${run}.duckdb`);
  if (prefilledDb) copyFileSync(prefilledDb, db);
  // BENCH_CPU_PROF=dir writes a V8 CPU profile of the loaded server there, for finding hot spots.
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  // BENCH_NODE_FLAGS="--flag …" starts the loaded server with those Node/V8 flags (experiments).
  const flags = process.env.BENCH_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
  const server = await startProcess([...prof, ...flags, BIN, 'serve', '--db', db, '--port', '0'], env);
  templates.clear();
  prepareTemplates(run, Number(opt.events), opt.encoding);
  const cpuAtStart = cpuSeconds(server.child.pid);
  const mainAtStart = mainThreadCpuSeconds(server.child.pid);
  const benchCpuAtStart = process.cpuUsage();
  const loadRun = await drive(server.url);
  // Journaled, acknowledged calls may still be on their way into the ledger: the rate that counts
  // is the one the ledger sustains, so the clock runs until a report sees every one of them. A
  // read applies what is gathered at once (it does not wait for the gathering delay), as any
  // reader's would; the poll then confirms nothing is left.
  const catchUpStarted = performance.now();
  const report = await fetch(`${server.url}/api/v1/reports/daily?tz=UTC`, {
    headers: { authorization: `Bearer ${readToken}` },
  });
  if (report.status !== 200)
    throw new Error(`report after the load: HTTP ${report.status} ${await report.text()}`);
  await report.arrayBuffer();
  while ((await queuedRecords(server.url)) > 0) await new Promise((r) => setTimeout(r, 50));
  const catchUpSeconds = (performance.now() - catchUpStarted) / 1000;
  const sustainedPerSecond = Math.round(loadRun.ackedEvents / (loadRun.elapsedSeconds + catchUpSeconds));
  const serverRss = peakRssMiB(server.child.pid);
  const serverCpu = cpuSeconds(server.child.pid) - cpuAtStart;
  // The other threads' share is the total less the main thread's (exited threads count only in the total).
  const mainThreadCpu = mainThreadCpuSeconds(server.child.pid) - mainAtStart;
  const benchCpu = process.cpuUsage(benchCpuAtStart);
  const commits = await commitStats(server.url);
  await stop(server.child);
  const check = await ledgerCheck(db, loadRun.acked, loadRun.ackedEvents + prefilled);
  // An open loop's rate is set by its schedule: what it shows is whether the server kept pace
  // with it, and whether the ledger did (a lagging ledger would need long to catch up at the end).
  const rates =
    loadRun.offeredPerSecond === undefined
      ? `${loadRun.eventsPerSecond.toLocaleString()} events/s acknowledged${floorRun ? ` (${(loadRun.eventsPerSecond / floorRun.eventsPerSecond).toFixed(2)}× floor)` : ''}, ` +
        `${sustainedPerSecond.toLocaleString()} events/s sustained into the ledger (caught up ${catchUpSeconds.toFixed(1)} s after the load)`
      : `${loadRun.ackedEvents.toLocaleString()} of ${loadRun.offeredEvents.toLocaleString()} calls acknowledged, the last answer ` +
        `${loadRun.tailSeconds.toFixed(1)} s after the last send, the ledger caught up ${catchUpSeconds.toFixed(1)} s after that`;
  console.log(
    `${title.padEnd(31)} ${rates}, ` +
      `p50 ${loadRun.latencyMs.p50?.toFixed(1)} ms, p99 ${loadRun.latencyMs.p99?.toFixed(1)} ms, statuses ${JSON.stringify(loadRun.statuses)}, peak RSS ${serverRss} MiB`,
  );
  const generatorCpu = (benchCpu.user + benchCpu.system) / 1e6;
  const microsPerEvent = Math.round((1e6 * serverCpu) / Math.max(1, loadRun.ackedEvents));
  console.log(
    `  CPU: server ${serverCpu.toFixed(1)} s (${microsPerEvent} µs per event; main thread ${mainThreadCpu.toFixed(1)} s, other threads ${(serverCpu - mainThreadCpu).toFixed(1)} s), load generator ${generatorCpu.toFixed(1)} s, ` +
      `in ${(loadRun.elapsedSeconds + catchUpSeconds).toFixed(1)} s on ${cpus().length} cores; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  console.log(
    `  commits: ${commits.count.toLocaleString()}, ${commits.meanMs.toFixed(1)} ms and ${Math.round(loadRun.ackedEvents / Math.max(1, commits.count))} calls each on average, ledger busy ${((100 * commits.seconds) / loadRun.elapsedSeconds).toFixed(0)} % of the run`,
  );
  console.log(
    `  ledger: ${check.usageRows.toLocaleString()} calls for ${loadRun.ackedEvents.toLocaleString()} acknowledged${prefilled ? ` + ${prefilled.toLocaleString()} prefilled` : ''}, ${check.duplicates} duplicates, ${check.ackedMissing} missing → ${check.ok ? 'OK' : 'FAILED'}`,
  );
  return {
    ...strip(loadRun),
    catchUpSeconds,
    sustainedPerSecond,
    serverCpuSeconds: serverCpu,
    serverCpuMicrosPerEvent: microsPerEvent,
    serverMainThreadCpuSeconds: mainThreadCpu,
    generatorCpuSeconds: generatorCpu,
    loadAverage: loadavg(),
    peakRssMiB: serverRss,
    commits,
    check,
  };
}

const strip = ({ acked, unacked, ...rest }) => rest;

async function crashTest({ work, env, token, concurrency, events, encoding, crashAfter }) {
  const crashDb = join(work, 'crash.duckdb');
  prepareTemplates('crash', events, encoding);
  const crashed = await startProcess([BIN, 'serve', '--db', crashDb, '--port', '0'], env);
  const killer = setTimeout(() => crashed.child.kill('SIGKILL'), crashAfter * 1000);
  const crashRun = await load({
    url: crashed.url,
    token,
    run: 'crash',
    seconds: crashAfter + 30,
    concurrency,
    events,
    encoding,
    stopOnError: true,
  });
  clearTimeout(killer);
  await stop(crashed.child, 'SIGKILL');
  const restarted = await startProcess([BIN, 'serve', '--db', crashDb, '--port', '0'], env);
  let retried = 0;
  for (const { seq, ids } of crashRun.unacked) {
    const { body } = logsBody('crash', seq, ids.length, encoding);
    for (;;) {
      const res = await postExport(restarted.url, token, encoding, body);
      if (res.status === 200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    retried++;
  }
  await stop(restarted.child);
  // What the restart found in the journal: acknowledged (synced) but not yet applied at the kill.
  const replayed = /replayed (\d+) journaled exports \((\d+) records\)/.exec(restarted.stderr());
  const torn = /dropped a torn last journal entry \((\d+) bytes/.exec(restarted.stderr());
  const journalReplay = {
    exports: Number(replayed?.[1] ?? 0),
    records: Number(replayed?.[2] ?? 0),
    tornBytes: Number(torn?.[1] ?? 0),
  };
  const sentTotal = crashRun.requests * events;
  const crashCheck = await ledgerCheck(crashDb, crashRun.acked, sentTotal);
  console.log(
    `crash test: SIGKILL after ${crashAfter} s with ${crashRun.ackedEvents.toLocaleString()} calls acknowledged and ${crashRun.unacked.length} requests unanswered; ` +
      `restarted (journal replayed ${journalReplay.exports} exports, ${journalReplay.records} records; torn tail ${journalReplay.tornBytes} bytes), ${retried} requests re-sent → ledger ${crashCheck.usageRows.toLocaleString()} calls of ${sentTotal.toLocaleString()} sent, ` +
      `${crashCheck.ackedMissing} acknowledged missing, ${crashCheck.duplicates} duplicates → ${crashCheck.ok ? 'OK' : 'FAILED'}`,
  );
  return { ...strip(crashRun), retried, journalReplay, check: crashCheck };
}

// Last, so every constant above is initialized before the run starts.
if (!opt['floor-child']) await main();

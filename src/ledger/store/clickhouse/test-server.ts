/**
 * A private ClickHouse server for tests and benchmarks: the installed binary (`clickhouse server`
 * or Debian's `clickhouse-server`) started with a generated config that listens on loopback only,
 * on free ports, with its data, temporary files and logs in a fresh directory, and stopped (and
 * the directory removed) afterwards. `TOKENYIELD_CLICKHOUSE_URL` points tests at an existing
 * server instead.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type ClickHouseTarget, Connection, parseClickHouseUrl } from './connection.js';
import { identifier, sql } from './sql.js';

export interface ClickHouseBinary {
  command: string;
  /** Arguments before the config, e.g. `['server']` for the single `clickhouse` binary. */
  args: string[];
}

const SEARCH_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/opt/clickhouse/bin'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The installed server binary, looked up on PATH and in the usual install folders; undefined when none. */
export function findClickHouseBinary(env: NodeJS.ProcessEnv = process.env): ClickHouseBinary | undefined {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...SEARCH_DIRS];
  for (const dir of dirs) {
    const server = join(dir, 'clickhouse-server');
    if (executable(server)) return { command: server, args: [] };
  }
  for (const dir of dirs) {
    const single = join(dir, 'clickhouse');
    if (executable(single)) return { command: single, args: ['server'] };
  }
  return undefined;
}

export interface LocalClickHouse {
  /** `clickhouse://127.0.0.1:<port>` (no database). */
  url: string;
  httpPort: number;
  dir: string;
  /** Stops the server and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

export interface LocalClickHouseOptions {
  /** Memory one query may use (bytes); 2 GB by default. */
  maxMemoryUsage?: number;
  /** Keep the directory after stopping (for inspecting logs). */
  keepDir?: boolean;
  /** How long to wait for the server to answer; 60 s by default. */
  startTimeoutMs?: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const xml = (value: string) =>
  value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

function serverConfig(dir: string, httpPort: number, tcpPort: number): string {
  const d = (sub: string) => xml(`${join(dir, sub)}/`);
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>${xml(join(dir, 'log', 'server.log'))}</log>
    <errorlog>${xml(join(dir, 'log', 'error.log'))}</errorlog>
    <console>0</console>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <path>${d('data')}</path>
  <tmp_path>${d('tmp')}</tmp_path>
  <user_files_path>${d('user_files')}</user_files_path>
  <format_schema_path>${d('format_schemas')}</format_schema_path>
  <users_config>${xml(join(dir, 'users.xml'))}</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
</yandex>
`;
}

function usersConfig(maxMemoryUsage: number): string {
  return `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>${maxMemoryUsage}</max_memory_usage>
      <load_balancing>random</load_balancing>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas>
    <default>
      <interval>
        <duration>3600</duration>
        <queries>0</queries>
        <errors>0</errors>
        <result_rows>0</result_rows>
        <read_rows>0</read_rows>
        <execution_time>0</execution_time>
      </interval>
    </default>
  </quotas>
</yandex>
`;
}

function tail(path: string, lines = 20): string {
  if (!existsSync(path)) return '';
  return readFileSync(path, 'utf8').trim().split('\n').slice(-lines).join('\n');
}

/** Starts a private server; throws with the server's own log when it does not come up. */
export async function startLocalClickHouse(options: LocalClickHouseOptions = {}): Promise<LocalClickHouse> {
  const binary = findClickHouseBinary();
  if (!binary) {
    throw new Error(
      'No ClickHouse server binary found (clickhouse-server or clickhouse). Install one, e.g. `sudo apt-get install clickhouse-server`.',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'tokenyield-clickhouse-'));
  for (const sub of ['data', 'tmp', 'user_files', 'format_schemas', 'log']) mkdirSync(join(dir, sub));
  const httpPort = await freePort();
  const tcpPort = await freePort();
  const configPath = join(dir, 'config.xml');
  writeFileSync(configPath, serverConfig(dir, httpPort, tcpPort));
  writeFileSync(join(dir, 'users.xml'), usersConfig(options.maxMemoryUsage ?? 2_000_000_000));

  const child: ChildProcess = spawn(binary.command, [...binary.args, `--config-file=${configPath}`], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: false,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (!exited) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exit;
        clearTimeout(killer);
      }
      if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  const url = `http://127.0.0.1:${httpPort}`;
  for (;;) {
    if (exited) {
      const log = [stderr.trim(), tail(join(dir, 'log', 'error.log'))].filter(Boolean).join('\n');
      await stop();
      throw new Error(
        `ClickHouse (${binary.command}) exited during start-up (code ${exited.code}, signal ${exited.signal}):\n${log}`,
      );
    }
    try {
      const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      const log = tail(join(dir, 'log', 'error.log'));
      await stop();
      throw new Error(`ClickHouse did not answer on ${url} within the start-up timeout.\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: `clickhouse://127.0.0.1:${httpPort}`, httpPort, dir, stop };
}

/** A server for one test file: fresh databases on demand, all dropped (or the server stopped) at the end. */
export interface TestClickHouse {
  /** A `clickhouse://…/<db>` URL naming a database no one has used. */
  freshUrl(): string;
  /** Drops the databases handed out, and stops the server if this file started it. */
  stop(): Promise<void>;
}

export type TestClickHouseSetup = { ok: true; server: TestClickHouse } | { ok: false; reason: string };

let fileCounter = 0;

/**
 * The ClickHouse a test file runs against: `TOKENYIELD_CLICKHOUSE_URL` when set, else a private
 * server started here. Without a binary the answer is `{ ok: false }` (the caller skips, saying
 * why), except under `CI` (or `TOKENYIELD_REQUIRE_CLICKHOUSE`), where a missing engine must fail
 * the run rather than skip silently.
 */
export async function clickHouseForTests(env: NodeJS.ProcessEnv = process.env): Promise<TestClickHouseSetup> {
  let base: string;
  let local: LocalClickHouse | undefined;
  if (env.TOKENYIELD_CLICKHOUSE_URL) {
    base = env.TOKENYIELD_CLICKHOUSE_URL;
  } else if (findClickHouseBinary(env) === undefined) {
    const reason =
      'ClickHouse tests skipped: no clickhouse-server binary (apt-get install clickhouse-server) and no TOKENYIELD_CLICKHOUSE_URL.';
    if (env.CI || env.TOKENYIELD_REQUIRE_CLICKHOUSE) throw new Error(`${reason} CI must run them.`);
    return { ok: false, reason };
  } else {
    local = await startLocalClickHouse();
    base = local.url;
  }
  const target: ClickHouseTarget = parseClickHouseUrl(base);
  const prefix = `tokenyield_test_${process.pid}_${++fileCounter}_${Date.now().toString(36)}`;
  const created: string[] = [];
  return {
    ok: true,
    server: {
      freshUrl() {
        const name = `${prefix}_${created.length + 1}`;
        created.push(name);
        const u = new URL(base);
        u.pathname = `/${name}`;
        return u.toString();
      },
      async stop() {
        if (local) {
          await local.stop();
          return;
        }
        const admin = Connection.open(target, false);
        try {
          for (const name of created) await admin.command(sql`DROP DATABASE IF EXISTS ${identifier(name)}`);
        } finally {
          await admin.close();
        }
      },
    },
  };
}

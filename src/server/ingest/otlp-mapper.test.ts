/**
 * The OTLP mapper on a real worker thread: the compiled worker in dist/ (built by `npm install`),
 * since Node 20 cannot start a worker from the TypeScript sources these tests run.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { apiRequestsBody, capture } from '../../../test/fixtures/otel/payloads.js';
import { OtlpDecodeError } from '../../sources/otel/types.js';
import { createOtlpMapper, type OtlpMapper } from './otlp-mapper.js';
import { mapOtlpExport, type OtlpExport } from './otlp-records.js';

const COMPILED = new URL('../../../dist/server/ingest/otlp-map-worker.js', import.meta.url);
const CAPTURES = 'claude-code-2.1.197';

const mappers: OtlpMapper[] = [];
function mapperWith(workerUrl: URL, onWorkerError?: (err: Error) => void): OtlpMapper {
  const mapper = createOtlpMapper({ workers: 1, workerUrl, onWorkerError });
  mappers.push(mapper);
  return mapper;
}
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(mappers.splice(0).map((m) => m.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A mapper whose worker exits with `code` on its first message, and the errors it reports. */
function mapperDyingWith(code: number): { mapper: OtlpMapper; errors: Error[] } {
  const dir = mkdtempSync(join(tmpdir(), 'ty-mapper-'));
  dirs.push(dir);
  const dying = join(dir, 'dying-worker.mjs');
  writeFileSync(
    dying,
    `import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(${code}));\n`,
  );
  const errors: Error[] = [];
  return { mapper: mapperWith(pathToFileURL(dying), (err) => errors.push(err)), errors };
}

/** Every export Claude Code sent in the capture (JSON and protobuf), and one of 300 calls built like it. */
function captureExports(): OtlpExport[] {
  const exportsIn = (encoding: 'json' | 'protobuf'): OtlpExport[] => {
    const dir = fileURLToPath(
      new URL(`../../../test/fixtures/otel/${CAPTURES}/otlp-${encoding}`, import.meta.url),
    );
    return readdirSync(dir)
      .sort()
      .map((file) => ({
        signal: file.includes('metrics') ? 'metrics' : 'logs',
        encoding,
        body: new Uint8Array(capture(`otlp-${encoding}/${file}`)),
      }));
  };
  return [
    ...exportsIn('json'),
    ...exportsIn('protobuf'),
    { signal: 'logs', encoding: 'json', body: apiRequestsBody('worker', 300) },
  ];
}

describe('createOtlpMapper', () => {
  it('needs the compiled worker (npm run build)', () => {
    expect(existsSync(fileURLToPath(COMPILED))).toBe(true);
  });

  it('maps JSON and protobuf exports on its thread exactly as in place', async () => {
    const mapper = mapperWith(COMPILED);
    expect(mapper.threads).toBe(1);
    const exports = captureExports();
    expect(exports.filter((e) => e.encoding === 'protobuf').length).toBeGreaterThan(1);
    const mapped = await Promise.all(exports.map((e) => mapper.map(e)));
    for (let i = 0; i < exports.length; i++) expect(mapped[i]).toStrictEqual(mapOtlpExport(exports[i]!));
    expect(mapped.at(-1)!.usage).toHaveLength(300);
    expect(mapped.some((m) => m.usage.length > 0 && m.activity.length > 0)).toBe(true);
  });

  it('rejects a body that is not an export request as in place, with the same message', async () => {
    const mapper = mapperWith(COMPILED);
    const protobuf = captureExports().find((e) => e.encoding === 'protobuf')!;
    const notExports: OtlpExport[] = [
      ...['{"resourceLogs": [', '[1,2]', '\u00ff'].map(
        (text): OtlpExport => ({ signal: 'logs', encoding: 'json', body: new TextEncoder().encode(text) }),
      ),
      { ...protobuf, body: protobuf.body.subarray(0, protobuf.body.length - 7) },
    ];
    for (const request of notExports) {
      let expected: unknown;
      try {
        mapOtlpExport(request);
      } catch (err) {
        expected = err;
      }
      expect(expected).toBeInstanceOf(OtlpDecodeError);
      await expect(mapper.map(request)).rejects.toThrow(new OtlpDecodeError((expected as Error).message));
    }
    const invalidUtf8: OtlpExport = {
      signal: 'logs',
      encoding: 'json',
      body: Uint8Array.of(0x7b, 0xff, 0x7d),
    };
    await expect(mapper.map(invalidUtf8)).rejects.toThrow('body is not valid UTF-8');
    expect(mapper.threads).toBe(1);
  });

  it('sends only what the body holds when it is a view into a larger buffer', async () => {
    const mapper = mapperWith(COMPILED);
    const body = apiRequestsBody('view', 20);
    const larger = new Uint8Array(body.length + 64);
    larger.set(body, 32);
    const request: OtlpExport = {
      signal: 'logs',
      encoding: 'json',
      body: larger.subarray(32, 32 + body.length),
    };
    expect((await mapper.map(request)).usage).toHaveLength(20);
  });

  it('maps in place, losing nothing, when its worker dies', async () => {
    const { mapper, errors } = mapperDyingWith(3);
    const exports = captureExports();
    const mapped = await Promise.all(exports.map((e) => mapper.map(e)));
    for (let i = 0; i < exports.length; i++) expect(mapped[i]).toStrictEqual(mapOtlpExport(exports[i]!));
    expect(errors.map((e) => e.message)).toEqual(['OTLP mapping worker exited with code 3']);
    expect(mapper.threads).toBe(0);
    expect((await mapper.map(exports.at(-1)!)).usage).toHaveLength(300);
  });

  it('sends protobuf bodies to its worker too', async () => {
    // The worker dies on its first message, which shows that the request reached it.
    const { mapper, errors } = mapperDyingWith(4);
    const protobuf = captureExports().find((e) => e.encoding === 'protobuf')!;
    expect(await mapper.map(protobuf)).toStrictEqual(mapOtlpExport(protobuf));
    expect(errors.map((e) => e.message)).toEqual(['OTLP mapping worker exited with code 4']);
  });

  it('maps in place without a compiled worker, and after closing', async () => {
    const sources = createOtlpMapper({ workers: 1 });
    mappers.push(sources);
    // From the TypeScript sources there is no otlp-map-worker.js beside otlp-mapper.ts.
    expect(sources.threads).toBe(0);
    const request = captureExports().at(-1)!;
    expect((await sources.map(request)).usage).toHaveLength(300);

    const mapper = mapperWith(COMPILED);
    expect(mapper.threads).toBe(1);
    await mapper.close();
    expect(mapper.threads).toBe(0);
    expect((await mapper.map(request)).usage).toHaveLength(300);
  });
});

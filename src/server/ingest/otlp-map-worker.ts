/**
 * A worker thread that decodes and maps OTLP export requests for `createOtlpMapper`: the records'
 * drafts come back packed (packed-map-result.ts), and people and prices are applied on the main
 * thread, which owns them.
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { OtlpDecodeError } from '../../sources/otel/types.js';
import type { MapReply, MapRequest } from './otlp-mapper.js';
import { mapOtlpExport } from './otlp-records.js';
import { type PackedMapResult, packMapResult, transferablesOf } from './packed-map-result.js';

const port = parentPort;
if (!port) throw new Error('otlp-map-worker runs as a worker thread');

port.on('message', (request: MapRequest) => {
  let packed: PackedMapResult;
  try {
    packed = packMapResult(mapOtlpExport(request));
  } catch (err) {
    const error = { decode: err instanceof OtlpDecodeError, message: (err as Error).message ?? String(err) };
    port.postMessage({ id: request.id, error } satisfies MapReply);
    return;
  }
  port.postMessage({ id: request.id, packed } satisfies MapReply, transferablesOf(packed));
});

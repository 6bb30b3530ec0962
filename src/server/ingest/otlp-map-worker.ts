/**
 * A worker thread that decodes and maps OTLP export requests for `createOtlpMapper`: the records'
 * drafts come back, and people and prices are applied on the main thread, which owns them.
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { OtlpDecodeError } from '../../sources/otel/types.js';
import type { MapReply, MapRequest } from './otlp-mapper.js';
import { mapOtlpExport } from './otlp-records.js';

const port = parentPort;
if (!port) throw new Error('otlp-map-worker runs as a worker thread');

port.on('message', (request: MapRequest) => {
  let reply: MapReply;
  try {
    reply = { id: request.id, mapped: mapOtlpExport(request) };
  } catch (err) {
    reply = {
      id: request.id,
      error: { decode: err instanceof OtlpDecodeError, message: (err as Error).message ?? String(err) },
    };
  }
  port.postMessage(reply);
});

import { describe, expect, it } from 'vitest';
import { encodeOtlpResponse } from './index.js';
import { ExportLogsServiceResponse, ExportMetricsServiceResponse } from './schema.js';

describe('encodeOtlpResponse', () => {
  it('is empty when nothing was rejected', () => {
    expect(encodeOtlpResponse('logs', 'json', 0)).toBe('{}');
    expect(encodeOtlpResponse('metrics', 'protobuf', 0)).toEqual(new Uint8Array(0));
  });

  it('reports a partial success in JSON, int64 as a string', () => {
    expect(JSON.parse(encodeOtlpResponse('logs', 'json', 3, 'rejected: 3 × no model') as string)).toEqual({
      partialSuccess: { rejectedLogRecords: '3', errorMessage: 'rejected: 3 × no model' },
    });
    expect(JSON.parse(encodeOtlpResponse('metrics', 'json', 2) as string)).toEqual({
      partialSuccess: { rejectedDataPoints: '2' },
    });
  });

  it('round-trips a protobuf partial success through the schema', () => {
    const logs = encodeOtlpResponse('logs', 'protobuf', 5, 'why') as Uint8Array;
    expect(
      ExportLogsServiceResponse.toObject(ExportLogsServiceResponse.decode(logs), { longs: Number }),
    ).toEqual({
      partialSuccess: { rejectedLogRecords: 5, errorMessage: 'why' },
    });
    const metrics = encodeOtlpResponse('metrics', 'protobuf', 7) as Uint8Array;
    expect(
      ExportMetricsServiceResponse.toObject(ExportMetricsServiceResponse.decode(metrics), { longs: Number }),
    ).toEqual({ partialSuccess: { rejectedDataPoints: 7 } });
  });

  it('bounds the message and keeps a warning without rejections', () => {
    const long = encodeOtlpResponse('logs', 'json', 1, 'x'.repeat(5000)) as string;
    expect(
      (JSON.parse(long) as { partialSuccess: { errorMessage: string } }).partialSuccess.errorMessage,
    ).toHaveLength(1000);
    expect(JSON.parse(encodeOtlpResponse('logs', 'json', 0, 'heads up') as string)).toEqual({
      partialSuccess: { errorMessage: 'heads up' },
    });
  });
});

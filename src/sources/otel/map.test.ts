import { describe, expect, it } from 'vitest';
import { jsonBody, keyValues, type LogSpec, logsRequest } from '../../../test/fixtures/otel/payloads.js';
import { decodeOtlp, mapOtlp } from './index.js';
import { ExportLogsServiceRequest } from './schema.js';

const RESOURCE = { 'service.name': 'claude-code', 'user.email': 'dev@acme.example', 'team.id': 'payments' };

function apiRequest(i: number): LogSpec {
  return {
    body: 'claude_code.api_request',
    timeUnixNano: `${1795390736301 + i}000000`,
    attrs: {
      'user.id': '16c081e17140eb0ec9c9bc387a045120549c88cc8d8a846a743f1191752e49c5',
      'session.id': `session-${i % 50}`,
      'terminal.type': 'xterm',
      'event.name': 'api_request',
      'event.timestamp': new Date(1795390736301 + i).toISOString(),
      'event.sequence': i,
      'prompt.id': '4fc04086-abcc-4dd4-a6e2-085060943848',
      model: 'claude-sonnet-4-5',
      input_tokens: 77 + (i % 7),
      output_tokens: 78,
      cache_read_tokens: 8131,
      cache_creation_tokens: i % 3 === 0 ? 1791 : 0,
      cost_usd: 0.0038403,
      cost_usd_micros: 3840,
      duration_ms: 54,
      request_id: `req_${i}`,
      speed: 'normal',
      query_source: 'repl_main_thread',
    },
  };
}

describe('mapOtlp', () => {
  it('accounts for every item exactly once', () => {
    const records: LogSpec[] = [
      apiRequest(1),
      { ...apiRequest(2), attrs: { ...apiRequest(2).attrs, model: null } },
      { body: 'claude_code.hook_registered', attrs: { 'event.name': 'hook_registered' } },
      { body: 'hello world', attrs: {} },
      { attrs: {} },
    ];
    const r = mapOtlp(decodeOtlp('logs', jsonBody(logsRequest(RESOURCE, records)), 'json'));
    expect(r.items).toBe(5);
    expect(r.usage).toHaveLength(1);
    expect(r.rejected).toEqual({ 'claude_code.api_request: no model': 1 });
    expect(r.ignored).toEqual({
      'claude_code.hook_registered: not metered': 1,
      // A prose body is not taken for an event name.
      'log record without an event name': 2,
    });
  });

  it('pools reasons past a bound, so a sender cannot grow the report without limit', () => {
    const records = Array.from({ length: 200 }, (_, i) => ({ body: `custom.event_${i}`, attrs: {} }));
    const r = mapOtlp(decodeOtlp('logs', jsonBody(logsRequest({}, records)), 'json'));
    expect(Object.keys(r.ignored).length).toBeLessThanOrEqual(65);
    expect(Object.values(r.ignored).reduce((a, b) => a + b, 0)).toBe(200);
    expect(r.ignored['other reasons']).toBeGreaterThan(0);
  });

  it('maps 20,000 api_request events from JSON and from protobuf', () => {
    const n = 20_000;
    const request = logsRequest(
      RESOURCE,
      Array.from({ length: n }, (_, i) => apiRequest(i)),
    );
    const json = jsonBody(request);
    const proto = ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(request)).finish();
    for (const [body, encoding] of [
      [json, 'json'],
      [proto, 'protobuf'],
    ] as const) {
      const r = mapOtlp(decodeOtlp('logs', body, encoding));
      expect(r.items).toBe(n);
      expect(r.usage).toHaveLength(n);
      expect(r.rejected).toEqual({});
      expect(new Set(r.usage.map((u) => u.draft.id)).size).toBe(n);
      const inputs = r.usage.reduce((sum, u) => sum + u.draft.tokens.inputUncached, 0);
      expect(inputs).toBe(Array.from({ length: n }, (_, i) => 77 + (i % 7)).reduce((a, b) => a + b, 0));
    }
  });

  it('gives identical drafts for identical JSON and protobuf requests', () => {
    const request = logsRequest(RESOURCE, [apiRequest(1), apiRequest(2)]);
    const proto = ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(request)).finish();
    expect(mapOtlp(decodeOtlp('logs', proto, 'protobuf'))).toEqual(
      mapOtlp(decodeOtlp('logs', jsonBody(request), 'json')),
    );
    expect(keyValues({ a: 1 })).toEqual([{ key: 'a', value: { intValue: '1' } }]);
  });
});

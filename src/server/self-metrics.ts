/**
 * The server's own Prometheus metrics (`GET /metrics`): requests, records accepted and rejected,
 * queue depth, commit latency. Each server gets its own registry so tests can run several.
 * @module
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface SelfMetrics {
  readonly registry: Registry;
  requests: Counter<'route' | 'status'>;
  requestSeconds: Histogram<'route'>;
  records: Counter<'signal' | 'outcome'>;
  commits: Counter;
  commitSeconds: Histogram;
  queued: Gauge;
}

export function createSelfMetrics(queuedRecords: () => number): SelfMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tokenyield_' });
  return {
    registry,
    requests: new Counter({
      name: 'tokenyield_http_requests_total',
      help: 'HTTP requests by route and status code',
      labelNames: ['route', 'status'] as const,
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: 'tokenyield_http_request_duration_seconds',
      help: 'HTTP request latency by route, commit included',
      labelNames: ['route'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    records: new Counter({
      name: 'tokenyield_ingest_records_total',
      help: 'Telemetry items received, by signal and outcome (accepted, rejected, ignored)',
      labelNames: ['signal', 'outcome'] as const,
      registers: [registry],
    }),
    commits: new Counter({
      name: 'tokenyield_ledger_commits_total',
      help: 'Ledger write transactions committed',
      registers: [registry],
    }),
    commitSeconds: new Histogram({
      name: 'tokenyield_ledger_commit_duration_seconds',
      help: 'Time to commit one group of writes',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    queued: new Gauge({
      name: 'tokenyield_ingest_queued_records',
      help: 'Records waiting for a commit',
      registers: [registry],
      collect() {
        this.set(queuedRecords());
      },
    }),
  };
}

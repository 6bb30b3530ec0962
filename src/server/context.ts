/**
 * What every route of the server needs. Routes read through `store`, write only through
 * `writer` (which answers after the records are committed), and present what analyses compute.
 * @module
 */
import type { BudgetService } from '../analyses/budgets/index.js';
import type { ValueModel } from '../analyses/value/model.js';
import type { PeopleDirectory } from '../ledger/people/types.js';
import type { PriceBook } from '../ledger/pricing/index.js';
import type { Store } from '../ledger/store/store.js';
import type { AuditLog } from './auth/audit.js';
import type { Principal } from './auth/principal.js';
import type { OtlpMapper } from './ingest/otlp-mapper.js';
import type { IngestWriter } from './ingest/writer.js';
import type { ReadCache } from './read-cache.js';
import type { SelfMetrics } from './self-metrics.js';
import type { ServerSettings } from './settings.js';

export interface ServerContext {
  store: Store;
  writer: IngestWriter;
  /** Decodes and maps OTLP export bodies (JSON ones on worker threads). */
  mapper: OtlpMapper;
  directory: () => PeopleDirectory;
  priceBook: PriceBook;
  settings: ServerSettings;
  audit: AuditLog;
  metrics: SelfMetrics;
  /**
   * The value model of the ledger as last written; rebuilt on first use after a write (or, when
   * it is slow to build, refreshed in the background while the last one answers: read-cache.ts).
   */
  valueModel: () => Promise<ValueModel>;
  /** Expensive reads kept per ledger generation and people-file version. */
  readCache: ReadCache;
  /** Budgets: definitions, statuses refreshed after commits, alerts, the budget check. */
  budgets: BudgetService;
}

/** Hono environment: the authenticated caller, set by the auth middleware. */
export interface AppEnv {
  Variables: { principal: Principal };
}

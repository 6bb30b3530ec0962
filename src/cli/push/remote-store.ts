/**
 * The `Store` that `tokenyield push` hands to `ingest()`: the same incremental reader as
 * `tokenyield ingest`, with a tokenyield server as the ledger. Checkpoints come from the server
 * (those of this push token only) and each write sends records with the checkpoints that cover
 * them, which the server commits in one transaction.
 *
 * Pricing is the server's. ingest() re-prices a ledger when the stored price version differs
 * from the local price table; a remote ledger has no price version here (`getMeta` answers
 * nothing, `setMeta` keeps nothing) and nothing to re-price (`usageForPricing` yields nothing),
 * so that pass is empty by design: the server prices every pushed record with its own table and
 * re-prices its own ledger when that table changes. The local cost ingest() computes while
 * reading is dropped before sending.
 *
 * Reads and outcome writes are not part of pushing and are refused with `PushError`.
 * @module
 */
import type { SourceId } from '../../ledger/records.js';
import type {
  CostUpdate,
  FileCheckpoint,
  PricingRow,
  Store,
  WriteBatch,
  WriteResult,
} from '../../ledger/store/store.js';
import { checkpointsResponseSchema, type PushInfo, pushResultSchema } from '../../server/push/wire.js';
import { pushBodies } from './chunks.js';
import { type PushClient, PushError } from './client.js';

function unsupported(what: string): never {
  throw new PushError(
    `${what} is not available when pushing to a server; run it on the server or a local ledger.`,
  );
}

export class RemoteStore implements Store {
  readonly engine: Store['engine'];

  constructor(
    private readonly client: PushClient,
    readonly info: PushInfo,
    /** The machine's raw identity, sent with every push (identity.ts). */
    private readonly identity: Record<string, string>,
  ) {
    this.engine = info.engine;
  }

  async checkpoints(source: SourceId): Promise<Map<string, FileCheckpoint>> {
    const json = await this.client.get(
      `/api/v1/push/checkpoints?source=${encodeURIComponent(source)}`,
      `reading ${source} checkpoints`,
    );
    const parsed = checkpointsResponseSchema.safeParse(json);
    if (!parsed.success)
      throw new PushError(`The server's checkpoints for ${source} are not in the push format.`);
    return new Map(parsed.data.checkpoints.map((c) => [c.path, c]));
  }

  async write(batch: WriteBatch): Promise<WriteResult> {
    const total: WriteResult = {
      usageInserted: 0,
      usageDuplicates: 0,
      activityInserted: 0,
      activityDuplicates: 0,
    };
    for (const body of pushBodies(batch, this.identity, this.info.maxBodyBytes)) {
      const parsed = pushResultSchema.safeParse(
        await this.client.post('/api/v1/push', body, 'pushing usage'),
      );
      if (!parsed.success)
        throw new PushError('The server accepted the push but its answer is not in the push format.');
      for (const key of Object.keys(total) as Array<keyof WriteResult>) total[key] += parsed.data[key];
    }
    return total;
  }

  async getMeta(_key: string): Promise<string | undefined> {
    return undefined;
  }

  async setMeta(_key: string, _value: string): Promise<void> {}

  async metaWithPrefix(_prefix: string): Promise<Map<string, string>> {
    return new Map();
  }

  async *usageForPricing(_batchSize: number): AsyncIterable<PricingRow[]> {}

  async updateCosts(rows: CostUpdate[]): Promise<void> {
    if (rows.length > 0) unsupported('Re-pricing');
  }

  async close(): Promise<void> {}

  usage(): never {
    return unsupported('A usage report');
  }
  writeWork(): never {
    return unsupported('Writing outcomes');
  }
  workCheckpoint(): never {
    return unsupported('Reading outcome checkpoints');
  }
  work(): never {
    return unsupported('Reading outcomes');
  }
  sessions(): never {
    return unsupported('Reading sessions');
  }
  identities(): never {
    return unsupported('Listing identities');
  }
}

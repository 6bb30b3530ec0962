/**
 * The ledger as the server's routes read it while ingest goes through the journal: every read
 * first waits until the applier has moved into the ledger everything acknowledged before the read
 * began, so a report asked for right after an export was answered 2xx includes that export. The
 * wait is at most the commit in progress plus the next one; stating a lag instead would make
 * every client that checks what it just sent poll.
 * @module
 */
import type { Store } from '../../ledger/store/store.js';

export function readYourWrites(store: Store, caughtUp: () => Promise<void>): Store {
  const after =
    <A extends unknown[], R>(read: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await caughtUp();
      return read(...args);
    };
  return {
    engine: store.engine,
    checkpoints: after(store.checkpoints.bind(store)),
    write: store.write.bind(store),
    usage: after(store.usage.bind(store)),
    usageForPricing: async function* (batchSize: number) {
      await caughtUp();
      yield* store.usageForPricing(batchSize);
    },
    updateCosts: store.updateCosts.bind(store),
    writeWork: store.writeWork.bind(store),
    workCheckpoint: after(store.workCheckpoint.bind(store)),
    work: after(store.work.bind(store)),
    sessions: after(store.sessions.bind(store)),
    identities: after(store.identities.bind(store)),
    getMeta: store.getMeta.bind(store),
    setMeta: store.setMeta.bind(store),
    metaWithPrefix: store.metaWithPrefix.bind(store),
    close: store.close.bind(store),
  };
}

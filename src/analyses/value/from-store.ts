/**
 * Builds the value model from the ledger: the outcome records and session summaries the store
 * holds, with sessions' people re-resolved through the people directory (local usage is stamped
 * with the collecting machine's identity, which the people file may know under another id).
 * @module
 */
import type { PeopleDirectory } from '../../ledger/people/types.js';
import type { Store } from '../../ledger/store/store.js';
import { buildValueModel, type ValueModel } from './model.js';
import type { ValueOptions } from './options.js';

export async function valueModelFromStore(
  store: Store,
  directory: PeopleDirectory,
  options: ValueOptions = {},
): Promise<ValueModel> {
  const [work, sessions] = await Promise.all([
    store.work({ kinds: ['commits', 'pullRequests', 'deployments', 'incidents'] }),
    store.sessions({}),
  ]);
  const resolved = new Map<string, string>();
  const personOf = (id: string) => {
    let person = resolved.get(id);
    if (person === undefined) {
      person = directory.person(id)?.id ?? directory.resolve(id)?.id ?? id;
      resolved.set(id, person);
    }
    return person;
  };
  for (const s of sessions) s.personId = personOf(s.personId);
  return buildValueModel(
    {
      commits: work.commits,
      pullRequests: work.pullRequests,
      deployments: work.deployments,
      incidents: work.incidents,
      sessions,
    },
    directory,
    options,
  );
}

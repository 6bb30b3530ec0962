/**
 * Where the ledger lives unless told otherwise: `$TOKENYIELD_DB`, else
 * `~/.tokenyield/ledger.duckdb`. Engine-independent, so finding the path loads no engine.
 * @module
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultLedgerPath(
  env: Record<string, string | undefined> = process.env,
  home: string = homedir(),
): string {
  const fromEnv = env.TOKENYIELD_DB;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(home, '.tokenyield', 'ledger.duckdb');
}

// Which paths are the ledger's events: one predicate for the engine's state and the CLI's read-ahead of records.

import { LEDGER_DIR } from './ledger';

/** An event of the ledger: a `.json` file under LEDGER_DIR. */
export function isLedgerFile(p: string): boolean {
  return p.startsWith(LEDGER_DIR + '/') && p.endsWith('.json');
}

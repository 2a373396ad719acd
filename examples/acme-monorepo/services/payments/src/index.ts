import { createLedger } from './ledger';
import { refund } from './refunds';

export const ledger = createLedger();
export { refund };

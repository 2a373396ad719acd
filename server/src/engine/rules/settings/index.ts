import type { Rule } from '../../rule';
import { rule as invalid } from './invalid';
import { rule as legacyKey } from './legacy-key';
import { rule as localCommitted } from './local-committed';
import { rule as managedOnlyKey } from './managed-only-key';

export const rules: Rule[] = [invalid, legacyKey, localCommitted, managedOnlyKey];

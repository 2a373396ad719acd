import type { Rule } from '../../rule';
import { rule as autoMemory } from './auto-memory';
import { rule as bypassMode } from './bypass-mode';
import { rule as coverageGap } from './coverage-gap';
import { rule as deadRule } from './dead-rule';
import { rule as forbiddenAllow } from './forbidden-allow';
import { rule as hardBlockMissing } from './hard-block-missing';
import { rule as hardBlockNotManaged } from './hard-block-not-managed';
import { rule as hookBypass } from './hook-bypass';
import { rule as invalidRule } from './invalid-rule';
import { rule as managedBlastRadius } from './managed-blast-radius';

export const rules: Rule[] = [
  autoMemory,
  bypassMode,
  coverageGap,
  deadRule,
  forbiddenAllow,
  hardBlockMissing,
  hardBlockNotManaged,
  hookBypass,
  invalidRule,
  managedBlastRadius,
];

import type { Rule } from '../../rule';
import { rule as brokenReference } from './broken-reference';
import { rule as conflict } from './conflict';
import { rule as frontmatter } from './frontmatter';
import { rule as importCycle } from './import-cycle';
import { rule as importDepth } from './import-depth';
import { rule as mirrorDrift } from './mirror-drift';
import { rule as notLoaded } from './not-loaded';
import { rule as prohibitedContent } from './prohibited-content';
import { rule as ratifiedRuleMissing } from './ratified-rule-missing';
import { rule as requiredFile } from './required-file';
import { rule as requiredRule } from './required-rule';
import { rule as requiredSection } from './required-section';
import { rule as secret } from './secret';
import { rule as sizeBudget } from './size-budget';

export const rules: Rule[] = [
  brokenReference,
  conflict,
  frontmatter,
  importCycle,
  importDepth,
  mirrorDrift,
  notLoaded,
  prohibitedContent,
  ratifiedRuleMissing,
  requiredFile,
  requiredRule,
  requiredSection,
  secret,
  sizeBudget,
];

import type { Rule } from '../../rule';
import { rule as authorOfRecord } from './author-of-record';
import { rule as catchAllOnly } from './catch-all-only';
import { rule as coverage } from './coverage';
import { rule as duplicatePattern } from './duplicate-pattern';
import { rule as ignoredFile } from './ignored-file';
import { rule as individualOwner } from './individual-owner';
import { rule as missingFile } from './missing-file';
import { rule as noMatch } from './no-match';
import { rule as selfUnprotected } from './self-unprotected';
import { rule as shadowedRule } from './shadowed-rule';
import { rule as syntax } from './syntax';
import { rule as tooLarge } from './too-large';
import { rule as unknownOwner } from './unknown-owner';
import { rule as unownedPath } from './unowned-path';
import { rule as wrongOwner } from './wrong-owner';

export const rules: Rule[] = [
  authorOfRecord,
  catchAllOnly,
  coverage,
  duplicatePattern,
  ignoredFile,
  individualOwner,
  missingFile,
  noMatch,
  selfUnprotected,
  shadowedRule,
  syntax,
  tooLarge,
  unknownOwner,
  unownedPath,
  wrongOwner,
];

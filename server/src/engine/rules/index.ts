// The sorted registry of every rule. To add a rule: see CONTRIBUTING.md ("Adding a rule").

import type { Rule } from '../rule';
import { rules as workspaceRules } from './workspace/index';
import { rules as policyRules } from './policy/index';
import { rules as ownersRules } from './owners/index';
import { rules as conventionsRules } from './conventions/index';
import { rules as settingsRules } from './settings/index';
import { rules as permissionsRules } from './permissions/index';
import { rules as geminiRules } from './gemini/index';
import { rules as flywheelRules } from './flywheel/index';

export const RULES: readonly Rule[] = [
  ...workspaceRules,
  ...policyRules,
  ...ownersRules,
  ...conventionsRules,
  ...settingsRules,
  ...permissionsRules,
  ...geminiRules,
  ...flywheelRules,
].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));

const BY_ID = new Map(RULES.map((r) => [r.meta.id, r]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}

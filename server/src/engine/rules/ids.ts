// The set of registered rule ids, for rules that must know the others (suppressions). Filled lazily to avoid an
// import cycle with the registry.

import { RULES } from './index';

let ids: Set<string> | undefined;

export function RULE_IDS(): ReadonlySet<string> {
  ids ??= new Set(RULES.map((r) => r.meta.id));
  return ids;
}

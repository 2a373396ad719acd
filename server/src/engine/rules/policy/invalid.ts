// policy/invalid: the policy file (or a floor it extends) is not valid; checking goes on with what is valid.

import type { Rule } from '../../rule';

export const rule: Rule = {
  meta: {
    id: 'policy/invalid',
    surface: 'policy',
    defaultSeverity: 'error',
    description: 'The policy, or an org floor it extends, is not JSON, breaks the policy schema, or cannot be found',
    fixable: false,
    messages: {
      syntax:
        'The policy is not valid JSON here ({error}). The invalid part is ignored and checking goes on with the rest and the floor; fix the syntax.',
      tooDeep:
        'The policy nests deeper than {max} levels, so it is not read (a policy nests fewer than 10). Only the floor applies; fix the file.',
      notObject: 'The policy must be a JSON object ({ … }); this file is ignored and only the floor applies.',
      schema:
        'Policy value at {pointer} is invalid: {error}. It is ignored; see schemas/policy.schema.json (VS Code completes and explains each key).',
      unreadable: 'The policy file {file} cannot be read: {reason}. The baseline policy applies instead.',
      extendsUnreadable:
        'The org floor "{spec}" cannot be read: {reason}. Its rules are not applied, so this workspace is checked against less than the org requires; fix the path.',
      extendsPackage:
        'The org floor "{spec}" is not a path and no installed npm package provides it. Install the package (npm ci) or use a relative path.',
      pinMismatch:
        'The org floor "{spec}" does not match its sha256 pin (expected {expected}, found {actual}): it changed since it was pinned. It is not applied; update the pin after reviewing the change.',
      extendsCycle: 'The org floor "{spec}" is already on this extends chain (a cycle); it is not applied twice.',
      extendsDepth: 'The extends chain is deeper than 16 floors at "{spec}"; the rest is not applied.',
    },
    dependsOn: [],
  },
  check(ctx) {
    for (const p of ctx.policy.problems) {
      if (p.ruleId !== 'policy/invalid') continue;
      ctx.report({
        messageId: p.messageId,
        ...(p.data ? { data: p.data } : {}),
        file: p.file,
        range: p.range,
        ...(p.related ? { related: p.related } : {}),
      });
    }
  },
};

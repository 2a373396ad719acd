// gemini/exclude-only: Gemini CLI tools restricted with a `tools.exclude` blocklist and no `tools.core` allowlist,
// where the policy wants an allowlist (permissions.gemini.requireAllowlist). A blocklist misses every tool it does
// not name, including tools a new CLI version adds.

import type { Rule } from '../../rule';
import { geminiStack, getPath } from '../../permissions/index';
import { rangeAt } from '../../permissions/json';

export const rule: Rule = {
  meta: {
    id: 'gemini/exclude-only',
    surface: 'permissions',
    defaultSeverity: 'warning',
    description: 'Gemini CLI tools are blocklisted with tools.exclude where the policy wants a tools.core allowlist',
    fixable: false,
    messages: {
      excludeOnly:
        'Gemini CLI tools are restricted only by a blocklist (tools.exclude in {file}); every tool it does not name, including ones a new CLI version adds, stays available. The policy requires an allowlist: list the tools you need in tools.core.',
    },
    dependsOn: ['gemini-settings'],
  },
  check(ctx) {
    if (ctx.policy.permissions.gemini?.requireAllowlist !== true) return;
    const g = geminiStack(ctx.snapshot, ctx.cache);
    const ex = getPath(g.merged, 'tools.exclude');
    if (!Array.isArray(ex) || ex.length === 0 || Array.isArray(getPath(g.merged, 'tools.core'))) return;
    const f = g.origin.get('tools.exclude');
    if (!f?.inWorkspace) return;
    ctx.report({
      messageId: 'excludeOnly',
      data: { file: f.file },
      file: f.file,
      range: rangeAt(f.parsed, ['tools', 'exclude'], true),
    });
  },
};

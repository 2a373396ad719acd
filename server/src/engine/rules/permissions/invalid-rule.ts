// permissions/invalid-rule: a permission rule Claude Code skips or never matches — unbalanced parentheses, an
// unknown tool name, a line break or NUL inside, `Write(path)`/`Glob(path)` path rules the tool never consults,
// `Read(/abs)` that the tool anchors at the settings root rather than the file-system root, `:*` not at the end.

import type { Rule } from '../../rule';
import { allClaudeFiles, rulesOfFile } from '../../permissions/index';

export const rule: Rule = {
  meta: {
    id: 'permissions/invalid-rule',
    surface: 'permissions',
    defaultSeverity: 'warning',
    description:
      'A permission rule that Claude Code skips, never matches, or reads differently from what it looks like',
    fixable: false,
    messages: {
      skipped: '{list} rule {rule} {problem}, so it protects nothing. Fix the rule.',
      problem: '{list} rule {rule}: {problem}.',
    },
    dependsOn: ['claude-settings', 'claude-settings-local', 'claude-managed-settings', 'managed', 'user'],
  },
  check(ctx) {
    for (const f of allClaudeFiles(ctx.snapshot, ctx.cache, ctx.policy)) {
      if (f.dropped) continue;
      for (const r of rulesOfFile(f)) {
        for (const p of r.parsed.problems) {
          const data = { list: r.list, rule: JSON.stringify(r.text.slice(0, 120)), problem: p.message };
          const severe =
            p.skipped ||
            p.code === 'control-char' ||
            (r.list === 'deny' &&
              (p.code === 'settings-relative' || p.code === 'path-never-consulted' || p.code === 'unknown-tool'));
          ctx.report({
            messageId: p.skipped ? 'skipped' : 'problem',
            data,
            file: f.file,
            range: r.range,
            severity: severe ? 'error' : 'warning',
          });
        }
      }
    }
  },
};

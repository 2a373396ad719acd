// settings/legacy-key: Gemini CLI v1 flat keys (coreTools, excludeTools, contextFileName, …) that the current CLI
// ignores since the v1→v2 migration code was removed, and deprecated Claude Code keys (includeCoAuthoredBy,
// allowedTools, ignorePatterns, permissions.allowedTools).

import type { Rule } from '../../rule';
import { allClaudeFiles, geminiStack } from '../../permissions/index';
import { rangeAt } from '../../permissions/json';
import { CLAUDE_LEGACY_KEYS, GEMINI_LEGACY_KEYS } from '../../permissions/schema';

export const rule: Rule = {
  meta: {
    id: 'settings/legacy-key',
    surface: 'permissions',
    defaultSeverity: 'warning',
    description: 'A Gemini CLI v1 key the current CLI ignores, or a deprecated Claude Code key',
    fixable: false,
    messages: {
      gemini:
        '"{key}" is a Gemini CLI v1 key; the current CLI no longer migrates it and ignores it, so this setting is off. Move the value to "{to}".',
      claude:
        '"{key}" is an old Claude Code key that the current CLI ignores in settings files, so this setting is off; use {to}.',
      claudeDeprecated: '"{key}" is deprecated in Claude Code (replaced by {to}) and may stop working; use {to}.',
    },
    dependsOn: [
      'claude-settings',
      'claude-settings-local',
      'claude-managed-settings',
      'gemini-settings',
      'managed',
      'user',
    ],
  },
  check(ctx) {
    for (const f of allClaudeFiles(ctx.snapshot, ctx.cache, ctx.policy)) {
      const v = f.parsed.value;
      if (!v) continue;
      for (const [key, to] of Object.entries(CLAUDE_LEGACY_KEYS)) {
        const path = key.split('.');
        let cur: unknown = v;
        for (const k of path)
          cur = cur && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, unknown>)[k] : undefined;
        if (cur !== undefined)
          ctx.report({
            messageId: key === 'includeCoAuthoredBy' ? 'claudeDeprecated' : 'claude',
            data: { key, to },
            file: f.file,
            range: rangeAt(f.parsed, path, true),
          });
      }
    }
    for (const f of geminiStack(ctx.snapshot, ctx.cache).files) {
      if (!f.inWorkspace) continue;
      for (const key of Object.keys(f.value)) {
        const to = GEMINI_LEGACY_KEYS[key];
        if (to)
          ctx.report({ messageId: 'gemini', data: { key, to }, file: f.file, range: rangeAt(f.parsed, [key], true) });
      }
    }
  },
};

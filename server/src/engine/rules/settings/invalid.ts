// settings/invalid: a Claude Code or Gemini CLI settings file that the tool rejects in whole or in part — not
// strict JSON (a comment or trailing comma in a Claude file), a wrong type, an invalid enum value such as
// defaultMode, an unknown key, a duplicate key, or nesting too deep to read. The message says what the tool does.
// A managed value whose loss drops protections is permissions/managed-blast-radius's one finding.

import type { Rule } from '../../rule';
import { blastRadius } from '../../permissions/blast-radius';
import { allClaudeFiles, geminiStack } from '../../permissions/index';
import { GEMINI_KEYS, GEMINI_LEGACY_KEYS, MANAGED_ONLY_KEYS } from '../../permissions/schema';

export const rule: Rule = {
  meta: {
    id: 'settings/invalid',
    surface: 'permissions',
    defaultSeverity: 'error',
    description:
      'A Claude Code or Gemini CLI settings file is not strict JSON, has a value of the wrong type, an invalid enum value or an unknown key',
    fixable: false,
    messages: {
      syntax:
        '{file} is not valid strict JSON here ({error}). Claude Code rejects the whole file, so none of its settings or permission rules apply; fix the syntax.',
      dropsFile:
        '{file}: {error}. Claude Code rejects the whole file when a value is invalid, so none of its settings or permission rules apply; fix the value.',
      dropsValue: '{file}: {error}. Claude Code drops this value and keeps the rest of the file; fix the value.',
      dropsEntry: '{file}: {error}.',
      coerced:
        '{file}: {error}. Claude Code does not reject the file for it, but the settings schema requires a string.',
      unknownKey: '{file}: {error}. A typo or an invented key does nothing; remove it or use the documented key.',
      duplicateKey: '{file}: {error}. Reviewers may read the first one; keep one key.',
      gemini: '{file} is not valid JSON here ({error}); Gemini CLI cannot read it. Fix the syntax.',
      geminiUnknownKey:
        '{file}: unknown top-level key "{key}": Gemini CLI ignores it. Remove it or move it to its documented place.',
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
      for (const p of f.problems) {
        const data = { file: f.file, error: p.message };
        const messageId =
          p.code === 'unknown-key'
            ? 'unknownKey'
            : p.code === 'duplicate-key'
              ? 'duplicateKey'
              : ['syntax', 'comment', 'trailing-comma', 'depth', 'not-object', 'unreadable'].includes(p.code)
                ? 'syntax'
                : p.drops === 'file'
                  ? 'dropsFile'
                  : p.drops === 'value'
                    ? 'dropsValue'
                    : p.drops === 'entry'
                      ? 'dropsEntry'
                      : 'coerced';
        // A managed value whose loss drops protections is permissions/managed-blast-radius's (it lists them).
        if (blastRadius(f, p)) continue;
        // Legacy keys are settings/legacy-key's.
        if (
          p.code === 'unknown-key' &&
          /"(permissions\.)?(allowedTools|disallowedTools|ignorePatterns)"/.test(p.message)
        )
          continue;
        // A managed-only key nested under permissions is settings/managed-only-key's.
        if (
          p.code === 'unknown-key' &&
          p.pointer.startsWith('/permissions/') &&
          MANAGED_ONLY_KEYS.includes(p.pointer.slice(13))
        )
          continue;
        ctx.report({
          messageId,
          data,
          file: f.file,
          range: p.range,
          severity: p.code === 'unknown-key' || p.code === 'duplicate-key' || p.drops === 'none' ? 'warning' : 'error',
        });
      }
    }
    const g = geminiStack(ctx.snapshot, ctx.cache);
    for (const f of g.files) {
      if (!f.inWorkspace) continue;
      for (const p of f.parsed.problems) {
        ctx.report({
          messageId: p.code === 'duplicate-key' ? 'duplicateKey' : 'gemini',
          data: { file: f.file, error: p.message },
          file: f.file,
          range: p.range,
          severity: p.fatal ? 'error' : 'warning',
        });
      }
      const tree = f.parsed.tree;
      if (tree?.type !== 'object') continue;
      for (const prop of tree.children ?? []) {
        const k = prop.children?.[0];
        if (!k) continue;
        const key = String(k.value);
        if (GEMINI_KEYS.has(key) || key in GEMINI_LEGACY_KEYS || key.startsWith('_')) continue;
        ctx.report({
          messageId: 'geminiUnknownKey',
          data: { file: f.file, key },
          file: f.file,
          range: f.parsed.lines.range(k.offset, k.offset + k.length),
          severity: 'warning',
        });
      }
    }
  },
};

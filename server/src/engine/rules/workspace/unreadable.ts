// workspace/unreadable: a governance file that cannot be checked — binary, too large, a folder, unreadable, a
// symlink loop, or not valid UTF-8 — and problems met while listing the workspace. The rest is still checked.

import type { Rule } from '../../rule';
import { FILE_START } from '../../text';

export const rule: Rule = {
  meta: {
    id: 'workspace/unreadable',
    surface: 'workspace',
    defaultSeverity: 'warning',
    description: 'A governance file cannot be read as text, so nothing in it is checked',
    fixable: false,
    messages: {
      unreadable:
        '{path} cannot be checked: {reason}. Agents and platforms that read this file may see something else than you expect; make it a UTF-8 text file (or remove it).',
      invalidUtf8:
        '{path} is not valid UTF-8 (first bad byte at line {line}). It was checked with the bad bytes replaced; agents may read it differently. Re-save it as UTF-8.',
      discovery: 'While listing the workspace: {path}: {reason}. Files below it were not checked.',
    },
  },
  check(ctx) {
    for (const g of ctx.snapshot.governance) {
      const r = ctx.snapshot.read(g.path);
      if (!r.ok) {
        if (r.reason === 'missing') continue;
        ctx.report({
          messageId: 'unreadable',
          data: { path: g.path, reason: r.message },
          file: g.path,
          range: FILE_START,
        });
      } else if (r.invalidUtf8) {
        const { line, character } = r.invalidUtf8;
        ctx.report({
          messageId: 'invalidUtf8',
          data: { path: g.path, line: line + 1 },
          file: g.path,
          range: { start: { line, character }, end: { line, character: character + 1 } },
        });
      }
    }
    for (const p of ctx.snapshot.discoveryProblems) {
      ctx.report({
        messageId: 'discovery',
        data: { path: p.path, reason: p.message },
        file: p.path,
        range: FILE_START,
      });
    }
  },
};

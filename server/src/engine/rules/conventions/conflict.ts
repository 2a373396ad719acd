// conventions/conflict: two convention files that apply to the same path name different package managers for
// the same job — `pnpm test` in CLAUDE.md, `npm test` in .github/copilot-instructions.md. Agents may run the
// commands these files list (AGENTS.md says so), so they flip between lockfiles and test runners depending on
// which file they read. Both places are reported. Nested AGENTS.md files are exempt from each other: for AGENTS.md
// the nearest file wins by design.

import type { Rule } from '../../rule';
import { commandsOf, managersOf, type CommandFact, type Ecosystem } from '../../conventions/commands';
import { frontmatterValues, parseConvention } from '../../conventions/parse';
import { rangeOf } from '../../conventions/report';
import { conventionFiles, scopeDir } from '../../conventions/text';
import type { GovernanceFile } from '../../types';

function applies(a: string, b: string): boolean {
  return a === b || a === '' || b === '' || b.startsWith(a + '/') || a.startsWith(b + '/');
}

export const rule: Rule = {
  meta: {
    id: 'conventions/conflict',
    surface: 'conventions',
    defaultSeverity: 'warning',
    description: 'Two convention files that apply to the same path name different package managers or commands',
    fixable: false,
    messages: {
      manager: '{path} says `{command}`, but {other}, which applies to the same files, says `{otherCommand}`. Agents run what the file they read says, so they switch package managers (and lockfiles) between sessions; make both files name the same command.',
    },
  },
  check(ctx) {
    type Entry = { g: GovernanceFile; dir: string; managers: Map<Ecosystem, { manager: string; first: CommandFact }> };
    const entries: Entry[] = [];
    for (const g of conventionFiles(ctx.snapshot)) {
      if (g.kind === 'copilot-scoped-instructions') continue;
      const p = parseConvention(ctx.snapshot, ctx.cache, g.path);
      if (!p) continue;
      if (g.kind === 'cursor-mdc' && frontmatterValues(p).alwaysApply !== true) continue;
      if (g.kind === 'claude-rules' && frontmatterValues(p).paths !== undefined) continue;
      const cmds = ctx.cache.memo('conventions:commands:' + g.path, ctx.snapshot.version(g.path), () => commandsOf(p));
      const managers = managersOf(cmds);
      if (managers.size) entries.push({ g, dir: scopeDir(g.path), managers });
    }
    for (let i = 0; i < entries.length; i++) {
      for (let j = i + 1; j < entries.length; j++) {
        const a = entries[i]!;
        const b = entries[j]!;
        if (!applies(a.dir, b.dir)) continue;
        if (a.g.kind === 'agents-md' && b.g.kind === 'agents-md' && a.dir !== b.dir) continue;
        for (const [eco, ma] of a.managers) {
          const mb = b.managers.get(eco);
          if (!mb || mb.manager === ma.manager) continue;
          const pa = parseConvention(ctx.snapshot, ctx.cache, a.g.path)!;
          const pb = parseConvention(ctx.snapshot, ctx.cache, b.g.path)!;
          const ra = rangeOf(pa, ma.first);
          const rb = rangeOf(pb, mb.first);
          ctx.report({ messageId: 'manager', data: { path: a.g.path, command: ma.first.command, other: b.g.path, otherCommand: mb.first.command }, file: a.g.path, range: ra, related: [{ file: b.g.path, range: rb, message: `says \`${mb.first.command}\`` }] });
          ctx.report({ messageId: 'manager', data: { path: b.g.path, command: mb.first.command, other: a.g.path, otherCommand: ma.first.command }, file: b.g.path, range: rb, related: [{ file: a.g.path, range: ra, message: `says \`${ma.first.command}\`` }] });
        }
      }
    }
  },
};

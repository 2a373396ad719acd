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
      manager:
        '{path} says `{command}`, but {other} says `{otherCommand}` for the same files{more}. Agents run what the file they read says, so they switch package managers (and lockfiles) between sessions; make the files name the same command.',
    },
  },
  check(ctx) {
    type Entry = {
      g: GovernanceFile;
      dir: string;
      cmds: CommandFact[];
      managers: Map<Ecosystem, { manager: string; first: CommandFact }>;
    };
    const entries: Entry[] = [];
    for (const g of conventionFiles(ctx.snapshot)) {
      if (g.kind === 'copilot-scoped-instructions') continue;
      const p = parseConvention(ctx.snapshot, ctx.cache, g.path);
      if (!p) continue;
      if (g.kind === 'cursor-mdc' && frontmatterValues(p).alwaysApply !== true) continue;
      if (g.kind === 'claude-rules' && frontmatterValues(p).paths !== undefined) continue;
      const cmds = commandsOf(p);
      const managers = managersOf(cmds);
      if (managers.size) entries.push({ g, dir: scopeDir(g.path), cmds, managers });
    }
    // Per file and ecosystem: the other files that apply to the same paths and name another manager.
    const others = new Map<Entry, Map<Ecosystem, Entry[]>>();
    const add = (a: Entry, eco: Ecosystem, b: Entry) => {
      let m = others.get(a);
      if (!m) others.set(a, (m = new Map()));
      m.set(eco, [...(m.get(eco) ?? []), b]);
    };
    for (let i = 0; i < entries.length; i++) {
      for (let j = i + 1; j < entries.length; j++) {
        const a = entries[i]!;
        const b = entries[j]!;
        if (!applies(a.dir, b.dir)) continue;
        if (a.g.kind === 'agents-md' && b.g.kind === 'agents-md' && a.dir !== b.dir) continue;
        for (const [eco, ma] of a.managers) {
          const mb = b.managers.get(eco);
          if (!mb || mb.manager === ma.manager) continue;
          add(a, eco, b);
          add(b, eco, a);
        }
      }
    }
    for (const [a, byEco] of others) {
      const pa = parseConvention(ctx.snapshot, ctx.cache, a.g.path)!;
      for (const [eco, list] of byEco) {
        const b = list[0]!;
        // Show the same job on both sides when there is one (`pnpm test` vs `npm test`).
        const ca = a.cmds.filter((c) => c.ecosystem === eco);
        const cb = b.cmds.filter((c) => c.ecosystem === eco);
        const pair = ca.flatMap((x) => cb.filter((y) => y.script === x.script).map((y) => [x, y] as const))[0] ?? [
          a.managers.get(eco)!.first,
          b.managers.get(eco)!.first,
        ];
        const more =
          list.length > 1
            ? ` (as ${list.length > 2 ? 'do' : 'does'} ${list
                .slice(1)
                .map((x) => x.g.path)
                .join(', ')})`
            : '';
        ctx.report({
          messageId: 'manager',
          data: { path: a.g.path, command: pair[0].command, other: b.g.path, otherCommand: pair[1].command, more },
          file: a.g.path,
          range: rangeOf(pa, pair[0]),
          related: list.map((x) => {
            const px = parseConvention(ctx.snapshot, ctx.cache, x.g.path)!;
            const cx = x === b ? pair[1] : x.managers.get(eco)!.first;
            return { file: x.g.path, range: rangeOf(px, cx), message: `says \`${cx.command}\`` };
          }),
        });
      }
    }
  },
};

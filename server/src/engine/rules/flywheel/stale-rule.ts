// flywheel/stale-rule: an applied rule cites something that no longer exists — a path in backticks, a package script
// (`npm run x`, `pnpm run x`, `yarn run x`, `bun run x`), a make target (`make x`). Memories that silently go stale
// are the field's most common complaint; a ratified rule is checked against the repository as it is.

import type { Rule, RuleContext } from '../../rule';
import { allPackages, readPackage, type PackageScripts } from '../../conventions/packages';
import { MARKER_RE } from '../../conventions/ratified';
import { FILE_START, range } from '../../text';
import type { Range } from '../../types';
import { state } from '../../flywheel/rule-helpers';

export const rule: Rule = {
  meta: {
    id: 'flywheel/stale-rule',
    surface: 'flywheel',
    defaultSeverity: 'warning',
    description: 'A ratified rule cites a path, package script or make target that no longer exists',
    fixable: false,
    messages: {
      path: 'Ratified rule {id} cites `{ref}`, which does not exist any more. Agents follow it anyway: update the rule through a proposal (or retire it).',
      script:
        'Ratified rule {id} runs the package script `{ref}`, which {manifest} does not define any more (nor does any other package of the repository). Update the rule through a proposal (or retire it).',
      make: 'Ratified rule {id} runs `make {ref}`, which the Makefile does not define any more. Update the rule through a proposal (or retire it).',
    },
    // Targets (and the manifests a rule cites) can be any file: re-run on every change.
  },
  check(ctx) {
    const { st } = state(ctx);
    for (const { proposal: p } of st.proposals) {
      if (p.status !== 'applied' || p.route !== 'convention' || !p.rule || p.retires !== undefined) continue;
      const dir = p.target.includes('/') ? p.target.slice(0, p.target.lastIndexOf('/')) : '';
      for (const c of citations(p.rule)) {
        const problem = check(ctx, dir, c);
        if (!problem) continue;
        ctx.report({
          messageId: problem.messageId,
          data: { id: p.id, ref: c.ref, manifest: problem.manifest ?? '' },
          file: p.target,
          range: markerRange(ctx, p.target, p.id),
        });
      }
    }
  },
};

interface Citation {
  kind: 'path' | 'script' | 'make';
  ref: string;
}

const PATH_RE = /^(?:\.{1,2}\/)?[\w@.-]+(?:\/[\w@.-]+)+\/?$|^[\w-]+\.(?:md|json|ya?ml|toml|sh|ts|js|py|sql|txt)$/;

export function citations(text: string): Citation[] {
  const out: Citation[] = [];
  const seen = new Set<string>();
  const add = (c: Citation) => {
    const k = c.kind + ':' + c.ref;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(c);
    }
  };
  for (const m of text.matchAll(/`([^`\n]+)`/g)) {
    const code = m[1]!.trim();
    // `npm run watch:*`, `pnpm run <script>`, `npm run $TASK` are patterns and placeholders, not a script's name.
    const run = /^(?:npm|pnpm|yarn|bun) run ([\w:.-]+)(?=\s|$)/.exec(code);
    if (run) {
      if (!run[1]!.endsWith(':')) add({ kind: 'script', ref: run[1]! });
    } else if (/^make [\w.-]+$/.test(code)) add({ kind: 'make', ref: code.slice(5) });
    else if (PATH_RE.test(code) && !/^https?:|^[\w.-]+@[\w.-]+$/.test(code) && !code.includes('*'))
      add({ kind: 'path', ref: code });
  }
  return out;
}

function check(ctx: RuleContext, dir: string, c: Citation): { messageId: string; manifest?: string } | undefined {
  const join = (d: string, f: string) => (d ? `${d}/${f}` : f);
  if (c.kind === 'path') {
    const ref = c.ref.replace(/^\.\//, '').replace(/\/$/, '');
    if (ref.startsWith('../')) return undefined;
    return ctx.snapshot.exists(join(dir, ref)) || ctx.snapshot.exists(ref) ? undefined : { messageId: 'path' };
  }
  if (c.kind === 'script') {
    // Stale only when no package of the repository defines the script: a rule may run it in another package of a
    // monorepo (`pnpm --filter`, "from `apps/web`"), which conventions/broken-reference judges by what the text says.
    let near: PackageScripts | undefined;
    for (let d = dir; ; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
      if (ctx.snapshot.fileSet.has(join(d, 'package.json'))) {
        near = readPackage(ctx, join(d, 'package.json'));
        break;
      }
      if (!d) break;
    }
    if (!near || near.scripts.includes(c.ref)) return undefined;
    if (allPackages(ctx).some((f) => readPackage(ctx, f)?.scripts.includes(c.ref))) return undefined;
    return { messageId: 'script', manifest: near.pkg };
  }
  // The nearest Makefile at or above the target's folder.
  let d: string | undefined = dir;
  while (d !== undefined) {
    const f = join(d, 'Makefile');
    if (ctx.snapshot.fileSet.has(f)) {
      const r = ctx.snapshot.read(f);
      if (!r.ok) return undefined;
      return new RegExp(`^${c.ref.replace(/[.]/g, '\\.')}\\s*:`, 'm').test(r.text) ? undefined : { messageId: 'make' };
    }
    d = d === '' ? undefined : d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '';
  }
  return undefined;
}

function markerRange(ctx: RuleContext, file: string, id: string): Range {
  const r = ctx.snapshot.read(file);
  if (!r.ok) return FILE_START;
  const lines = r.text.split('\n');
  const i = lines.findIndex((l) => MARKER_RE.exec(l.trim())?.[1] === id);
  if (i === -1) return FILE_START;
  const j = Math.min(i + 1, lines.length - 1);
  return range(j, 0, j, (lines[j] ?? '').replace(/\r$/, '').length);
}

// flywheel/stale-rule: an applied rule cites something that no longer exists — a path in backticks, a package script
// (`npm run x`, `pnpm run x`, `yarn run x`, `bun run x`), a make target (`make x`). Memories that silently go stale
// are the field's most common complaint; a ratified rule is checked against the repository as it is.

import type { Rule, RuleContext } from '../../rule';
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
        'Ratified rule {id} runs the package script `{ref}`, which {manifest} does not define any more. Update the rule through a proposal (or retire it).',
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
    const run = /^(?:npm|pnpm|yarn|bun) run ([\w:.-]+)/.exec(code);
    if (run) add({ kind: 'script', ref: run[1]! });
    else if (/^make [\w.-]+$/.test(code)) add({ kind: 'make', ref: code.slice(5) });
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
  // The nearest manifest at or above the target's folder.
  const name = c.kind === 'script' ? 'package.json' : 'Makefile';
  let d: string | undefined = dir;
  while (d !== undefined) {
    const f = join(d, name);
    if (ctx.snapshot.fileSet.has(f)) {
      const r = ctx.snapshot.read(f);
      if (!r.ok) return undefined;
      if (c.kind === 'make')
        return new RegExp(`^${c.ref.replace(/[.]/g, '\\.')}\\s*:`, 'm').test(r.text)
          ? undefined
          : { messageId: 'make' };
      try {
        const scripts = (JSON.parse(r.text) as { scripts?: Record<string, unknown> }).scripts;
        return scripts && typeof scripts === 'object' && c.ref in scripts
          ? undefined
          : { messageId: 'script', manifest: f };
      } catch {
        return undefined;
      }
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

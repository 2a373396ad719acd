// flywheel/stale-proposal: a proposal still waiting (draft, proposed) or ratified but not applied, whose target
// changed since it was drafted (or ratified): the diff its owners review is no longer the change apply would make,
// and apply refuses it.

import type { Rule } from '../../rule';
import { contentHash } from '../../flywheel/change';
import { keyLine, lineRange, state } from './shared';

export const rule: Rule = {
  meta: {
    id: 'flywheel/stale-proposal',
    surface: 'flywheel',
    defaultSeverity: 'warning',
    description: 'A proposal whose target changed since it was drafted, so its diff is out of date',
    fixable: false,
    messages: {
      stale: 'Proposal {id} was drafted against another version of {target} (it changed since), so the diff its owners would ratify is not the change apply would make, and apply refuses it. Draft a new proposal from the same signals and reject this one.',
    },
    // Targets (and the manifests a rule cites) can be any file: re-run on every change.
  },
  check(ctx) {
    const { st } = state(ctx);
    for (const { path, proposal: p } of st.proposals) {
      if (p.status !== 'draft' && p.status !== 'proposed' && p.status !== 'ratified') continue;
      const ratified = p.status === 'ratified' ? [...(st.chains.get(p.id)?.events ?? [])].reverse().find((e) => e.action === 'ratified') : undefined;
      for (const t of p.targets) {
        const expected = ratified?.hashes[`target:${t}`] ?? p.sha256[t];
        if (expected === undefined) continue;
        const r = ctx.snapshot.read(t);
        const now = ctx.snapshot.fileSet.has(t) && r.ok ? contentHash(r.text) : ctx.snapshot.exists(t) ? undefined : 'absent';
        if (now === undefined || now === expected) continue;
        ctx.report({ messageId: 'stale', data: { id: p.id, target: t }, file: path, range: lineRange(ctx, path, keyLine(ctx, path, 'sha256')) });
        break;
      }
    }
  },
};

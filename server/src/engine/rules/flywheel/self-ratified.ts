// flywheel/self-ratified: a proposal ratified by its own author. The author never ratifies their own proposal (the
// CLI refuses it); this catches a ledger written by hand or by another tool.

import type { Rule } from '../../rule';
import { actorOf, isAuthor } from '../../flywheel/identity';
import { keyLine, lineRange, state } from './shared';

export const rule: Rule = {
  meta: {
    id: 'flywheel/self-ratified',
    surface: 'flywheel',
    defaultSeverity: 'error',
    description: 'A proposal was ratified by its own author',
    fixable: false,
    messages: {
      self: 'Proposal {id} was ratified by its author {actor}. The author never ratifies their own proposal: another owner of {target} must.',
    },
    dependsOn: ['governance-proposal', 'governance-other', 'files'],
  },
  check(ctx) {
    const { st, fp } = state(ctx);
    for (const { path, proposal: p } of st.proposals) {
      for (const e of st.chains.get(p.id)?.events ?? []) {
        if (e.action !== 'ratified') continue;
        const actor = actorOf(e.actor.email, fp);
        if (!isAuthor(actor, p.author, p.authorEmail)) continue;
        ctx.report({ messageId: 'self', data: { id: p.id, actor: actor.handle ?? actor.email, target: p.target }, file: path, range: lineRange(ctx, path, keyLine(ctx, path, 'author')) });
      }
    }
  },
};

// flywheel/unapplied-proposal: a proposal ratified more than flywheel.slaDays ago (default 14) and still not applied:
// the owners decided, and the file does not say so yet.

import type { Rule } from '../../rule';
import { DAY_MS, keyLine, lineRange, state } from './shared';

export const rule: Rule = {
  meta: {
    id: 'flywheel/unapplied-proposal',
    surface: 'flywheel',
    defaultSeverity: 'warning',
    description: 'A ratified proposal not applied within the SLA (flywheel.slaDays)',
    fixable: false,
    messages: {
      unapplied: 'Proposal {id} was ratified {days} days ago and is not applied yet (SLA: {sla} days): run `flywheel apply {id}`.',
    },
    dependsOn: ['governance-proposal', 'governance-other', 'governance-policy', 'files'],
  },
  check(ctx) {
    const { st, fp } = state(ctx);
    const now = Date.now();
    for (const { path, proposal: p } of st.proposals) {
      if (p.status !== 'ratified') continue;
      const ratified = [...(st.chains.get(p.id)?.events ?? [])].reverse().find((e) => e.action === 'ratified');
      const since = Date.parse(ratified?.time ?? p.created);
      const age = (now - since) / DAY_MS;
      if (!(age > fp.slaDays)) continue;
      ctx.report({ messageId: 'unapplied', data: { id: p.id, days: Math.floor(age), sla: fp.slaDays }, file: path, range: lineRange(ctx, path, keyLine(ctx, path, 'status')) });
    }
  },
};

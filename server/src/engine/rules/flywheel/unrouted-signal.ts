// flywheel/unrouted-signal: a signal older than flywheel.slaDays (default 14) that no proposal names (neither it nor a
// near-duplicate of it). Signals nobody routes are learnings the team loses.

import type { Rule } from '../../rule';
import { DAY_MS, keyLine, lineRange, state } from '../../flywheel/rule-helpers';

export const rule: Rule = {
  meta: {
    id: 'flywheel/unrouted-signal',
    surface: 'flywheel',
    defaultSeverity: 'warning',
    description: 'A signal older than the SLA (flywheel.slaDays) without a proposal',
    fixable: false,
    messages: {
      unrouted:
        'Signal {id} ({kind}, seen {count}×) was captured {days} days ago and no proposal routes it (SLA: {sla} days). Run `flywheel propose {id}`, or record why not.',
    },
    dependsOn: ['governance-proposal', 'governance-signal', 'governance-policy', 'files'],
  },
  check(ctx) {
    const { st, fp } = state(ctx);
    const now = Date.now();
    for (const { path, signal: s } of st.signals) {
      const age = (now - Date.parse(s.captured)) / DAY_MS;
      if (!(age > fp.slaDays)) continue;
      const group = st.groupOf.get(s.id) ?? [s];
      if (group.some((g) => st.proposalsOfSignal.has(g.id))) continue;
      // One finding per group: on its oldest signal.
      if (group[0]!.id !== s.id) continue;
      ctx.report({
        messageId: 'unrouted',
        data: { id: s.id, kind: s.kind, count: group.length, days: Math.floor(age), sla: fp.slaDays },
        file: path,
        range: lineRange(ctx, path, keyLine(ctx, path, 'captured')),
      });
    }
  },
};

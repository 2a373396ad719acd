// flywheel/ledger-mismatch: the ledger does not back what the records say — a proposal's status differs from the
// status its events record (e.g. hand-edited to `ratified`), or a subject's chain of events does not verify (an
// event edited or deleted after it was recorded). Quick fix for a status: restore the status the ledger backs (an
// edit of the proposal file's `status:` line). Events are never fixed in place: the evidence is restored from git.

import type { Rule, RuleContext } from '../../rule';
import { FILE_START } from '../../text';
import { ledgerStatus } from '../../flywheel/ledger';
import { keyLine, lineRange, state } from '../../flywheel/rule-helpers';

function lineText(ctx: RuleContext, file: string, line: number): string {
  const r = ctx.snapshot.read(file);
  return r.ok ? (r.text.split('\n')[line] ?? '').replace(/\r$/, '') : '';
}

export const rule: Rule = {
  meta: {
    id: 'flywheel/ledger-mismatch',
    surface: 'flywheel',
    defaultSeverity: 'error',
    description: 'A proposal status the ledger does not back, or a ledger chain that does not verify',
    fixable: true,
    messages: {
      status:
        'Proposal {id} says `status: {status}`, but its ledger events record {ledger}. A status changes only through the flywheel (ratify, reject, apply), which records who did it; restore `status: {ledger}` or make the change through the CLI.',
      noEvents:
        'Proposal {id} says `status: {status}`, but the ledger has no events for it (.governance/ledger/{id}/). Draft proposals through `flywheel propose` so every step is recorded.',
      chain:
        'The ledger does not verify: {message}. Restore the event from git history; events are never edited or deleted.',
    },
    dependsOn: ['governance-proposal', 'governance-other', 'files'],
  },
  check(ctx) {
    const { st } = state(ctx);
    for (const c of st.chains.values()) {
      for (const p of c.problems)
        ctx.report({ messageId: 'chain', data: { message: p.message }, file: p.path, range: FILE_START });
    }
    for (const { path, proposal: p } of st.proposals) {
      const chain = st.chains.get(p.id);
      // Positioned only when reported (2,000 proposals, a few findings).
      const statusLine = () => lineRange(ctx, path, keyLine(ctx, path, 'status'));
      if (!chain || !chain.events.length) {
        ctx.report({ messageId: 'noEvents', data: { id: p.id, status: p.status }, file: path, range: statusLine() });
        continue;
      }
      const backed = ledgerStatus(chain);
      if (backed === p.status) continue;
      const at = statusLine();
      ctx.report({
        messageId: 'status',
        data: { id: p.id, status: p.status, ledger: backed ?? 'no status' },
        file: path,
        range: at,
        // The status line as the flywheel writes it (a status in another form is left to the hand).
        ...(backed && /^status:[ \t]*[A-Za-z'"]*[ \t]*$/.test(lineText(ctx, path, at.start.line))
          ? {
              fixes: [
                {
                  title: `Restore \`status: ${backed}\` (what the ledger records for ${p.id})`,
                  edits: [{ file: path, range: at, newText: `status: ${backed}` }],
                  isPreferred: true,
                  kind: 'quickfix' as const,
                },
              ],
            }
          : {}),
      });
    }
  },
};

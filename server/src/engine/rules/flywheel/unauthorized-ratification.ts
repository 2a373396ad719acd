// flywheel/unauthorized-ratification: a proposal ratified or rejected by someone who is not an owner of its target
// (CODEOWNERS, or flywheel.ratifiers for its route), or — with flywheel.requireSignedRatification — whose ledger
// event was not added by a commit signed with a key that flywheel.allowedSigners lists for that person.

import type { Rule } from '../../rule';
import { actorOf, isOwner, namesOf } from '../../flywheel/identity';
import { eventPath } from '../../flywheel/ledger';
import { decisions, keyLine, lineRange, ownersOfProposal, state } from './shared';

export const rule: Rule = {
  meta: {
    id: 'flywheel/unauthorized-ratification',
    surface: 'flywheel',
    defaultSeverity: 'error',
    description: 'A proposal ratified or rejected by someone who is not an owner of its target, or without the required signature',
    fixable: false,
    messages: {
      notOwner: 'Proposal {id} was {action} by {actor}, who is not an owner of {target} ({owners}). Only the owners of a target decide its rules: have one of them ratify it.',
      unsigned: 'Proposal {id} was {action} by {actor}, but the commit that added that ledger event ({event}) is not signed with a key {signers} lists for them, and the policy requires signed ratification. Re-ratify with a signed commit (git commit -S).',
      wrongSigner: 'Proposal {id} was {action} in the name of {actor}, but the commit that added the event ({event}) is signed by {signer}. A ratification counts only when signed by the person it names.',
    },
    dependsOn: ['governance-proposal', 'governance-other', 'codeowners', 'files'],
  },
  check(ctx) {
    const { st, fp } = state(ctx);
    for (const { path, proposal: p } of st.proposals) {
      const events = decisions(st, p.id);
      if (!events.length) continue;
      const owners = ownersOfProposal(ctx, fp, p);
      const at = lineRange(ctx, path, keyLine(ctx, path, 'status'));
      for (const e of events) {
        const actor = actorOf(e.actor.email, fp);
        const who = actor.handle ?? e.actor.email;
        const base = { id: p.id, action: e.action, actor: who, target: p.target };
        if (!isOwner(actor, owners, fp)) {
          ctx.report({ messageId: 'notOwner', data: { ...base, owners: owners.length ? `its owners are ${owners.join(' ')}` : 'it has no owner' }, file: path, range: at });
          continue;
        }
        if (!fp.requireSignedRatification || !fp.allowedSigners || !ctx.snapshot.signerOf) continue;
        const file = eventPath(p.id, e.id);
        const signer = ctx.snapshot.signerOf(file, fp.allowedSigners);
        if (signer === undefined) continue;
        if (signer === null) {
          ctx.report({ messageId: 'unsigned', data: { ...base, event: file, signers: fp.allowedSigners }, file: path, range: at });
          continue;
        }
        const names = namesOf(actor, fp);
        const signerActor = actorOf(signer, fp);
        const same = names.has(signer.toLowerCase()) || (signerActor.handle !== undefined && signerActor.handle === actor.handle);
        if (!same) ctx.report({ messageId: 'wrongSigner', data: { ...base, event: file, signer }, file: path, range: at });
      }
    }
  },
};

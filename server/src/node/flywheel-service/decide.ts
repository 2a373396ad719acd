// Ratify or reject: only an owner of the target, never the author, on a proposal that is proposed and whose targets
// have not changed since the draft.

import { contentHash, sha256 } from '../../engine/flywheel/change';
import { isAuthor, isOwner } from '../../engine/flywheel/identity';
import { withStatus } from '../../engine/flywheel/proposal';
import { ownersForTargets } from '../../engine/flywheel/routing';
import { readInside, RefusedError, writeAtomic } from '../flywheel';
import { currentActor, findProposal, proposalJson, recordEvent, type FlywheelCtx, type Outcome } from './context';

export function decide(
  ctx: FlywheelCtx,
  id: string | undefined,
  action: 'ratified' | 'rejected',
  reason?: string,
): Outcome {
  const { path: file, proposal: p } = findProposal(ctx, id);
  const actor = currentActor(ctx);
  const verb = action === 'ratified' ? 'ratify' : 'reject';
  if (p.status === action) {
    return { json: { proposal: proposalJson(ctx, p, file), changed: false }, text: `${p.id} is already ${action}\n` };
  }
  const review = action === 'ratified' && p.status === 'applied';
  if (p.status !== 'proposed' && !review) {
    throw new RefusedError(
      'not-proposed',
      `${p.id} is ${p.status}: only a proposed proposal can be ${action}${p.status === 'draft' ? ' (its author proposes it first)' : ''}`,
    );
  }
  if (isAuthor(actor, p.author, p.authorEmail)) {
    throw new RefusedError(
      'self-ratification',
      `${actor.handle ?? actor.email} drafted ${p.id}: the author never ${action === 'ratified' ? 'ratifies' : 'rejects'} their own proposal; an owner of ${p.target} must`,
    );
  }
  const owners = ownersForTargets(ctx.snapshot, ctx.cache, ctx.policy, ctx.fp, p.route, p.targets);
  if (!actor.handle && !isOwner(actor, owners, ctx.fp)) {
    throw new RefusedError(
      'unknown-actor',
      `${actor.email} maps to no handle in the policy's flywheel.people, so it cannot ${verb} anything (the owners of ${p.target} are ${owners.join(' ') || 'nobody'})`,
    );
  }
  if (!isOwner(actor, owners, ctx.fp)) {
    throw new RefusedError(
      'not-owner',
      `${actor.handle ?? actor.email} is not an owner of ${p.target}: ${owners.length ? `${owners.join(' ')} may ${verb} it` : 'it has no owner, so nobody can ' + verb + ' it (add a CODEOWNERS line or flywheel.ratifiers)'}`,
    );
  }
  const hashes: Record<string, string> = {};
  if (review) {
    // Re-ratifying an applied rule is a review (flywheel/review-due): recorded, and it stays applied.
    recordEvent(ctx, {
      actor,
      action,
      subject: p.id,
      target: p.target,
      hashes: { record: sha256(readInside(ctx.root, file) ?? '') },
      reason: reason ?? 'review',
    });
    return {
      json: { proposal: { ...proposalJson(ctx, p, file), by: actor.handle ?? actor.email, reviewed: true } },
      text: `${p.id} re-ratified (reviewed) by ${actor.handle ?? actor.email}; it stays applied\n`,
    };
  }
  if (action === 'ratified') {
    for (const t of p.targets) {
      const h = contentHash(readInside(ctx.root, t));
      const drafted = p.sha256[t];
      if (drafted !== undefined && drafted !== h) {
        throw new RefusedError(
          'stale-target',
          `${t} changed since ${p.id} was drafted: draft a new proposal against the current file (the diff the owners would ratify is no longer the change)`,
        );
      }
      hashes[`target:${t}`] = h;
    }
  }
  const before = readInside(ctx.root, file) ?? '';
  const after = withStatus(before, action, reason);
  hashes.record = sha256(after);
  recordEvent(ctx, {
    actor,
    action,
    subject: p.id,
    target: p.target,
    hashes,
    ...(reason !== undefined ? { reason } : {}),
  });
  writeAtomic(ctx.root, file, after, before);
  const np = { ...p, status: action } as typeof p;
  return {
    json: {
      proposal: {
        ...proposalJson(ctx, np, file),
        ledgerStatus: action,
        by: actor.handle ?? actor.email,
        ...(reason ? { reason } : {}),
      },
    },
    text: `${p.id} ${action} by ${actor.handle ?? actor.email}\n`,
  };
}

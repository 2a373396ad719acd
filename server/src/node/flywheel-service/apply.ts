// Apply a ratified proposal: write its change into its targets — atomically, only while each target is as ratified,
// never outside the repository; applying twice is a no-op. The proposal it supersedes (or retires) is superseded.

import { contentHash, sha256, ChangeError } from '../../engine/flywheel/change';
import { proposalChanges, withStatus } from '../../engine/flywheel/proposal';
import { backedStatus } from '../../engine/flywheel/state';
import { readInside, RefusedError, resolveInside, writeAtomic } from '../flywheel';
import { currentActor, findProposal, proposalJson, recordEvent, type FlywheelCtx, type Outcome } from './context';

export function applyProposal(ctx: FlywheelCtx, id: string | undefined): Outcome {
  const { path: file, proposal: p } = findProposal(ctx, id);
  if (p.status === 'applied') {
    return {
      json: { proposal: proposalJson(ctx, p, file), changed: false },
      text: `${p.id} is already applied: nothing to do\n`,
    };
  }
  if (p.status !== 'ratified' || backedStatus(ctx.st, p.id) !== 'ratified') {
    throw new RefusedError(
      'not-ratified',
      `${p.id} is ${p.status}${p.status === 'ratified' ? ' in its file but not in the ledger' : ''}: only a ratified proposal is applied`,
    );
  }
  const actor = currentActor(ctx);
  // The hashes of the targets as ratified (the last ratified event), else as drafted.
  const chain = ctx.st.chains.get(p.id);
  const ratified = [...(chain?.events ?? [])].reverse().find((e) => e.action === 'ratified');
  for (const t of p.targets) resolveInside(ctx.root, t);
  const read = (t: string) => readInside(ctx.root, t);
  let changes;
  try {
    changes = proposalChanges(p, read);
  } catch (err) {
    if (err instanceof ChangeError) throw new RefusedError('cannot-apply', err.message);
    throw err;
  }
  for (const c of changes) {
    const expected = ratified?.hashes[`target:${c.path}`] ?? p.sha256[c.path];
    const now = contentHash(c.before);
    // A target that already carries the change (an interrupted earlier apply) is fine as it is.
    if (expected !== undefined && expected !== now && c.after !== c.before) {
      throw new RefusedError(
        'stale-target',
        `${c.path} changed since ${p.id} was ratified; not written. Draft a new proposal against the current file`,
      );
    }
  }
  for (const c of changes) if (c.after !== c.before) writeAtomic(ctx.root, c.path, c.after, c.before);
  const before = readInside(ctx.root, file) ?? '';
  const after = withStatus(before, 'applied');
  const hashes: Record<string, string> = { record: sha256(after) };
  for (const c of changes) hashes[`target:${c.path}`] = sha256(c.after);
  recordEvent(ctx, { actor, action: 'applied', subject: p.id, target: p.target, hashes });
  writeAtomic(ctx.root, file, after, before);
  // The proposal it replaces (or retires) is superseded now.
  const replaced = p.retires ?? p.supersedes;
  const old = replaced !== undefined ? ctx.st.proposalById.get(replaced) : undefined;
  if (old && old.proposal.status !== 'superseded') {
    const oldBefore = readInside(ctx.root, old.path) ?? '';
    const reason = p.retires !== undefined ? `retired by ${p.id}` : `superseded by ${p.id}`;
    const oldAfter = withStatus(oldBefore, 'superseded', p.retires !== undefined ? reason : undefined);
    recordEvent(ctx, {
      actor,
      action: 'superseded',
      subject: old.proposal.id,
      target: old.proposal.target,
      hashes: { record: sha256(oldAfter) },
      reason,
    });
    writeAtomic(ctx.root, old.path, oldAfter, oldBefore);
  }
  return {
    json: {
      proposal: { ...proposalJson(ctx, { ...p, status: 'applied' }, file), ledgerStatus: 'applied' },
      changed: true,
      written: changes.filter((c) => c.after !== c.before).map((c) => c.path),
    },
    text: `${p.id} applied to ${changes.map((c) => c.path).join(', ')}\n`,
  };
}

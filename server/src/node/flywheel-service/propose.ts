// Draft proposals: route signals to the owners of a target (`flywheel propose`, the editor's Draft Proposal), or
// draft the retirement of an applied rule (`flywheel propose --retire`). Every route is checked before anything is
// written; each proposal is a new file with its `drafted` (and `proposed`) ledger events.

import { ChangeError, sha256, unifiedDiff, type JsonEdit } from '../../engine/flywheel/change';
import { newId } from '../../engine/flywheel/ids';
import { ROUTES, type Route } from '../../engine/flywheel/policy';
import type { Actor } from '../../engine/flywheel/identity';
import { draftProposal, proposalPath, type ProposalRecord } from '../../engine/flywheel/proposal';
import { conventionTargets, defaultTarget, ownersForTargets } from '../../engine/flywheel/routing';
import type { Signal } from '../../engine/flywheel/signal';
import { backedStatus, recurrence } from '../../engine/flywheel/state';
import { createExclusive, readInside, RefusedError, resolveInside } from '../flywheel';
import { currentActor, proposalJson, recordEvent, UsageError, type FlywheelCtx, type Outcome } from './context';

export interface ProposeOptions {
  /** The signal ids (the first one's kind picks the routes when `route` is not given). */
  signals: string[];
  route?: Route;
  target?: string;
  section?: string;
  text?: string;
  deny?: string[];
  json?: JsonEdit;
  name?: string;
  draft: boolean;
  supersedes?: string;
}

export function propose(ctx: FlywheelCtx, o: ProposeOptions): Outcome {
  if (!o.signals.length) throw new UsageError('give one or more signal ids (flywheel signal list)');
  if (o.route !== undefined && !(ROUTES as readonly string[]).includes(o.route)) {
    throw new UsageError(`--route must be one of ${ROUTES.join(', ')} (got "${o.route}")`);
  }
  if (o.name !== undefined && !/^[A-Za-z0-9][\w.-]*$/.test(o.name))
    throw new UsageError(`--name must be a plain file name (got "${o.name}")`);
  const signals: Signal[] = o.signals.map((id) => {
    const s = ctx.st.signalById.get(id);
    if (!s) throw new RefusedError('unknown-signal', `no signal ${id} in .governance/signals/ (flywheel signal list)`);
    return s;
  });
  const first = signals[0]!;
  const actor = currentActor(ctx);
  if (o.supersedes !== undefined && !ctx.st.proposalById.has(o.supersedes)) {
    throw new RefusedError('not-found', `no proposal ${o.supersedes} to supersede`);
  }
  let routes: Route[] = o.route ? [o.route] : [...ctx.fp.routes[first.kind]];
  if (!o.route && o.deny?.length && !routes.includes('managed-deny')) routes.push('managed-deny');
  if (!o.route && !o.deny?.length) routes = routes.filter((r) => r !== 'managed-deny');
  if (!routes.length) throw new UsageError('the managed-deny route needs --deny RULE');
  const counts = new Map(signals.map((s) => [s.id, recurrence(ctx.st, s)]));
  const made: Record<string, unknown>[] = [];
  const texts: string[] = [];
  // Check every route first, so nothing is written when one of them cannot be drafted.
  const drafts = routes.map((route) => {
    const explicit =
      routes.length === 1 ? o.target : route === 'managed-deny' || route === 'registry' ? undefined : o.target;
    let target: string | undefined;
    let targets: string[];
    if (route === 'convention') {
      const t = conventionTargets(ctx.snapshot, first, explicit?.replace(/\\/g, '/').replace(/^\.\//, ''));
      target = t.target;
      targets = t.targets;
    } else {
      target =
        explicit?.replace(/\\/g, '/').replace(/^\.\//, '') ?? defaultTarget(route, first, ctx.policy, ctx.fp, o.name);
      if (!target)
        throw new UsageError(
          `the ${route} route needs --target PATH${route === 'registry' ? ' (or flywheel.registry in the policy)' : ''}`,
        );
      targets = [target];
    }
    for (const t of targets) resolveInside(ctx.root, t);
    const text = o.text ?? first.suggest;
    const req = {
      id: newId('P', new Date()),
      route,
      signals,
      counts,
      target,
      targets,
      owners: ownersForTargets(ctx.snapshot, ctx.cache, ctx.policy, ctx.fp, route, targets),
      author: actor,
      now: new Date(),
      status: o.draft ? ('draft' as const) : ('proposed' as const),
      read: (p: string) => readInside(ctx.root, p),
      title: first.summary,
      ...(o.supersedes !== undefined ? { supersedes: o.supersedes } : {}),
      ...(o.section !== undefined && route !== 'managed-deny' && route !== 'hook' && route !== 'registry'
        ? { section: o.section }
        : {}),
    };
    if (route === 'convention') {
      if (!text?.trim())
        throw new UsageError('a convention proposal needs the rule: --text TEXT (or a signal with a suggested change)');
      return { ...req, rule: text };
    }
    if (route === 'managed-deny') {
      if (!o.deny?.length) throw new UsageError('the managed-deny route needs --deny RULE');
      return { ...req, deny: o.deny };
    }
    if (route === 'hook' || route === 'registry') {
      if (!o.json) throw new UsageError(`the ${route} route changes JSON: give --json-path and --json-value`);
      return { ...req, json: o.json };
    }
    const body = text ?? first.details ?? first.summary;
    return { ...req, text: body, ...(o.json ? { json: o.json } : {}) };
  });
  const results = drafts.map((d) => {
    try {
      return draftProposal(d);
    } catch (err) {
      if (err instanceof ChangeError) throw new RefusedError('cannot-draft', `${d.target}: ${err.message}`);
      throw err;
    }
  });
  for (const r of results) {
    const { p, file, diff } = writeDraft(ctx, actor, r);
    made.push({ ...proposalJson(ctx, p, file), ledgerStatus: p.status, diff });
    texts.push(
      `${p.id}  ${p.status}  ${p.route} → ${p.targets.join(', ')}\n  owners: ${p.owners.join(' ') || '(none: nobody can ratify it)'}\n  ${file}\n\n${diff}\n`,
    );
  }
  return { json: { proposals: made }, text: texts.join('') };
}

/** A proposal that removes the applied rule of `id` from its targets (routed to the same owners). */
export function retireProposal(ctx: FlywheelCtx, id: string, signalIds: string[], draft: boolean): Outcome {
  const old = ctx.st.proposalById.get(id)?.proposal;
  if (!old) throw new RefusedError('not-found', `no proposal ${id} to retire`);
  if (old.status !== 'applied' || backedStatus(ctx.st, id) !== 'applied')
    throw new RefusedError('not-applied', `${id} is ${old.status}: only an applied rule is retired`);
  if ((old.route !== 'convention' && old.route !== 'managed-deny') || old.retires !== undefined)
    throw new RefusedError(
      'cannot-retire',
      `${id} is a ${old.retires !== undefined ? 'retirement' : old.route + ' proposal'}: only a convention rule or a Managed deny rule is retired`,
    );
  const signals: Signal[] = signalIds.map((s) => {
    const sig = ctx.st.signalById.get(s);
    if (!sig) throw new RefusedError('unknown-signal', `no signal ${s} in .governance/signals/ (flywheel signal list)`);
    return sig;
  });
  const open = ctx.st.proposals.find(
    (e) => e.proposal.retires === id && ['draft', 'proposed', 'ratified'].includes(e.proposal.status),
  );
  if (open) throw new RefusedError('exists', `${open.proposal.id} retires ${id} already (${open.proposal.status})`);
  for (const t of old.targets) resolveInside(ctx.root, t);
  const actor = currentActor(ctx);
  let r;
  try {
    r = draftProposal({
      id: newId('P', new Date()),
      route: old.route,
      signals,
      counts: new Map(signals.map((s) => [s.id, recurrence(ctx.st, s)])),
      target: old.target,
      targets: old.targets,
      owners: ownersForTargets(ctx.snapshot, ctx.cache, ctx.policy, ctx.fp, old.route, old.targets),
      author: actor,
      now: new Date(),
      status: draft ? 'draft' : 'proposed',
      read: (p: string) => readInside(ctx.root, p),
      title: `Retire ${id}${old.title ? `: ${old.title}` : ''}`,
      retires: id,
      ...(old.rule !== undefined ? { rule: old.rule } : {}),
      ...(old.deny !== undefined ? { deny: old.deny } : {}),
      ...(old.section !== undefined ? { section: old.section } : {}),
    });
  } catch (err) {
    if (err instanceof ChangeError) throw new RefusedError('cannot-draft', `${old.target}: ${err.message}`);
    throw err;
  }
  const { p, file, diff } = writeDraft(ctx, actor, r);
  return {
    json: { proposals: [{ ...proposalJson(ctx, p, file), ledgerStatus: p.status, diff }] },
    text: `${p.id}  ${p.status}  retires ${id}: ${p.route} → ${p.targets.join(', ')}\n  owners: ${p.owners.join(' ') || '(none: nobody can ratify it)'}\n  ${file}\n\n${diff}\n`,
  };
}

/** Write a drafted proposal's record (never over an existing one) and its `drafted` (and `proposed`) events. */
function writeDraft(
  ctx: FlywheelCtx,
  actor: Actor,
  r: ReturnType<typeof draftProposal>,
): { p: ProposalRecord; file: string; diff: string } {
  const p = r.record;
  const file = proposalPath(p.id);
  if (!createExclusive(ctx.root, file, r.text)) throw new Error(`${file} exists already`);
  const hashes: Record<string, string> = { record: sha256(r.text) };
  for (const [t, h] of Object.entries(p.sha256)) hashes[`target:${t}`] = h;
  const drafted = recordEvent(ctx, { actor, action: 'drafted', subject: p.id, target: p.target, hashes }, []);
  if (p.status === 'proposed')
    recordEvent(ctx, { actor, action: 'proposed', subject: p.id, target: p.target, hashes }, [drafted]);
  return { p, file, diff: r.changes.map(unifiedDiff).join('') };
}

// `flywheel propose SIGNAL_ID… [--route R] [--target PATH] [--section HEADING] [--text TEXT] [--deny RULE]… [--draft]`;
// `flywheel propose --retire P-ID [SIGNAL_ID…] [--draft]`.

import { ChangeError, sha256, unifiedDiff, type JsonEdit } from '../engine/flywheel/change';
import { newId, safeId } from '../engine/flywheel/ids';
import { ROUTES, type Route } from '../engine/flywheel/policy';
import { draftProposal, proposalPath } from '../engine/flywheel/proposal';
import { conventionTargets, defaultTarget, ownersForTargets } from '../engine/flywheel/routing';
import type { Signal } from '../engine/flywheel/signal';
import { backedStatus, recurrence } from '../engine/flywheel/state';
import { createExclusive, readInside, RefusedError, resolveInside } from '../node/flywheel';
import {
  COMMON_HELP,
  COMMON_OPTIONS,
  currentActor,
  guarded,
  openCtx,
  out,
  proposalJson,
  recordEvent,
} from './flywheel-common';
import { EXIT_OK, UsageError, type CliIO, parseFlags } from './io';

const HELP = `Usage: flywheel propose SIGNAL_ID… [options]
       flywheel propose --retire P-ID [SIGNAL_ID…] [--draft]

Route signals into draft proposals (.governance/proposals/<id>.md): the target, its owners, and the exact change as a
unified diff. The route comes from --route, else the policy's flywheel.routes for the signal's kind (context-gap →
convention, instruction-gap → command, workflow-pattern → playbook, failure → convention); --deny adds a Managed deny
proposal. Each proposal waits for its owners (status proposed) unless --draft keeps it a draft.

Options:
  --route R              convention | command | playbook | managed-deny | hook | registry | boundary | test-harness |
                         spec-template
  --target PATH          the file to change (default: by route; convention: the nearest convention file of the agent)
  --section HEADING      the Markdown section the text goes in (created when missing)
  --text TEXT            the text to add (default: the signal's suggested change)
  --deny RULE            a deny rule for the Managed source (repeatable), e.g. 'Bash(migrate --destructive *)'
  --json-path A.B.C      hook/registry: where the JSON value goes (dot-separated keys)
  --json-value JSON      hook/registry: the value, appended when the path is a list
  --name NAME            command/playbook: the file name (default: from the summary)
  --draft                keep it a draft for its author to edit
  --supersedes ID        this proposal replaces proposal ID (marked superseded when this one is applied; an
                         applied convention rule of ID is removed from the targets)
  --retire P-ID          draft the retirement of applied proposal P-ID: removes its rule (marker and text) from
                         every convention file, or its deny rules from the Managed source; routed to the same owners;
                         once applied, P-ID is superseded (reason: retired by …)
${COMMON_HELP}`;

/** The flags this verb takes (the malformed-flag test reads them). */
export const OPTIONS = {
  ...COMMON_OPTIONS,
  route: { type: 'string' },
  target: { type: 'string' },
  section: { type: 'string' },
  text: { type: 'string' },
  deny: { type: 'string', multiple: true },
  'json-path': { type: 'string' },
  'json-value': { type: 'string' },
  name: { type: 'string' },
  draft: { type: 'boolean', default: false },
  supersedes: { type: 'string' },
  retire: { type: 'string' },
} as const;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  if (values.retire !== undefined) return retire(values.retire, positionals, values, io);
  if (!positionals.length) throw new UsageError('give one or more signal ids (flywheel signal list)');
  if (values.route !== undefined && !(ROUTES as readonly string[]).includes(values.route)) {
    throw new UsageError(`--route must be one of ${ROUTES.join(', ')} (got "${values.route}")`);
  }
  if (values.name !== undefined && !/^[A-Za-z0-9][\w.-]*$/.test(values.name))
    throw new UsageError(`--name must be a plain file name (got "${values.name}")`);
  let json: JsonEdit | undefined;
  if (values['json-path'] !== undefined || values['json-value'] !== undefined) {
    if (values['json-path'] === undefined || values['json-value'] === undefined)
      throw new UsageError('--json-path and --json-value go together');
    let value: unknown;
    try {
      value = JSON.parse(values['json-value']);
    } catch {
      throw new UsageError(`--json-value is not JSON: ${values['json-value']}`);
    }
    json = { path: values['json-path'].split('.').filter(Boolean), value, arrayInsert: true, unique: true };
  }
  const ctx = openCtx(values, io);
  return guarded(ctx, () => {
    const signals: Signal[] = positionals.map((id) => {
      const s = ctx.st.signalById.get(id);
      if (!s)
        throw new RefusedError('unknown-signal', `no signal ${id} in .governance/signals/ (flywheel signal list)`);
      return s;
    });
    const first = signals[0]!;
    const actor = currentActor(ctx);
    if (values.supersedes !== undefined && !ctx.st.proposalById.has(values.supersedes)) {
      throw new RefusedError('not-found', `no proposal ${values.supersedes} to supersede`);
    }
    let routes: Route[] = values.route ? [values.route as Route] : [...ctx.fp.routes[first.kind]];
    if (!values.route && values.deny?.length && !routes.includes('managed-deny')) routes.push('managed-deny');
    if (!values.route && !values.deny?.length) routes = routes.filter((r) => r !== 'managed-deny');
    if (!routes.length) throw new UsageError('the managed-deny route needs --deny RULE');
    const counts = new Map(signals.map((s) => [s.id, recurrence(ctx.st, s)]));
    const made: Record<string, unknown>[] = [];
    const texts: string[] = [];
    // Check every route first, so nothing is written when one of them cannot be drafted.
    const drafts = routes.map((route) => {
      const explicit =
        routes.length === 1
          ? values.target
          : route === 'managed-deny' || route === 'registry'
            ? undefined
            : values.target;
      let target: string | undefined;
      let targets: string[];
      if (route === 'convention') {
        const t = conventionTargets(ctx.snapshot, first, explicit?.replace(/\\/g, '/').replace(/^\.\//, ''));
        target = t.target;
        targets = t.targets;
      } else {
        target =
          explicit?.replace(/\\/g, '/').replace(/^\.\//, '') ??
          defaultTarget(route, first, ctx.policy, ctx.fp, values.name);
        if (!target)
          throw new UsageError(
            `the ${route} route needs --target PATH${route === 'registry' ? ' (or flywheel.registry in the policy)' : ''}`,
          );
        targets = [target];
      }
      for (const t of targets) resolveInside(ctx.root, t);
      const text = values.text ?? first.suggest;
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
        status: values.draft ? ('draft' as const) : ('proposed' as const),
        read: (p: string) => readInside(ctx.root, p),
        title: first.summary,
        ...(values.supersedes !== undefined ? { supersedes: values.supersedes } : {}),
        ...(values.section !== undefined && route !== 'managed-deny' && route !== 'hook' && route !== 'registry'
          ? { section: values.section }
          : {}),
      };
      if (route === 'convention') {
        if (!text?.trim())
          throw new UsageError(
            'a convention proposal needs the rule: --text TEXT (or a signal with a suggested change)',
          );
        return { ...req, rule: text };
      }
      if (route === 'managed-deny') {
        if (!values.deny?.length) throw new UsageError('the managed-deny route needs --deny RULE');
        return { ...req, deny: values.deny };
      }
      if (route === 'hook' || route === 'registry') {
        if (!json) throw new UsageError(`the ${route} route changes JSON: give --json-path and --json-value`);
        return { ...req, json };
      }
      const body = text ?? first.details ?? first.summary;
      return { ...req, text: body, ...(json ? { json } : {}) };
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
      const p = r.record;
      const file = proposalPath(p.id);
      if (!createExclusive(ctx.root, file, r.text)) throw new Error(`${file} exists already`);
      const hashes: Record<string, string> = { record: sha256(r.text) };
      for (const [t, h] of Object.entries(p.sha256)) hashes[`target:${t}`] = h;
      const drafted = recordEvent(ctx, { actor, action: 'drafted', subject: p.id, target: p.target, hashes }, []);
      if (p.status === 'proposed')
        recordEvent(ctx, { actor, action: 'proposed', subject: p.id, target: p.target, hashes }, [drafted]);
      const diff = r.changes.map(unifiedDiff).join('');
      made.push({ ...proposalJson(ctx, p, file), ledgerStatus: p.status, diff });
      texts.push(
        `${p.id}  ${p.status}  ${p.route} → ${p.targets.join(', ')}\n  owners: ${p.owners.join(' ') || '(none: nobody can ratify it)'}\n  ${file}\n\n${diff}\n`,
      );
    }
    out(ctx, { proposals: made }, texts.join(''));
    return EXIT_OK;
  });
}

const NOT_WITH_RETIRE = [
  'route',
  'target',
  'section',
  'text',
  'deny',
  'json-path',
  'json-value',
  'name',
  'supersedes',
] as const;

/** `--retire P-ID`: a proposal that removes the applied rule of P-ID from its targets. */
function retire(
  id: string,
  positionals: string[],
  values: ReturnType<typeof parseFlags<typeof OPTIONS>>['values'],
  io: CliIO,
): number {
  if (!safeId(id) || /^S-/.test(id))
    throw new UsageError(
      `--retire takes the id of an applied proposal (P-…), not ${/^S-/.test(id) ? 'a signal' : `"${id}"`}`,
    );
  for (const k of NOT_WITH_RETIRE)
    if (values[k] !== undefined) throw new UsageError(`--retire takes the rule from ${id}: drop --${k}`);
  const ctx = openCtx(values, io);
  return guarded(ctx, () => {
    const old = ctx.st.proposalById.get(id)?.proposal;
    if (!old) throw new RefusedError('not-found', `no proposal ${id} to retire`);
    if (old.status !== 'applied' || backedStatus(ctx.st, id) !== 'applied')
      throw new RefusedError('not-applied', `${id} is ${old.status}: only an applied rule is retired`);
    if ((old.route !== 'convention' && old.route !== 'managed-deny') || old.retires !== undefined)
      throw new RefusedError(
        'cannot-retire',
        `${id} is a ${old.retires !== undefined ? 'retirement' : old.route + ' proposal'}: only a convention rule or a Managed deny rule is retired`,
      );
    const signals: Signal[] = positionals.map((s) => {
      const sig = ctx.st.signalById.get(s);
      if (!sig)
        throw new RefusedError('unknown-signal', `no signal ${s} in .governance/signals/ (flywheel signal list)`);
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
        status: values.draft ? 'draft' : 'proposed',
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
    const p = r.record;
    const file = proposalPath(p.id);
    if (!createExclusive(ctx.root, file, r.text)) throw new Error(`${file} exists already`);
    const hashes: Record<string, string> = { record: sha256(r.text) };
    for (const [t, h] of Object.entries(p.sha256)) hashes[`target:${t}`] = h;
    const drafted = recordEvent(ctx, { actor, action: 'drafted', subject: p.id, target: p.target, hashes }, []);
    if (p.status === 'proposed')
      recordEvent(ctx, { actor, action: 'proposed', subject: p.id, target: p.target, hashes }, [drafted]);
    const diff = r.changes.map(unifiedDiff).join('');
    out(
      ctx,
      { proposals: [{ ...proposalJson(ctx, p, file), ledgerStatus: p.status, diff }] },
      `${p.id}  ${p.status}  retires ${id}: ${p.route} → ${p.targets.join(', ')}\n  owners: ${p.owners.join(' ') || '(none: nobody can ratify it)'}\n  ${file}\n\n${diff}\n`,
    );
    return EXIT_OK;
  });
}

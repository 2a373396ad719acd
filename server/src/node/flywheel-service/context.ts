// The flywheel service: what every front end (the CLI's flywheel verbs, the language server's `flywheel/*` requests)
// does to the repository's `.governance/` — open the workspace, know the acting person, record ledger events. The
// front ends parse their input and shape their output; the decisions and writes are made here, once.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisCache } from '../../engine/cache';
import type { Snapshot } from '../../engine/host';
import { actorFromGitHub, actorOf, type Actor } from '../../engine/flywheel/identity';
import { makeEvent, type Action } from '../../engine/flywheel/ledger';
import { flywheelPolicy, type FlywheelPolicy } from '../../engine/flywheel/policy';
import type { ProposalRecord } from '../../engine/flywheel/proposal';
import { backedStatus, flywheelState, type FlywheelState } from '../../engine/flywheel/state';
import { loadPolicy } from '../../engine/policy/load';
import type { ResolvedPolicy } from '../../engine/policy/types';
import { openWorkspace } from '../discovery';
import { createExclusive, gitEmail, RefusedError } from '../flywheel';
import { UsageError } from './errors';

export { UsageError };

/**
 * Who the person says they are, besides git: a GitHub account the editor signed in with (VS Code's GitHub
 * authentication session, granted by the person). Mapped through the policy like git's email.
 */
export interface IdentityClaim {
  source: 'github';
  /** The GitHub login (without the @). */
  login: string;
}

export interface FlywheelCtx {
  root: string;
  snapshot: Snapshot;
  policy: ResolvedPolicy;
  cache: AnalysisCache;
  fp: FlywheelPolicy;
  /** The GitHub identity to act as instead of git's, when the person granted it. */
  identity?: IdentityClaim;
  readonly st: FlywheelState;
}

/**
 * Open the workspace at `root` (a folder that exists) with its policy (`policyPath`, else its own or the baseline).
 * `snapshot`: the workspace already opened (a read-only verb lists only the folders it reads: see openWorkspace's
 * `only`); by default all of it, which whatever reads the file list (ownership, routing, the rules) needs.
 */
export function openFlywheel<T extends object>(
  root: string,
  policyPath: string | undefined,
  extra: T,
  identity?: IdentityClaim,
  cache: AnalysisCache = new AnalysisCache(),
  snapshot: Snapshot = openWorkspace(root, { managedSettingsPath: null }),
): FlywheelCtx & T {
  const policy = loadPolicy(snapshot, policyPath !== undefined ? { policyPath } : {});
  let st: FlywheelState | undefined;
  return {
    ...extra,
    root,
    snapshot,
    policy,
    cache,
    fp: flywheelPolicy(policy),
    ...(identity ? { identity } : {}),
    // Read on first use: capturing a signal never parses the others.
    get st() {
      return (st ??= flywheelState(snapshot, cache));
    },
  };
}

/** The workspace at an existing folder, for a front end that has no options to check. */
export function openRoot(root: string, identity?: IdentityClaim, cache?: AnalysisCache): FlywheelCtx {
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`${root}: not a folder`);
  return openFlywheel(path.resolve(root), undefined, {}, identity, cache);
}

/**
 * The acting person: the GitHub account when the person granted it (`ctx.identity`), else git's identity; both mapped
 * through `flywheel.people`. Refuses `unknown-actor` when there is neither.
 */
export function currentActor(ctx: FlywheelCtx): Actor {
  const email = gitEmail(ctx.root);
  if (ctx.identity?.source === 'github') return actorFromGitHub(ctx.identity.login, ctx.fp, email);
  if (!email) {
    throw new RefusedError(
      'unknown-actor',
      'git has no identity here: set `git config user.email` (or GIT_AUTHOR_EMAIL) to the email flywheel.people maps to your handle',
    );
  }
  return actorOf(email, ctx.fp);
}

/** Record an event after the subject's current heads (a new file, never a rewrite). */
export function recordEvent(
  ctx: FlywheelCtx,
  f: {
    actor: Actor;
    action: Action;
    subject: string;
    target?: string;
    hashes?: Record<string, string>;
    reason?: string;
  },
  heads?: readonly string[],
): string {
  const h = heads ?? ctx.st.chains.get(f.subject)?.heads ?? [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const e = makeEvent({ now: new Date(), ...f }, h);
    if (createExclusive(ctx.root, e.path, e.text)) return e.event.hash;
  }
  throw new Error(`could not record the ${f.action} event of ${f.subject}`);
}

export function proposalJson(
  ctx: FlywheelCtx,
  p: ProposalRecord,
  filePath: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: p.id,
    path: filePath,
    status: p.status,
    route: p.route,
    target: p.target,
    ...(p.targets.length > 1 ? { targets: p.targets } : {}),
    owners: p.owners,
    author: p.author,
    created: p.created,
    signals: p.signals,
    ledgerStatus: backedStatus(ctx.st, p.id) ?? null,
    ...extra,
  };
}

export function findProposal(
  ctx: FlywheelCtx,
  id: string | undefined,
): { path: string; proposal: ProposalRecord; body: string } {
  if (!id) throw new UsageError('give the proposal id');
  const e = ctx.st.proposalById.get(id);
  if (!e) {
    const bad = ctx.st.invalid.find((i) => i.path.endsWith(`/${id}.md`));
    throw new RefusedError(
      'not-found',
      bad ? `${bad.path}:${bad.line}: ${bad.message}` : `no proposal ${id} in .governance/proposals/`,
    );
  }
  return e;
}

/** What a write answers: the JSON of the contract (without `version`) and the CLI's text. */
export interface Outcome {
  json: Record<string, unknown>;
  text: string;
}

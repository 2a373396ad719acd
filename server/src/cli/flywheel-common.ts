// What the flywheel verbs share: opening the workspace, the acting person, the JSON contract (`"version": 1`),
// refusals (exit 1 with `{"version":1,"error":{"code","message"}}`) and ledger events.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisCache } from '../engine/cache';
import type { Snapshot } from '../engine/host';
import { actorOf, type Actor } from '../engine/flywheel/identity';
import { makeEvent, type Action } from '../engine/flywheel/ledger';
import { flywheelPolicy, type FlywheelPolicy } from '../engine/flywheel/policy';
import type { ProposalRecord } from '../engine/flywheel/proposal';
import { backedStatus, flywheelState, type FlywheelState } from '../engine/flywheel/state';
import { loadPolicy } from '../engine/policy/load';
import type { ResolvedPolicy } from '../engine/policy/types';
import { findRoot, openWorkspace } from '../node/discovery';
import { createExclusive, gitEmail, RefusedError } from '../node/flywheel';
import { EXIT_FINDINGS, UsageError, type CliIO } from './io';

export const COMMON_OPTIONS = {
  root: { type: 'string' },
  policy: { type: 'string' },
  format: { type: 'string', default: 'text' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export const COMMON_HELP = `  --root DIR             the repository root (default: the git root or .governance/ folder above the current folder)
  --policy FILE          the policy file (default: <root>/.governance/policy.json, else the baseline)
  --format text|json     output format (default: text); json is a stable contract (version 1)
  -h, --help             this help

Exit codes: 0 done, 1 refused (or findings), 2 usage error.
`;

export interface Ctx {
  io: CliIO;
  root: string;
  format: 'text' | 'json';
  snapshot: Snapshot;
  policy: ResolvedPolicy;
  cache: AnalysisCache;
  fp: FlywheelPolicy;
  readonly st: FlywheelState;
}

export function openCtx(values: { root?: string | undefined; policy?: string | undefined; format?: string | undefined }, io: CliIO, formats = ['text', 'json']): Ctx {
  const format = values.format ?? 'text';
  if (!formats.includes(format)) throw new UsageError(`--format must be ${formats.join(' or ')} (got "${format}")`);
  const root = values.root !== undefined ? path.resolve(io.cwd, values.root) : findRoot(io.cwd);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`--root ${values.root ?? root}: not a folder`);
  const snapshot = openWorkspace(root, { managedSettingsPath: null });
  const policy = loadPolicy(snapshot, values.policy ? { policyPath: path.resolve(io.cwd, values.policy) } : {});
  const cache = new AnalysisCache();
  let st: FlywheelState | undefined;
  return {
    io,
    root,
    format: format as 'text' | 'json',
    snapshot,
    policy,
    cache,
    fp: flywheelPolicy(policy),
    // Read on first use: capturing a signal never parses the others.
    get st() {
      return (st ??= flywheelState(snapshot, cache));
    },
  };
}

/** The acting person, from git's identity; refuses `unknown-actor` when git has none. */
export function currentActor(ctx: Ctx): Actor {
  const email = gitEmail(ctx.root);
  if (!email) {
    throw new RefusedError('unknown-actor', 'git has no identity here: set `git config user.email` (or GIT_AUTHOR_EMAIL) to the email flywheel.people maps to your handle');
  }
  return actorOf(email, ctx.fp);
}

export function refusal(ctx: { io: CliIO; format: string }, err: RefusedError): number {
  if (ctx.format === 'json') ctx.io.out(JSON.stringify({ version: 1, error: { code: err.code, message: err.message } }, null, 2) + '\n');
  else ctx.io.err(`refused (${err.code}): ${err.message}\n`);
  return EXIT_FINDINGS;
}

/** Run a verb body; a RefusedError becomes a refusal (exit 1). */
export function guarded(ctxOrFormat: { io: CliIO; format: string }, body: () => number): number {
  try {
    return body();
  } catch (err) {
    if (err instanceof RefusedError) return refusal(ctxOrFormat, err);
    throw err;
  }
}

/** Record an event after the subject's current heads (a new file, never a rewrite). */
export function recordEvent(
  ctx: Ctx,
  f: { actor: Actor; action: Action; subject: string; target?: string; hashes?: Record<string, string>; reason?: string },
  heads?: readonly string[],
): string {
  const h = heads ?? ctx.st.chains.get(f.subject)?.heads ?? [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const e = makeEvent({ now: new Date(), ...f }, h);
    if (createExclusive(ctx.root, e.path, e.text)) return e.event.hash;
  }
  throw new Error(`could not record the ${f.action} event of ${f.subject}`);
}

export function proposalJson(ctx: Ctx, p: ProposalRecord, filePath: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
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

export function out(ctx: Ctx, json: Record<string, unknown>, text: string): void {
  if (ctx.format === 'json') ctx.io.out(JSON.stringify({ version: 1, ...json }, null, 2) + '\n');
  else ctx.io.out(text);
}

export function findProposal(ctx: Ctx, id: string | undefined): { path: string; proposal: ProposalRecord; body: string } {
  if (!id) throw new UsageError('give the proposal id');
  const e = ctx.st.proposalById.get(id);
  if (!e) {
    const bad = ctx.st.invalid.find((i) => i.path.endsWith(`/${id}.md`));
    throw new RefusedError('not-found', bad ? `${bad.path}:${bad.line}: ${bad.message}` : `no proposal ${id} in .governance/proposals/`);
  }
  return e;
}

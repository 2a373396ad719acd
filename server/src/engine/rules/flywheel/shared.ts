// Helpers of the flywheel rules: positions in records, the events that decided a proposal, who may decide it.

import type { RuleContext } from '../../rule';
import { range } from '../../text';
import type { Range } from '../../types';
import type { LedgerEvent } from '../../flywheel/ledger';
import { flywheelPolicy, type FlywheelPolicy } from '../../flywheel/policy';
import type { ProposalRecord } from '../../flywheel/proposal';
import { ownersForTargets } from '../../flywheel/routing';
import { flywheelState, type FlywheelState } from '../../flywheel/state';

export const RECORD_KINDS = ['governance-proposal', 'governance-signal', 'governance-other', 'codeowners', 'governance-policy', 'files'] as const;

export function state(ctx: RuleContext): { st: FlywheelState; fp: FlywheelPolicy } {
  return { st: flywheelState(ctx.snapshot, ctx.cache), fp: flywheelPolicy(ctx.policy) };
}

/** The whole 1-based `line` of a file (the first line when out of range). */
export function lineRange(ctx: RuleContext, file: string, line: number): Range {
  const r = ctx.snapshot.read(file);
  const lines = r.ok ? r.text.split('\n') : [''];
  const i = Math.min(Math.max(line - 1, 0), lines.length - 1);
  return range(i, 0, i, (lines[i] ?? '').replace(/\r$/, '').length);
}

/** The line of a frontmatter key (`status:`), 1-based; 1 when absent. */
export function keyLine(ctx: RuleContext, file: string, key: string): number {
  const r = ctx.snapshot.read(file);
  if (!r.ok) return 1;
  const m = new RegExp(`^${key}:`, 'm').exec(r.text);
  return m ? r.text.slice(0, m.index).split('\n').length : 1;
}

/** The ratified and rejected events of a proposal, in causal order. */
export function decisions(st: FlywheelState, id: string): LedgerEvent[] {
  return (st.chains.get(id)?.events ?? []).filter((e) => e.action === 'ratified' || e.action === 'rejected');
}

export function ownersOfProposal(ctx: RuleContext, fp: FlywheelPolicy, p: ProposalRecord): string[] {
  return ownersForTargets(ctx.snapshot, ctx.cache, ctx.policy, fp, p.route, p.targets);
}

export const DAY_MS = 24 * 60 * 60 * 1000;

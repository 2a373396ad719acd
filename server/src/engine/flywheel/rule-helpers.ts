// Helpers of the flywheel rules: positions in records, the events that decided a proposal, who may decide it.

import { BoundedMap } from '../cache';
import type { RuleContext } from '../rule';
import { range } from '../text';
import type { Range } from '../types';
import type { LedgerEvent } from './ledger';
import { flywheelPolicy, type FlywheelPolicy } from './policy';
import type { ProposalRecord } from './proposal';
import { ownersForTargets } from './routing';
import { flywheelState, type FlywheelState } from './state';

export const RECORD_KINDS = [
  'governance-proposal',
  'governance-signal',
  'governance-other',
  'codeowners',
  'governance-policy',
  'files',
] as const;

export function state(ctx: RuleContext): { st: FlywheelState; fp: FlywheelPolicy } {
  return { st: flywheelState(ctx.snapshot, ctx.cache), fp: flywheelPolicy(ctx.policy) };
}

/** The whole 1-based `line` of a file (the first line when out of range, the last when past the end). Found by
 * walking the line breaks up to it: the rules ask this of thousands of records, most of them for an early line. */
export function lineRange(ctx: RuleContext, file: string, line: number): Range {
  const r = ctx.snapshot.read(file);
  const text = r.ok ? r.text : '';
  const want = Math.max(line - 1, 0);
  let i = 0;
  let start = 0;
  for (; i < want; i++) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) break; // past the last line: the last one
    start = nl + 1;
  }
  const nl = text.indexOf('\n', start);
  let end = nl === -1 ? text.length : nl;
  if (end > start && text.charCodeAt(end - 1) === 13) end--; // a trailing \r is not part of the line
  return range(i, 0, i, end - start);
}

/** `^key:` (multiline) per key, made once. */
const KEY_LINE = new BoundedMap<string, RegExp>(64);

/** The line of a frontmatter key (`status:`), 1-based; 1 when absent. */
export function keyLine(ctx: RuleContext, file: string, key: string): number {
  const r = ctx.snapshot.read(file);
  if (!r.ok) return 1;
  let re = KEY_LINE.get(key);
  if (!re) KEY_LINE.set(key, (re = new RegExp(`^${key}:`, 'm')));
  const m = re.exec(r.text);
  if (!m) return 1;
  let line = 1;
  for (let nl = r.text.indexOf('\n'); nl !== -1 && nl < m.index; nl = r.text.indexOf('\n', nl + 1)) line++;
  return line;
}

/** The ratified and rejected events of a proposal, in causal order. */
export function decisions(st: FlywheelState, id: string): LedgerEvent[] {
  return (st.chains.get(id)?.events ?? []).filter((e) => e.action === 'ratified' || e.action === 'rejected');
}

export function ownersOfProposal(ctx: RuleContext, fp: FlywheelPolicy, p: ProposalRecord): string[] {
  return ownersForTargets(ctx.snapshot, ctx.cache, ctx.policy, fp, p.route, p.targets);
}

export const DAY_MS = 24 * 60 * 60 * 1000;

import type { Rule } from '../../rule';
import { rule as invalidRecord } from './invalid-record';
import { rule as ledgerMismatch } from './ledger-mismatch';
import { rule as reviewDue } from './review-due';
import { rule as selfRatified } from './self-ratified';
import { rule as staleProposal } from './stale-proposal';
import { rule as staleRule } from './stale-rule';
import { rule as unappliedProposal } from './unapplied-proposal';
import { rule as unauthorizedRatification } from './unauthorized-ratification';
import { rule as unroutedSignal } from './unrouted-signal';

export const rules: Rule[] = [
  invalidRecord,
  ledgerMismatch,
  reviewDue,
  selfRatified,
  staleProposal,
  staleRule,
  unappliedProposal,
  unauthorizedRatification,
  unroutedSignal,
];

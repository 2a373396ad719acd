// The flywheel's report of an opened workspace (`flywheel report`, the editor's Show Report).

import { check } from '../../engine/index';
import { computeReport, type FlywheelReport } from '../../engine/flywheel/report';
import type { FlywheelCtx } from './context';

/** The report of an opened workspace (the stale and review-due rules come from a check of its flywheel rules). */
export function buildReport(ctx: FlywheelCtx, now = new Date()): FlywheelReport {
  const findings = check(ctx.snapshot, ctx.policy, ctx.cache).filter(
    (f) => f.ruleId === 'flywheel/stale-rule' || f.ruleId === 'flywheel/review-due',
  );
  return computeReport(ctx.st, findings, now);
}

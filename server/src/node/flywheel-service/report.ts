// The flywheel's report of an opened workspace (`flywheel report`, the editor's Show Report).

import { check } from '../../engine/index';
import { computeReport, REPORT_RULES, type FlywheelReport } from '../../engine/flywheel/report';
import type { FlywheelCtx } from './context';

/**
 * The report of an opened workspace. The stale and review-due rules come from a check of those two rules only (with
 * the policy's severities and the suppressions, as in a full check): a full check would parse every convention file
 * and judge every record for findings the report never shows.
 */
export function buildReport(ctx: FlywheelCtx, now = new Date()): FlywheelReport {
  // computeReport takes the findings of those two rules (and would leave out any other).
  const findings = check(ctx.snapshot, ctx.policy, ctx.cache, { filter: (r) => REPORT_RULES.has(r.meta.id) });
  return computeReport(ctx.st, findings, now);
}

// `flywheel reject ID --reason TEXT`: an owner of the target turns the proposal down (recorded in the ledger).

import { parseArgs } from 'node:util';
import { decide } from './flywheel-decide';
import { COMMON_HELP, COMMON_OPTIONS, guarded, openCtx } from './flywheel-common';
import { EXIT_OK, UsageError, type CliIO } from './io';

const HELP = `Usage: flywheel reject ID --reason TEXT [options]

Reject a proposal, with the reason. The same people may reject as may ratify (an owner of the target, not its author).

Options:
  --reason TEXT          why (required; recorded in the proposal and the ledger)
${COMMON_HELP}`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...COMMON_OPTIONS, reason: { type: 'string' } } });
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('give one proposal id');
  if (!values.reason?.trim()) throw new UsageError('--reason TEXT is required');
  const ctx = openCtx(values, io);
  return guarded(ctx, () => decide(ctx, positionals[0], 'rejected', values.reason!.trim()));
}

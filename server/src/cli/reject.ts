// `flywheel reject ID --reason TEXT`: an owner of the target turns the proposal down (recorded in the ledger).

import { decide } from '../node/flywheel-service/decide';
import { COMMON_HELP, COMMON_OPTIONS, guarded, openCtx, out } from './flywheel-common';
import { EXIT_OK, UsageError, type CliIO, parseFlags } from './io';

const HELP = `Usage: flywheel reject ID --reason TEXT [options]

Reject a proposal, with the reason. The same people may reject as may ratify (an owner of the target, not its author).

Options:
  --reason TEXT          why (required; recorded in the proposal and the ledger)
${COMMON_HELP}`;

/** The flags this verb takes (the malformed-flag test reads them). */
export const OPTIONS = { ...COMMON_OPTIONS, reason: { type: 'string' } } as const;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('give one proposal id');
  if (!values.reason?.trim()) throw new UsageError('--reason TEXT is required');
  const ctx = openCtx(values, io);
  return guarded(ctx, () => {
    const r = decide(ctx, positionals[0], 'rejected', values.reason!.trim());
    out(ctx, r.json, r.text);
    return EXIT_OK;
  });
}

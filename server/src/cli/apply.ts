// `flywheel apply ID`: write a ratified proposal's change into its targets — atomically, only while each target is as
// ratified, never outside the repository; applying twice is a no-op (the flywheel service's applyProposal).

import { applyProposal } from '../node/flywheel-service/apply';
import { COMMON_HELP, COMMON_OPTIONS, guarded, openCtx, out } from './flywheel-common';
import { EXIT_OK, UsageError, type CliIO, parseFlags } from './io';

const HELP = `Usage: flywheel apply ID [options]

Apply a ratified proposal: Markdown rules with the marker the conventions surface enforces, JSON targets with
format-preserving edits, new files from templates. Atomic writes. Refuses with no write when the proposal is not
ratified (not-ratified), a target changed since it was ratified (stale-target), or a target leaves the repository or
goes through a symlink out of it (outside-root). Applying twice is a no-op.

Options:
${COMMON_HELP}`;

/** The flags this verb takes (the malformed-flag test reads them). */
export const OPTIONS = { ...COMMON_OPTIONS } as const;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('give one proposal id');
  const ctx = openCtx(values, io);
  return guarded(ctx, () => {
    const r = applyProposal(ctx, positionals[0]);
    out(ctx, r.json, r.text);
    return EXIT_OK;
  });
}

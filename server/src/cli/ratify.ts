// `flywheel ratify ID`: an owner of the target approves the proposal (recorded in the ledger).

import { decide } from '../node/flywheel-service/decide';
import { COMMON_HELP, COMMON_OPTIONS, guarded, openCtx, out } from './flywheel-common';
import { EXIT_OK, UsageError, type CliIO, parseFlags } from './io';

const HELP = `Usage: flywheel ratify ID [options]

Ratify a proposal as git's identity (user.email or GIT_AUTHOR_EMAIL, mapped to a handle by flywheel.people). Only an
owner of the target may (its CODEOWNERS owners, or flywheel.ratifiers for its route), never its author, and only while
the target is as drafted. Refusal codes: not-owner, self-ratification, unknown-actor, stale-target, not-proposed.
With flywheel.requireSignedRatification, commit the ledger event with a signed commit (git commit -S).

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
    const r = decide(ctx, positionals[0], 'ratified');
    out(ctx, r.json, r.text);
    return EXIT_OK;
  });
}

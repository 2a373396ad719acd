// `flywheel proposals [--status S] [--awaiting @H]`: the proposals, with their owners and status.

import { actorOf, isOwner } from '../engine/flywheel/identity';
import { STATUSES } from '../engine/flywheel/proposal';
import { ownersForTargets } from '../engine/flywheel/routing';
import { COMMON_HELP, COMMON_OPTIONS, openCtx, openReadingCtx, out, proposalJson } from './flywheel-common';
import { EXIT_OK, UsageError, type CliIO, parseFlags } from './io';

const HELP = `Usage: flywheel proposals [options]

The proposals of .governance/proposals/, oldest first.

Options:
  --status S             only this status (draft, proposed, ratified, rejected, applied, superseded)
  --awaiting @H          only proposed ones that @H (a handle of flywheel.people, or a team) may ratify
${COMMON_HELP}`;

/** The flags this verb takes (the malformed-flag test reads them). */
export const OPTIONS = { ...COMMON_OPTIONS, status: { type: 'string' }, awaiting: { type: 'string' } } as const;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.status !== undefined && !(STATUSES as readonly string[]).includes(values.status))
    throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
  if (values.awaiting !== undefined && !/^@\S+$/.test(values.awaiting))
    throw new UsageError('--awaiting takes a handle (@name)');
  // The records and the ledger; --awaiting also asks who owns each target (CODEOWNERS): the whole work tree.
  const ctx = values.awaiting ? openCtx(values, io) : await openReadingCtx(values, io, ['.governance']);
  let list = ctx.st.proposals;
  if (values.status) list = list.filter((e) => e.proposal.status === values.status);
  if (values.awaiting) {
    const h = values.awaiting;
    const emails = ctx.fp.people[h] ?? [];
    const actor = emails[0] ? actorOf(emails[0], ctx.fp) : { email: '', handle: h };
    list = list.filter((e) => {
      if (e.proposal.status !== 'proposed') return false;
      const owners = ownersForTargets(
        ctx.snapshot,
        ctx.cache,
        ctx.policy,
        ctx.fp,
        e.proposal.route,
        e.proposal.targets,
      );
      return (
        owners.some((o) => o.toLowerCase() === h.toLowerCase()) || isOwner({ ...actor, handle: h }, owners, ctx.fp)
      );
    });
  }
  const rows = list.map((e) => proposalJson(ctx, e.proposal, e.path));
  const text = list
    .map(
      (e) =>
        `${e.proposal.id}  ${e.proposal.status.padEnd(10)} ${e.proposal.route.padEnd(12)} ${e.proposal.target}  ${e.proposal.owners.join(' ')}\n`,
    )
    .join('');
  out(ctx, { proposals: rows }, text || 'no proposals\n');
  return EXIT_OK;
}

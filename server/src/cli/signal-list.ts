// `flywheel signal list [--kind K] [--unrouted]`: signals grouped by near-duplicates (same kind, files, root cause),
// with their count (recurrence) and the proposals made from them.

import { PROPOSAL_DIR } from '../engine/flywheel/proposal';
import { SIGNAL_DIR } from '../engine/flywheel/signal';
import { COMMON_HELP, COMMON_OPTIONS, openReadingCtx, out } from './flywheel-common';
import { EXIT_OK, UsageError, type CliIO, parseFlags } from './io';

const HELP = `Usage: flywheel signal list [options]

The signals, near-duplicates grouped (same kind, same related files, same root cause) and counted — recurrence is the
strongest argument a proposal can carry — most frequent first, with the proposals drafted from them.

Options:
  --kind K               only this kind
  --unrouted             only groups without a proposal
${COMMON_HELP}`;

/** The flags this verb takes (the malformed-flag test reads them). */
export const OPTIONS = {
  ...COMMON_OPTIONS,
  kind: { type: 'string' },
  unrouted: { type: 'boolean', default: false },
} as const;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  // The signals and the proposals made from them: nothing else of the work tree is listed.
  const ctx = await openReadingCtx(values, io, [SIGNAL_DIR, PROPOSAL_DIR]);
  const rows = [...ctx.st.groups.values()]
    .filter((g) => !values.kind || g[0]!.kind === values.kind)
    .map((g) => {
      const first = g[0]!;
      const proposals = [...new Set(g.flatMap((s) => ctx.st.proposalsOfSignal.get(s.id) ?? []))].sort();
      return {
        id: first.id,
        kind: first.kind,
        summary: first.summary,
        count: g.length,
        signals: g.map((s) => s.id),
        proposals,
        ...(first.rootCause ? { rootCause: first.rootCause } : {}),
      };
    })
    .filter((r) => !values.unrouted || !r.proposals.length)
    .sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1));
  const text = rows
    .map(
      (r) =>
        `${r.id}  ${r.kind.padEnd(16)} ×${r.count}  ${r.summary}${r.proposals.length ? `  → ${r.proposals.join(', ')}` : ''}\n`,
    )
    .join('');
  out(ctx, { signals: rows }, text || 'no signals\n');
  if (ctx.format === 'text' && ctx.st.invalid.length)
    io.err(`${ctx.st.invalid.length} record(s) could not be read (flywheel check reports them)\n`);
  return EXIT_OK;
}

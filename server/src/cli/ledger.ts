// `flywheel ledger verify`: every event's hash and its links to the events before it.

import { groupLedgerFiles, LEDGER_DIR, verifyChain } from '../engine/flywheel/ledger';
import { ledgerFiles } from '../engine/flywheel/state';
import { COMMON_HELP, COMMON_OPTIONS, openReadingCtx, out } from './flywheel-common';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CliIO, parseFlags } from './io';

const HELP = `Usage: flywheel ledger verify [options]

Verify the ledger (.governance/ledger/<subject>/<event>.json): each event hashes to the hash it carries, and every
event it follows exists. Exit 1 on a broken chain, naming the event.

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
  if (positionals[0] !== 'verify' || positionals.length > 1) throw new UsageError('usage: flywheel ledger verify');
  // Only the ledger: the signals and proposals are neither listed nor read.
  const ctx = await openReadingCtx(values, io, [LEDGER_DIR]);
  const list = ledgerFiles(ctx.snapshot).map((path) => {
    const r = ctx.snapshot.read(path);
    return { path, text: r.ok ? r.text : '' };
  });
  const chains = [...groupLedgerFiles(list)].map(([subject, files]) => verifyChain(subject, files));
  const problems = chains.flatMap((c) => c.problems);
  const events = chains.reduce((n, c) => n + c.events.length, 0);
  const files = list.length;
  out(
    ctx,
    {
      ok: problems.length === 0,
      subjects: chains.length,
      events: files,
      problems: problems.map((p) => ({ path: p.path, event: p.eventId ?? null, message: p.message })),
    },
    problems.length
      ? problems.map((p) => `${p.path}: ${p.message}\n`).join('') +
          `ledger broken: ${problems.length} problem(s) in ${files} events\n`
      : `ledger ok: ${events} events of ${chains.length} subjects verify\n`,
  );
  return problems.length ? EXIT_FINDINGS : EXIT_OK;
}

// `flywheel audit export --format jsonl`: one ledger event per line, for a SIEM.
//
// Schema (version 1, stable): {"version":1,"time","actor":{"email","handle"?,"via"?},"action","subject","subjectType",
// "target"?,"hashes":{…},"reason"?,"event","hash","prev":[…],"verified"} — time order (causal within a subject).

import { COMMON_OPTIONS, openCtx } from './flywheel-common';
import { EXIT_OK, UsageError, type CliIO, parseFlags } from './io';

const HELP = `Usage: flywheel audit export --format jsonl [--root DIR] [--since ISO]

Every ledger event, one JSON object per line: version, time, actor {email, handle}, action, subject, subjectType
(signal | proposal), target, hashes, reason, event, hash, prev, verified (whether its chain verifies).
`;

/** The flags this verb takes (the malformed-flag test reads them). */
export const OPTIONS = {
  ...COMMON_OPTIONS,
  format: { type: 'string', default: 'jsonl' },
  since: { type: 'string' },
} as const;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  if (positionals[0] !== 'export' || positionals.length > 1)
    throw new UsageError('usage: flywheel audit export --format jsonl');
  if (values.since !== undefined && Number.isNaN(Date.parse(values.since)))
    throw new UsageError(`--since takes an ISO 8601 time (got "${values.since}")`);
  const ctx = openCtx(values, io, ['jsonl']);
  const rows = [...ctx.st.chains.values()].flatMap((c) =>
    c.events.map((e) => ({ e, verified: c.problems.length === 0 })),
  );
  rows.sort((a, b) => (a.e.time < b.e.time ? -1 : a.e.time > b.e.time ? 1 : a.e.id < b.e.id ? -1 : 1));
  const since = values.since ? new Date(values.since).toISOString() : undefined;
  const lines: string[] = [];
  for (const { e, verified } of rows) {
    if (since && e.time < since) continue;
    lines.push(
      JSON.stringify({
        version: 1,
        time: e.time,
        actor: e.actor,
        action: e.action,
        subject: e.subject,
        subjectType: e.subject.startsWith('S-') ? 'signal' : 'proposal',
        ...(e.target !== undefined ? { target: e.target } : {}),
        hashes: e.hashes,
        ...(e.reason !== undefined ? { reason: e.reason } : {}),
        event: e.id,
        hash: e.hash,
        prev: e.prev,
        verified,
      }),
    );
  }
  io.out(lines.map((l) => l + '\n').join(''));
  return EXIT_OK;
}

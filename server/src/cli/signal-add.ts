// `flywheel signal add --kind K --summary S [--details D] [--root-cause R] [--suggest TEXT] [--agent A]
//  [--file PATH[:LINE]]… [--incident --severity low|medium|high|critical --owner @H]`

import { SignalError, type SignalInput } from '../engine/flywheel/signal';
import { captureSignal } from '../node/flywheel-service/capture';
import { COMMON_HELP, COMMON_OPTIONS, currentActor, guarded, openCtx, out } from './flywheel-common';
import { EXIT_OK, UsageError, type CliIO, parseFlags } from './io';

const HELP = `Usage: flywheel signal add --kind K --summary S [options]

Capture a signal: what an agent session taught us. Written to .governance/signals/<id>.md (one file per signal, so
branches merge) and recorded in the ledger. Secrets in the text are redacted first (and counted in "redacted").

Options:
  --kind K               context-gap | instruction-gap | workflow-pattern | failure
  --summary S            one line
  --details D            free text
  --root-cause R         why it happened
  --suggest TEXT         the change you suggest (e.g. the rule to add)
  --agent A              claude | copilot | cursor | gemini | codex | other (default: other)
  --file PATH[:LINE]     a related file (repeatable)
  --source S             where it came from (default: manual)
  --incident             an incident: a failure with --severity, --owner and --root-cause
  --severity S           low | medium | high | critical
  --owner @H             the incident owner
${COMMON_HELP}`;

/** The flags this verb takes (the malformed-flag test reads them). */
export const OPTIONS = {
  ...COMMON_OPTIONS,
  kind: { type: 'string' },
  summary: { type: 'string' },
  details: { type: 'string' },
  'root-cause': { type: 'string' },
  suggest: { type: 'string' },
  agent: { type: 'string' },
  file: { type: 'string', multiple: true },
  source: { type: 'string' },
  incident: { type: 'boolean', default: false },
  severity: { type: 'string' },
  owner: { type: 'string' },
} as const;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.kind)
    throw new UsageError('--kind is required (context-gap, instruction-gap, workflow-pattern or failure)');
  if (values.summary === undefined) throw new UsageError('--summary is required');
  if (!values.incident && (values.severity !== undefined || values.owner !== undefined))
    throw new UsageError('--severity and --owner go with --incident');
  if (values.incident && (!values.severity || !values.owner))
    throw new UsageError('--incident needs --severity and --owner');
  const ctx = openCtx(values, io);
  return guarded(ctx, () => {
    const actor = currentActor(ctx);
    const input: SignalInput = { kind: values.kind!, summary: values.summary! };
    if (values.details !== undefined) input.details = values.details;
    if (values['root-cause'] !== undefined) input.rootCause = values['root-cause'];
    if (values.suggest !== undefined) input.suggest = values.suggest;
    if (values.agent !== undefined) input.agent = values.agent;
    if (values.file) input.files = values.file;
    if (values.source !== undefined) input.source = values.source;
    if (values.incident) input.incident = { severity: values.severity!, owner: values.owner! };
    let made: ReturnType<typeof captureSignal>;
    try {
      made = captureSignal(ctx.root, input, actor);
    } catch (err) {
      if (err instanceof SignalError) throw new UsageError(err.message);
      throw err;
    }
    const s = made.signal;
    const note = made.redactions.length
      ? `redacted ${made.redactions.length} secret${made.redactions.length > 1 ? 's' : ''} (${[...new Set(made.redactions.map((r) => `${r.kind} in ${r.field}`))].join(', ')}) before saving\n`
      : '';
    if (note && ctx.format === 'text') io.err(`warning: ${note}`);
    out(
      ctx,
      {
        signal: {
          id: s.id,
          kind: s.kind,
          summary: s.summary,
          path: made.path,
          agent: s.agent,
          files: s.files,
          capturedBy: s.capturedBy,
          captured: s.captured,
          ...(s.incident ? { incident: s.incident } : {}),
        },
        redacted: made.redactions.length,
      },
      `${s.id}  ${s.kind}  ${s.summary}\n  ${made.path}\n`,
    );
    return EXIT_OK;
  });
}

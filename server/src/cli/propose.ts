// `flywheel propose SIGNAL_ID… [--route R] [--target PATH] [--section HEADING] [--text TEXT] [--deny RULE]… [--draft]`;
// `flywheel propose --retire P-ID [SIGNAL_ID…] [--draft]`.

import type { JsonEdit } from '../engine/flywheel/change';
import { safeId } from '../engine/flywheel/ids';
import { ROUTES, type Route } from '../engine/flywheel/policy';
import { propose, retireProposal } from '../node/flywheel-service/propose';
import { COMMON_HELP, COMMON_OPTIONS, guarded, openCtx, out } from './flywheel-common';
import { EXIT_OK, UsageError, type CliIO, parseFlags } from './io';

const HELP = `Usage: flywheel propose SIGNAL_ID… [options]
       flywheel propose --retire P-ID [SIGNAL_ID…] [--draft]

Route signals into draft proposals (.governance/proposals/<id>.md): the target, its owners, and the exact change as a
unified diff. The route comes from --route, else the policy's flywheel.routes for the signal's kind (context-gap →
convention, instruction-gap → command, workflow-pattern → playbook, failure → convention); --deny adds a Managed deny
proposal. Each proposal waits for its owners (status proposed) unless --draft keeps it a draft.

Options:
  --route R              convention | command | playbook | managed-deny | hook | registry | boundary | test-harness |
                         spec-template
  --target PATH          the file to change (default: by route; convention: the nearest convention file of the agent)
  --section HEADING      the Markdown section the text goes in (created when missing)
  --text TEXT            the text to add (default: the signal's suggested change)
  --deny RULE            a deny rule for the Managed source (repeatable), e.g. 'Bash(migrate --destructive *)'
  --json-path A.B.C      hook/registry: where the JSON value goes (dot-separated keys)
  --json-value JSON      hook/registry: the value, appended when the path is a list
  --name NAME            command/playbook: the file name (default: from the summary)
  --draft                keep it a draft for its author to edit
  --supersedes ID        this proposal replaces proposal ID (marked superseded when this one is applied; an
                         applied convention rule of ID is removed from the targets)
  --retire P-ID          draft the retirement of applied proposal P-ID: removes its rule (marker and text) from
                         every convention file, or its deny rules from the Managed source; routed to the same owners;
                         once applied, P-ID is superseded (reason: retired by …)
${COMMON_HELP}`;

/** The flags this verb takes (the malformed-flag test reads them). */
export const OPTIONS = {
  ...COMMON_OPTIONS,
  route: { type: 'string' },
  target: { type: 'string' },
  section: { type: 'string' },
  text: { type: 'string' },
  deny: { type: 'string', multiple: true },
  'json-path': { type: 'string' },
  'json-value': { type: 'string' },
  name: { type: 'string' },
  draft: { type: 'boolean', default: false },
  supersedes: { type: 'string' },
  retire: { type: 'string' },
} as const;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  if (values.retire !== undefined) return retire(values.retire, positionals, values, io);
  if (!positionals.length) throw new UsageError('give one or more signal ids (flywheel signal list)');
  if (values.route !== undefined && !(ROUTES as readonly string[]).includes(values.route)) {
    throw new UsageError(`--route must be one of ${ROUTES.join(', ')} (got "${values.route}")`);
  }
  if (values.name !== undefined && !/^[A-Za-z0-9][\w.-]*$/.test(values.name))
    throw new UsageError(`--name must be a plain file name (got "${values.name}")`);
  let json: JsonEdit | undefined;
  if (values['json-path'] !== undefined || values['json-value'] !== undefined) {
    if (values['json-path'] === undefined || values['json-value'] === undefined)
      throw new UsageError('--json-path and --json-value go together');
    let value: unknown;
    try {
      value = JSON.parse(values['json-value']);
    } catch {
      throw new UsageError(`--json-value is not JSON: ${values['json-value']}`);
    }
    json = { path: values['json-path'].split('.').filter(Boolean), value, arrayInsert: true, unique: true };
  }
  const ctx = openCtx(values, io);
  return guarded(ctx, () => {
    const r = propose(ctx, {
      signals: positionals,
      draft: values.draft ?? false,
      ...(values.route !== undefined ? { route: values.route as Route } : {}),
      ...(values.target !== undefined ? { target: values.target } : {}),
      ...(values.section !== undefined ? { section: values.section } : {}),
      ...(values.text !== undefined ? { text: values.text } : {}),
      ...(values.deny !== undefined ? { deny: values.deny } : {}),
      ...(json !== undefined ? { json } : {}),
      ...(values.name !== undefined ? { name: values.name } : {}),
      ...(values.supersedes !== undefined ? { supersedes: values.supersedes } : {}),
    });
    out(ctx, r.json, r.text);
    return EXIT_OK;
  });
}

const NOT_WITH_RETIRE = [
  'route',
  'target',
  'section',
  'text',
  'deny',
  'json-path',
  'json-value',
  'name',
  'supersedes',
] as const;

/** `--retire P-ID`: a proposal that removes the applied rule of P-ID from its targets. */
function retire(
  id: string,
  positionals: string[],
  values: ReturnType<typeof parseFlags<typeof OPTIONS>>['values'],
  io: CliIO,
): number {
  if (!safeId(id) || /^S-/.test(id))
    throw new UsageError(
      `--retire takes the id of an applied proposal (P-…), not ${/^S-/.test(id) ? 'a signal' : `"${id}"`}`,
    );
  for (const k of NOT_WITH_RETIRE)
    if (values[k] !== undefined) throw new UsageError(`--retire takes the rule from ${id}: drop --${k}`);
  const ctx = openCtx(values, io);
  return guarded(ctx, () => {
    const r = retireProposal(ctx, id, positionals, values.draft ?? false);
    out(ctx, r.json, r.text);
    return EXIT_OK;
  });
}

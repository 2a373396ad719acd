// `flywheel report [--format md|html|json] [--output FILE]`: is the flywheel turning? Signals per week by kind, median
// time from signal to ratified and to applied, open proposals per owner against their ratification rate, top root
// causes, rules added per route, recurrence after a rule was applied, stale and review-due rules. The HTML is one
// offline file (inline SVG charts, no script, no remote content).

import * as path from 'node:path';
import { reportHtml, reportMarkdown } from '../engine/flywheel/report';
import { buildReport } from '../node/flywheel-service/report';
import { checkOutputPath, writeOutput } from '../node/output';
import { COMMON_OPTIONS, openCtx } from './flywheel-common';
import { EXIT_OK, parseFlags, UsageError, type CliIO } from './io';

const HELP = `Usage: flywheel report [options]

The flywheel's numbers, from .governance/ (signals, proposals, the ledger) and the flywheel rules.

Options:
  --format md|html|json  output format (default: md); html is one offline file with SVG charts
  --output FILE          write the report to FILE instead of standard output
  --root DIR             the repository root (default: the git root or .governance/ folder above the current folder)
  --policy FILE          the policy file (default: <root>/.governance/policy.json, else the baseline)
  -h, --help             this help
`;

/** The flags this verb takes (the malformed-flag test reads them). */
export const OPTIONS = {
  ...COMMON_OPTIONS,
  format: { type: 'string', default: 'md' },
  output: { type: 'string' },
} as const;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const format = values.format ?? 'md';
  if (!['md', 'html', 'json'].includes(format))
    throw new UsageError(`--format must be md, html or json (got "${format}")`);
  if (values.output !== undefined) checkOutputPath(values.output, io.cwd);
  const ctx = openCtx({ ...values, format: 'text' }, io);
  const r = buildReport(ctx);
  const text =
    format === 'html'
      ? reportHtml(r)
      : format === 'json'
        ? JSON.stringify({ version: 1, report: r }, null, 2) + '\n'
        : reportMarkdown(r);
  if (values.output) {
    writeOutput(values.output, text, io.cwd);
    io.err(`wrote ${path.resolve(io.cwd, values.output)}\n`);
  } else io.out(text);
  return EXIT_OK;
}

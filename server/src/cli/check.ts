// `flywheel check [dir] [--format text|json|sarif] [--policy FILE] [--max-warnings N] [--quiet]`

import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisCache, check, RULES } from '../engine/index';
import { loadPolicy } from '../engine/policy/load';
import {
  findRoot,
  openWorkspace,
  openWorkspaceAsync,
  type NodeSnapshot,
  type WorkspaceOptions,
} from '../node/discovery';
import { checkOutputPath, writeOutput } from '../node/output';
import { formatJson, formatSarif, formatText, type CheckResult } from './format';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CliIO, parseFlags } from './io';

const HELP = `Usage: flywheel check [dir] [options]

Check every governance file under dir (default: the current folder) against the policy.

Options:
  --format text|json|sarif   output format (default: text)
  --policy FILE              the policy file (default: <root>/.governance/policy.json, else the baseline)
  --max-warnings N           exit 1 when there are more than N warnings (default: no limit)
  --quiet                    report errors only
  --managed FILE             the machine's Claude Code managed settings file (default: the OS path)
  --user FILE                the user's Claude settings file to include (default: not read)
  --output FILE              write the report to FILE instead of standard output
  -h, --help                 this help

Exit codes: 0 no errors (and warnings within --max-warnings), 1 errors or too many warnings, 2 usage or internal error.
`;

export type { CheckResult };

interface CheckOptions {
  policy?: string;
  managed?: string | null;
  user?: string | null;
}

function workspaceOptions(options: CheckOptions): WorkspaceOptions {
  return {
    ...(options.managed !== undefined ? { managedSettingsPath: options.managed } : {}),
    ...(options.user ? { userSettingsPath: options.user } : {}),
  };
}

/** Check a folder: the part of the command the other front ends (tests, bench) reuse. */
export function checkFolder(dir: string, options: CheckOptions = {}): CheckResult {
  const root = findRoot(dir);
  return checkSnapshot(root, openWorkspace(root, workspaceOptions(options)), options);
}

/** checkFolder, with git's walk for untracked files running while the records are read (openWorkspaceAsync). */
export async function checkFolderAsync(dir: string, options: CheckOptions = {}): Promise<CheckResult> {
  const root = findRoot(dir);
  return checkSnapshot(root, await openWorkspaceAsync(root, workspaceOptions(options)), options);
}

function checkSnapshot(root: string, snapshot: NodeSnapshot, options: CheckOptions): CheckResult {
  const policy = loadPolicy(snapshot, options.policy ? { policyPath: path.resolve(options.policy) } : {});
  const policyFiles = policy.sources.filter((s) => s.kind === 'team').map((s) => s.path);
  const filesChecked = new Set([...snapshot.governance.map((g) => g.path), ...policyFiles]).size;
  // A folder with no governance file and no policy has nothing to check: no "create a CODEOWNERS" for an empty folder.
  const findings = filesChecked === 0 ? [] : check(snapshot, policy, new AnalysisCache());
  return { root, findings, policySources: policy.sources.map((s) => s.path), filesChecked };
}

/** The flags this verb takes (the malformed-flag test reads them). */
export const OPTIONS = {
  format: { type: 'string', default: 'text' },
  policy: { type: 'string' },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean', default: false },
  managed: { type: 'string' },
  user: { type: 'string' },
  output: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  const format = values.format;
  if (!['text', 'json', 'sarif'].includes(format))
    throw new UsageError(`--format must be text, json or sarif (got "${format}")`);
  let maxWarnings = -1;
  if (values['max-warnings'] !== undefined) {
    if (!/^\d+$/.test(values['max-warnings']))
      throw new UsageError(`--max-warnings takes a whole number (got "${values['max-warnings']}")`);
    maxWarnings = Number(values['max-warnings']);
  }
  if (positionals.length > 1)
    throw new UsageError(`takes one folder (got ${positionals.length}: ${positionals.join(', ')})`);
  const dir = path.resolve(io.cwd, positionals[0] ?? '.');
  if (!fs.existsSync(dir)) throw new UsageError(`${dir}: no such folder`);
  if (!fs.statSync(dir).isDirectory()) throw new UsageError(`${dir}: not a folder`);
  if (values.policy && !fs.existsSync(path.resolve(io.cwd, values.policy)))
    throw new UsageError(`--policy ${values.policy}: no such file`);
  // Refuse an impossible --output before the work, not after it.
  if (values.output !== undefined) checkOutputPath(values.output, io.cwd);

  const result = await checkFolderAsync(dir, {
    ...(values.policy ? { policy: path.resolve(io.cwd, values.policy) } : {}),
    ...(values.managed ? { managed: path.resolve(io.cwd, values.managed) } : {}),
    ...(values.user ? { user: path.resolve(io.cwd, values.user) } : {}),
  });
  const shown = values.quiet ? result.findings.filter((f) => f.severity === 'error') : result.findings;
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;

  let text: string;
  if (format === 'json') text = formatJson(result, shown);
  else if (format === 'sarif') text = formatSarif(result, shown, RULES);
  else text = formatText(result, shown, io.color, maxWarnings);

  if (values.output !== undefined) writeOutput(values.output, text, io.cwd);
  else io.out(text);
  if (errors > 0) return EXIT_FINDINGS;
  if (maxWarnings >= 0 && warnings > maxWarnings) {
    // The text report says so itself unless --quiet hid the warnings; JSON, SARIF and --output do not.
    if (values.quiet || format !== 'text' || values.output !== undefined) {
      io.err(
        `flywheel check: ${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${maxWarnings} allows${values.quiet ? ' (not shown: --quiet)' : ''}\n`,
      );
    }
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

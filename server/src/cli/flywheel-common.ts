// What the flywheel verbs share: their options, opening the workspace from them, the JSON contract (`"version": 1`)
// and refusals (exit 1 with `{"version":1,"error":{"code","message"}}`). The acting person, ledger events and the
// writes are the flywheel service's (server/src/node/flywheel-service/), which the language server calls too.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { findRoot, openWorkspaceAsync } from '../node/discovery';
import { RefusedError } from '../node/flywheel';
import { openFlywheel, type FlywheelCtx } from '../node/flywheel-service/context';
import { EXIT_FINDINGS, UsageError, type CliIO } from './io';

// The service's helpers, for the verbs that read `.governance/` themselves.
export { currentActor, findProposal, proposalJson, recordEvent } from '../node/flywheel-service/context';

export const COMMON_OPTIONS = {
  root: { type: 'string' },
  policy: { type: 'string' },
  format: { type: 'string', default: 'text' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export const COMMON_HELP = `  --root DIR             the repository root (default: the git root or .governance/ folder above the current folder)
  --policy FILE          the policy file (default: <root>/.governance/policy.json, else the baseline)
  --format text|json     output format (default: text); json is a stable contract (version 1)
  -h, --help             this help

Exit codes: 0 done, 1 refused (or findings), 2 usage error.
`;

export interface Ctx extends FlywheelCtx {
  io: CliIO;
  format: 'text' | 'json';
}

type CtxValues = { root?: string | undefined; policy?: string | undefined; format?: string | undefined };

export function openCtx(values: CtxValues, io: CliIO, formats = ['text', 'json']): Ctx {
  const { root, policyPath, format } = ctxOptions(values, io, formats);
  return openFlywheel(root, policyPath, { io, format });
}

/**
 * openCtx for a verb that only reads the records under `only` (folders, `.governance/signals` …): nothing else of the
 * work tree is listed, and the records are read while git looks for untracked ones (openWorkspaceAsync).
 */
export async function openReadingCtx(values: CtxValues, io: CliIO, only: readonly string[]): Promise<Ctx> {
  const { root, policyPath, format } = ctxOptions(values, io, ['text', 'json']);
  const snapshot = await openWorkspaceAsync(root, { managedSettingsPath: null, only });
  return openFlywheel(root, policyPath, { io, format }, undefined, undefined, snapshot);
}

function ctxOptions(
  values: CtxValues,
  io: CliIO,
  formats: string[],
): { root: string; policyPath: string | undefined; format: 'text' | 'json' } {
  const format = values.format ?? 'text';
  if (!formats.includes(format)) throw new UsageError(`--format must be ${formats.join(' or ')} (got "${format}")`);
  const root = values.root !== undefined ? path.resolve(io.cwd, values.root) : findRoot(io.cwd);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory())
    throw new UsageError(`--root ${values.root ?? root}: not a folder`);
  const policyPath = values.policy !== undefined ? path.resolve(io.cwd, values.policy) : undefined;
  if (policyPath !== undefined && !fs.statSync(policyPath, { throwIfNoEntry: false })?.isFile()) {
    throw new UsageError(`--policy ${values.policy}: no such file`);
  }
  return { root, policyPath, format: format as 'text' | 'json' };
}

export function refusal(ctx: { io: CliIO; format: string }, err: RefusedError): number {
  if (ctx.format === 'json')
    ctx.io.out(JSON.stringify({ version: 1, error: { code: err.code, message: err.message } }, null, 2) + '\n');
  else ctx.io.err(`refused (${err.code}): ${err.message}\n`);
  return EXIT_FINDINGS;
}

/** Run a verb body; a RefusedError becomes a refusal (exit 1). */
export function guarded(ctxOrFormat: { io: CliIO; format: string }, body: () => number): number {
  try {
    return body();
  } catch (err) {
    if (err instanceof RefusedError) return refusal(ctxOrFormat, err);
    throw err;
  }
}

export function out(ctx: Ctx, json: Record<string, unknown>, text: string): void {
  if (ctx.format === 'json') ctx.io.out(JSON.stringify({ version: 1, ...json }, null, 2) + '\n');
  else ctx.io.out(text);
}

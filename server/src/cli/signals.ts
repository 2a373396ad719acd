// `flywheel signals scan [--agent claude|codex|gemini] [--transcripts DIR] [--since DAYS] [--root DIR]
//  [--format text|json] [--accept FINGERPRINT…]`
// Candidate signals mined from the agents' own session logs for this workspace, ranked by recurrence. Reads the
// transcripts on this machine and writes nothing; `--accept` turns the chosen candidates into signals.

import * as os from 'node:os';
import * as path from 'node:path';
import type { Candidate } from '../engine/flywheel/sessions/detect';
import { SESSION_AGENTS, type SessionAgent } from '../engine/flywheel/sessions/events';
import { scanSessions, type ScanResult } from '../node/transcripts/scan';
import { EXIT_OK, EXIT_USAGE, paint, parseFlags, UsageError, type CliIO } from './io';
import { guarded } from './flywheel-common';
import { draftOf, signalWriterFor, type SignalWriter } from '../node/flywheel-service/accept';

const HELP = `Usage: flywheel signals scan [options]

Candidate signals from the agents' own session logs for this workspace: calls a person rejected (with their words),
calls a permission rule or a hook blocked, a command failing again and again, a person correcting the agent,
interrupted turns. Each cites the transcript line; ranked by how many sessions it recurs in. Transcripts are read on
this machine, never copied; secrets are redacted before anything is shown. Nothing is written unless --accept.

Options:
  --agent A              claude | codex | gemini (repeatable; default: all three)
  --transcripts DIR      read the session files under DIR instead of the agents' own folders under $HOME
  --since DAYS           only sessions changed in the last DAYS days
  --root DIR             the workspace (default: the current folder); sessions of other folders are left out
  --format text|json     output format (default: text); json is a stable contract (version 1)
  --accept FP…           turn the candidates with these fingerprints into signals (.governance/signals/)
  -h, --help             this help
`;

/** The flags of `signals scan` (the malformed-flag test reads them). */
export const OPTIONS = {
  agent: { type: 'string', multiple: true },
  transcripts: { type: 'string' },
  since: { type: 'string' },
  root: { type: 'string' },
  format: { type: 'string', default: 'text' },
  accept: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export interface SignalsDeps {
  /** The writer for accepted candidates (default: the signal store, when this build has one). */
  writer?: (root: string, io: CliIO) => SignalWriter | undefined;
  home?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export async function run(args: string[], io: CliIO, deps: SignalsDeps = {}): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === '-h') {
    io.out(HELP);
    return sub ? EXIT_OK : EXIT_USAGE;
  }
  if (sub !== 'scan') throw new UsageError(`unknown sub-command "${sub}" (try: flywheel signals scan)`);
  const { values, positionals } = parseFlags(rest, OPTIONS);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  const format = values.format;
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json (got "${format}")`);
  const agents: SessionAgent[] = [];
  for (const a of (values.agent ?? []).flatMap((x) => x.split(','))) {
    if (!(SESSION_AGENTS as readonly string[]).includes(a))
      throw new UsageError(`--agent must be claude, codex or gemini (got "${a}")`);
    agents.push(a as SessionAgent);
  }
  let sinceDays: number | undefined;
  if (values.since !== undefined) {
    if (!/^\d+(?:\.\d+)?$/.test(values.since))
      throw new UsageError(`--since takes a number of days (got "${values.since}")`);
    sinceDays = Number(values.since);
  }
  const accept = [...(values.accept ?? []), ...(values.accept ? positionals : [])]
    .flatMap((x) => x.split(','))
    .filter(Boolean);
  if (!values.accept && positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const root = path.resolve(io.cwd, values.root ?? '.');
  const env = deps.env ?? process.env;
  const result = await scanSessions({
    root,
    home: deps.home ?? env.HOME ?? os.homedir(),
    env,
    ...(agents.length ? { agents } : {}),
    ...(values.transcripts !== undefined ? { transcripts: path.resolve(io.cwd, values.transcripts) } : {}),
    ...(sinceDays !== undefined ? { sinceDays } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  for (const n of result.notes) io.err(`warning: ${n}\n`);
  if (values.accept) return acceptCandidates(result, accept, root, format, io, deps);
  if (format === 'json') {
    const json = {
      version: 1,
      candidates: result.candidates.map(candidateJson),
      sessions: result.sessions,
      otherWorkspace: result.otherWorkspace,
    };
    io.out(JSON.stringify(json, null, 2) + '\n');
  } else {
    io.out(text(result, io.color));
  }
  return EXIT_OK;
}

function candidateJson(c: Candidate): Record<string, unknown> {
  return {
    kind: c.kind,
    summary: c.summary,
    evidence: c.evidence,
    agent: c.agent,
    session: c.session,
    fingerprint: c.fingerprint,
    count: c.count,
    occurrences: c.occurrences,
    heuristic: c.heuristic,
    why: c.why,
    sessions: c.sessions,
  };
}

function text(r: ScanResult, color: boolean): string {
  const p = paint(color);
  const n = r.candidates.length;
  const head =
    `${n} candidate${n === 1 ? '' : 's'} from ${r.sessions} session${r.sessions === 1 ? '' : 's'}` +
    (r.otherWorkspace ? ` (${r.otherWorkspace} from other workspaces left out)` : '');
  const out = [head, ''];
  for (const c of r.candidates) {
    out.push(`${p.bold(c.kind.padEnd(16))} ×${String(c.count).padEnd(3)} ${c.summary}  ${p.dim(c.fingerprint)}`);
    out.push(`  ${p.dim(`${c.heuristic}: ${c.why}`)}`);
    for (const e of c.evidence) out.push(`  ${p.underline(`${e.file}:${e.line}`)}  ${e.excerpt}`);
    out.push('');
  }
  if (n) out.push(p.dim('Accept one: flywheel signals scan --accept FINGERPRINT'), '');
  return out.join('\n');
}

function acceptCandidates(
  r: ScanResult,
  fps: string[],
  root: string,
  format: string,
  io: CliIO,
  deps: SignalsDeps,
): number {
  if (!fps.length) throw new UsageError('--accept needs one or more fingerprints');
  const chosen: Candidate[] = [];
  for (const fp of fps) {
    const hits = r.candidates.filter((c) => c.fingerprint === fp || (fp.length >= 6 && c.fingerprint.startsWith(fp)));
    if (hits.length > 1) throw new UsageError(`fingerprint "${fp}" is ambiguous`);
    if (!hits[0]) throw new UsageError(`no candidate has the fingerprint "${fp}" (run the scan again to see them)`);
    chosen.push(hits[0]);
  }
  return guarded({ io, format }, () => {
    const writer = deps.writer ? deps.writer(root, io) : signalWriterFor(root);
    if (!writer)
      throw new UsageError('accepting candidates needs the flywheel signal store, which this build does not have');
    const accepted: { fingerprint: string; path: string }[] = [];
    for (const c of chosen) accepted.push({ fingerprint: c.fingerprint, path: writer(draftOf(c)) });
    if (format === 'json') io.out(JSON.stringify({ version: 1, accepted }, null, 2) + '\n');
    else for (const a of accepted) io.out(`${a.fingerprint}  → ${a.path}\n`);
    return EXIT_OK;
  });
}

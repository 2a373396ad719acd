// Finding and reading agents' session logs for one workspace, on this machine only. The files are streamed line by
// line (bounded memory, cancellable) and handed to the pure miners in server/src/engine/flywheel/sessions/; nothing
// is written and no transcript is copied: only candidates (short, redacted excerpts) come out.
//
// Where each agent keeps them (the real locations, under $HOME):
//   claude  $CLAUDE_CONFIG_DIR or ~/.claude, then projects/<workspace path, every / and . as ->/<session>.jsonl and
//           <session>/subagents/agent-*.jsonl
//   codex   $CODEX_HOME or ~/.codex, then sessions/YYYY/MM/DD/rollout-*.jsonl
//   gemini  ~/.gemini/tmp/<sha256 of the workspace path>/chats/session-*.json
// A session belongs to the workspace only when its own record says so (Claude Code's `cwd` on every entry, Codex's
// session_meta cwd, Gemini's projectHash): folder names of different paths collide, and are never trusted alone.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { claudeEvents, claudeMeta, claudeProjectFolder } from '../../engine/flywheel/sessions/claude';
import { CodexParser, codexMeta } from '../../engine/flywheel/sessions/codex';
import { rankCandidates, SessionMiner, type Candidate } from '../../engine/flywheel/sessions/detect';
import { SESSION_AGENTS, type SessionAgent } from '../../engine/flywheel/sessions/events';
import { geminiSession } from '../../engine/flywheel/sessions/gemini';
import { readLines, ScanCancelled } from './lines';

export { ScanCancelled };

export interface ScanOptions {
  /** The workspace root (absolute). */
  root: string;
  agents?: readonly SessionAgent[];
  /** Read this folder instead of the agents' own locations (the agent of each file is told from its name). */
  transcripts?: string;
  /** Only sessions whose file changed in the last N days. */
  sinceDays?: number;
  now?: Date;
  home: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Longest transcript line read (default 16 MiB); longer lines are skipped and reported. */
  maxLineBytes?: number;
}

export interface ScanResult {
  candidates: Candidate[];
  /** Sessions read (a subagent file counts with its parent session). */
  sessions: number;
  files: number;
  /** Sessions left out because their record names another workspace. */
  otherWorkspace: number;
  /** Problems met on the way, one line each, naming file and line. */
  notes: string[];
}

interface Found {
  agent: SessionAgent;
  file: string;
}

const MAX_NOTES = 50;
const MAX_GEMINI_BYTES = 128 * 1024 * 1024;

export function defaultLocations(
  root: string,
  home: string,
  env: NodeJS.ProcessEnv = {},
): Record<SessionAgent, string> {
  return {
    claude: path.join(env.CLAUDE_CONFIG_DIR || path.join(home, '.claude'), 'projects', claudeProjectFolder(root)),
    codex: path.join(env.CODEX_HOME || path.join(home, '.codex'), 'sessions'),
    gemini: path.join(home, '.gemini', 'tmp'),
  };
}

export function geminiProjectHash(root: string): string {
  return createHash('sha256').update(root).digest('hex');
}

function inside(p: string, root: string): boolean {
  const r = root.replace(/\/+$/, '') || '/';
  return p === r || p.startsWith(r === '/' ? '/' : r + '/');
}

function shown(file: string, home: string): string {
  const h = home.replace(/\/+$/, '');
  return h && file.startsWith(h + '/') ? '~' + file.slice(h.length) : file;
}

function agentOfName(file: string): SessionAgent | undefined {
  const base = path.basename(file);
  if (/^rollout-.*\.jsonl$/.test(base)) return 'codex';
  if (/^session-.*\.json$/.test(base)) return 'gemini';
  if (base.endsWith('.jsonl')) return 'claude';
  return undefined;
}

/** Files under `dir` (depth-limited, symlinks not followed), sorted. */
function walk(dir: string, depth: number, keep: (f: string) => boolean, out: string[] = []): string[] {
  let ents: fs.Dirent[];
  try {
    ents = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of ents.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && depth > 0) walk(p, depth - 1, keep, out);
    else if (e.isFile() && keep(p)) out.push(p);
  }
  return out;
}

function locate(o: ScanOptions): Found[] {
  const agents = new Set(o.agents?.length ? o.agents : SESSION_AGENTS);
  const found: Found[] = [];
  if (o.transcripts) {
    for (const f of walk(o.transcripts, 5, (p) => agentOfName(p) !== undefined)) {
      const a = agentOfName(f);
      if (a && agents.has(a)) found.push({ agent: a, file: f });
    }
    return found;
  }
  const loc = defaultLocations(o.root, o.home, o.env);
  if (agents.has('claude')) {
    for (const f of walk(loc.claude, 2, (p) => p.endsWith('.jsonl'))) found.push({ agent: 'claude', file: f });
  }
  if (agents.has('codex')) {
    const rollout = (p: string) => /^rollout-.*\.jsonl$/.test(path.basename(p));
    for (const f of walk(loc.codex, 4, rollout)) found.push({ agent: 'codex', file: f });
  }
  if (agents.has('gemini')) {
    const chat = (p: string) =>
      /^session-.*\.json$/.test(path.basename(p)) && path.basename(path.dirname(p)) === 'chats';
    for (const f of walk(loc.gemini, 2, chat)) {
      found.push({ agent: 'gemini', file: f });
    }
  }
  return found;
}

/** Scan one workspace's agent sessions for candidate signals, ranked by recurrence. Writes nothing. */
export async function scanSessions(o: ScanOptions): Promise<ScanResult> {
  const now = o.now ?? new Date();
  const res: ScanResult = { candidates: [], sessions: 0, files: 0, otherWorkspace: 0, notes: [] };
  const note = (s: string) => {
    if (res.notes.length < MAX_NOTES) res.notes.push(s);
  };
  const sessions = new Set<string>();
  const all: Candidate[] = [];
  const since = o.sinceDays !== undefined ? now.getTime() - o.sinceDays * 86_400_000 : undefined;
  for (const f of locate(o)) {
    if (o.signal?.aborted) throw new ScanCancelled();
    let st: fs.Stats;
    try {
      st = fs.statSync(f.file);
    } catch {
      continue;
    }
    if (since !== undefined && st.mtimeMs < since) continue;
    const file = shown(f.file, o.home);
    try {
      const r = f.agent === 'gemini' ? readGemini(f.file, file, st, o, note) : await readJsonl(f, file, o, note);
      if (!r) continue;
      if (r === 'other') {
        res.otherWorkspace++;
        continue;
      }
      res.files++;
      sessions.add(`${f.agent}:${r.session}`);
      all.push(...r.candidates);
    } catch (err) {
      if (err instanceof ScanCancelled) throw err;
      note(`${file}: cannot read (${(err as Error).message})`);
    }
  }
  res.sessions = sessions.size;
  res.candidates = rankCandidates(all);
  return res;
}

type FileResult = { session: string; candidates: Candidate[] } | 'other' | undefined;

async function readJsonl(f: Found, file: string, o: ScanOptions, note: (s: string) => void): Promise<FileResult> {
  const base = path.basename(f.file, '.jsonl');
  // A subagent file is part of its parent session: <session>/subagents/agent-*.jsonl.
  const inSubagents = path.basename(path.dirname(f.file)) === 'subagents';
  const parentDir = inSubagents ? path.basename(path.dirname(path.dirname(f.file))) : undefined;
  let session = parentDir ?? base;
  let cwd: string | undefined;
  let verdict: 'ours' | 'other' | undefined;
  let miner: SessionMiner | undefined;
  const pending: { line: number; entry: unknown }[] = [];
  const codex = new CodexParser();
  let bad = 0;
  const controller = new AbortController();
  const stop = () => controller.abort();
  o.signal?.addEventListener('abort', stop, { once: true });
  const feed = (entry: unknown, line: number) => {
    const events = f.agent === 'claude' ? claudeEvents(entry, line) : codex.events(entry, line);
    for (const e of events) miner!.feed(e);
  };
  try {
    await readLines(
      f.file,
      (text, line) => {
        if (verdict === 'other' || !text.trim()) return;
        // Claude Code's bulky bookkeeping lines (prompt snapshots, API request shapes) carry nothing we read.
        if (f.agent === 'claude' && verdict && !text.includes('"type":"user"') && !text.includes('"type":"assistant"'))
          return;
        let entry: unknown;
        try {
          entry = JSON.parse(text);
        } catch {
          if (bad++ < 3) note(`${file}:${line}: not a JSON line (truncated or corrupted), skipped`);
          return;
        }
        if (!verdict) {
          const m = f.agent === 'claude' ? claudeMeta(entry) : codexMeta(entry);
          if (m.sessionId && !parentDir) session = m.sessionId;
          if (m.cwd) {
            cwd = m.cwd;
            verdict = inside(m.cwd, o.root) ? 'ours' : 'other';
            if (verdict === 'other') {
              controller.abort();
              return;
            }
            miner = new SessionMiner({ agent: f.agent, session, file, cwd });
            for (const p of pending.splice(0)) feed(p.entry, p.line);
          } else {
            if (pending.length < 200) pending.push({ line, entry });
            return;
          }
        }
        feed(entry, line);
      },
      { signal: controller.signal, ...(o.maxLineBytes !== undefined ? { maxLineBytes: o.maxLineBytes } : {}) },
    ).then((r) => {
      if (r.oversized.length)
        note(`${file}:${r.oversized[0]}: a line over the size limit, skipped (${r.oversized.length} in all)`);
    });
  } catch (err) {
    if (!(err instanceof ScanCancelled) || o.signal?.aborted) throw err;
  } finally {
    o.signal?.removeEventListener('abort', stop);
  }
  if (o.signal?.aborted) throw new ScanCancelled();
  if (verdict === 'other') return 'other';
  // No entry names a working directory: the session cannot be placed in this workspace, so it is left out.
  if (!miner) return undefined;
  return { session, candidates: miner.finish() };
}

function readGemini(abs: string, file: string, st: fs.Stats, o: ScanOptions, note: (s: string) => void): FileResult {
  if (st.size > MAX_GEMINI_BYTES) {
    note(`${file}: over ${MAX_GEMINI_BYTES / 1024 / 1024} MiB, skipped (a Gemini CLI session is one JSON document)`);
    return undefined;
  }
  const text = fs.readFileSync(abs, 'utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    note(`${file}:1: not valid JSON (${(err as Error).message}), skipped`);
    return undefined;
  }
  const lines = new Map<string, number>();
  let n = 1;
  const ID = /"id"\s*:\s*"([^"\\]{1,200})"/g;
  for (let at = 0; at <= text.length;) {
    const nl = text.indexOf('\n', at);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(at, end);
    ID.lastIndex = 0;
    for (let m = ID.exec(line); m; m = ID.exec(line)) if (!lines.has(m[1]!)) lines.set(m[1]!, n);
    n++;
    if (nl === -1) break;
    at = nl + 1;
  }
  const s = geminiSession(doc, (id) => lines.get(id) ?? 1);
  const hash = geminiProjectHash(o.root);
  if (s.projectHash !== hash && path.basename(path.dirname(path.dirname(abs))) !== hash) return 'other';
  if (s.projectHash !== undefined && s.projectHash !== hash) return 'other';
  const miner = new SessionMiner({
    agent: 'gemini',
    session: s.sessionId ?? path.basename(abs, '.json'),
    file,
    cwd: o.root,
  });
  for (const e of s.events) miner.feed(e);
  return { session: s.sessionId ?? path.basename(abs, '.json'), candidates: miner.finish() };
}

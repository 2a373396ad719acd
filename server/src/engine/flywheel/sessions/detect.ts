// Session signals: explainable heuristics over the events of agent sessions. Each candidate says which heuristic
// found it (`heuristic`, `why`) and cites the transcript lines it rests on (`evidence`). Secrets are redacted from
// every text before a candidate exists, so nothing shown or stored carries one.
//
//   heuristic          kind               what it reads
//   user-rejected      workflow-pattern   a call a person said no to (Claude Code keeps their words)
//   permission-denied  workflow-pattern   a call a permission rule refused: the guardrail held, the agent did not know
//   hook-blocked       workflow-pattern   a call a hook blocked, with the hook's message
//   declined           workflow-pattern   a call declined or cancelled (Gemini CLI does not tell which)
//   repeated-failure   context-gap        the same command failing twice or more in one session (e.g. the wrong
//                                         test command: the priming document should say the right one)
//   user-correction    instruction-gap    a person correcting the agent after it acted ("no, use pnpm", "stop")
//   interrupted        failure            a person interrupting the agent's turn
//
// The fingerprint is the same for the same lesson wherever it comes from (another session, another agent, another
// person): the kind, the heuristic and a normalised key (the command's program and first argument, the first folder
// of a path, the words of a correction) — never a session id, a user name or a machine path.

import { createHash } from 'node:crypto';
import { findSecrets } from '../../conventions/secrets';
import { clip, type CallInput, type SessionAgent, type SessionEvent } from './events';

export const CANDIDATE_KINDS = ['context-gap', 'instruction-gap', 'workflow-pattern', 'failure'] as const;
export type CandidateKind = (typeof CANDIDATE_KINDS)[number];
export type Heuristic =
  | 'user-rejected'
  | 'permission-denied'
  | 'hook-blocked'
  | 'declined'
  | 'repeated-failure'
  | 'user-correction'
  | 'interrupted';

export interface Evidence {
  file: string;
  line: number;
  excerpt: string;
}

export interface Candidate {
  kind: CandidateKind;
  heuristic: Heuristic;
  summary: string;
  /** Why the heuristic fired, in words. */
  why: string;
  evidence: Evidence[];
  agent: SessionAgent;
  /** The session it was first seen in (a subagent counts as its parent session). */
  session: string;
  fingerprint: string;
  /** Sessions it recurs in (after ranking; 1 before). */
  count: number;
  /** Times it was seen in all (a session can repeat it). */
  occurrences: number;
  /** `agent:session` of each session it was seen in (at most 20 listed). */
  sessions: string[];
}

export interface Redacted {
  text: string;
  kinds: string[];
}

/** `text` with every secret the conventions' secret detector finds replaced by `[REDACTED <kind>]`. */
export function redactSecrets(text: string): Redacted {
  const hits = findSecrets(text).sort((a, b) => a.start - b.start);
  if (!hits.length) return { text, kinds: [] };
  let out = '';
  let at = 0;
  const kinds: string[] = [];
  for (const h of hits) {
    if (h.start < at) continue;
    out += text.slice(at, h.start) + `[REDACTED ${h.kind}]`;
    at = h.end;
    kinds.push(h.kind);
  }
  return { text: out + text.slice(at), kinds };
}

const safe = (s: string, max = 200) => clip(redactSecrets(s.replace(/\s+/g, ' ').trim()).text, max);

/** A command's program and first argument, digits generalised and a path cut to its first folder. */
export function commandKey(command: string): string {
  const tokens = command.trim().split(/\s+/).filter(Boolean);
  const words: string[] = [];
  for (const t of tokens) {
    if (/^[A-Z_][A-Z0-9_]*=/.test(t) && !words.length) continue; // FOO=1 cmd
    if (words.length && t.startsWith('-')) continue;
    words.push(t);
    if (words.length === 2 || /[|;&<>]/.test(t)) break;
  }
  return words.map(generalise).join(' ');
}

function generalise(t: string): string {
  const slash = t.indexOf('/', 1);
  const p = slash > 0 && !/^[a-z]+:\/\//i.test(t) ? t.slice(0, slash) + '/…' : t;
  return p.replace(/\d+/g, '#').toLowerCase();
}

function pathKey(p: string, cwd: string | undefined): string {
  let rel = p;
  if (cwd && (p === cwd || p.startsWith(cwd.endsWith('/') ? cwd : cwd + '/')))
    rel = p.slice(cwd.length).replace(/^\/+/, '');
  const segs = rel.split('/').filter(Boolean);
  return generalise(segs.length > 1 ? segs[0] + '/x' : (segs[0] ?? ''));
}

function actionKey(tool: string, input: CallInput | undefined, cwd: string | undefined): string {
  if (input?.command !== undefined) return `shell ${commandKey(input.command)}`;
  if (input?.path !== undefined) return `${tool.toLowerCase()} ${pathKey(input.path, cwd)}`;
  return tool.toLowerCase();
}

function describe(tool: string, input: CallInput | undefined, cwd?: string): string {
  if (input?.command !== undefined) return `${tool} \`${safe(input.command, 120)}\``;
  if (input?.path !== undefined) {
    const base = cwd?.replace(/\/+$/, '');
    let p = input.path;
    if (base && p === base) p = '.';
    else if (base && p.startsWith(base + '/')) p = p.slice(base.length + 1);
    return `${tool} of ${safe(p, 120)}`;
  }
  return tool;
}

/** The words of a correction, normalised: case, punctuation and numbers do not make a different lesson. */
export function normaliseWords(text: string): string {
  return text
    .toLowerCase()
    .replace(/\d+/g, '#')
    .replace(/[^\p{L}\p{N}#\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function fingerprintOf(kind: CandidateKind, heuristic: Heuristic, key: string): string {
  return createHash('sha256').update(`${kind}\0${heuristic}\0${key}`).digest('hex').slice(0, 16);
}

const CORRECTIONS: { re: RegExp; why: string }[] = [
  {
    re: /^(?:no|nope|nah)\b(?![\s,.!-]*(?:problem|worries|thanks|thank you|need|rush|hurry)\b)/i,
    why: 'the reply starts with "no"',
  },
  {
    re: /^(?:stop|wait|hold on|undo|revert|wrong|not that|that'?s (?:wrong|not (?:it|right|what)))\b/i,
    why: 'the reply stops or undoes the agent',
  },
  { re: /^(?:don'?t|do not|never)\b/i, why: 'the reply forbids something' },
  {
    re: /\b(?:use|prefer|run|try)\s+[\w.@/:-]+\s+instead\b|\binstead of\b/i,
    why: 'the reply asks for something instead',
  },
  {
    re: /\b(?:don'?t|do not|never)\s+(?:touch|use|edit|change|modify|delete|remove|run|commit|push|add|install)\b/i,
    why: 'the reply forbids an action',
  },
];

/** Why a person's reply is a correction, or undefined. */
export function correctionReason(text: string): string | undefined {
  const t = text.trim();
  if (t.length > 2000) return undefined;
  for (const c of CORRECTIONS) if (c.re.test(t)) return c.why;
  return undefined;
}

export interface MinerOptions {
  agent: SessionAgent;
  session: string;
  /** The transcript file as it should be shown (e.g. `~/.claude/projects/…/x.jsonl`). */
  file: string;
  /** The session's working directory (to cut file paths to their first folder). */
  cwd?: string;
}

const MAX_CALLS = 5000;
const MAX_PER_SESSION = 500;
const FAILURE_EVIDENCE = 3;

/**
 * Reads one session's events in order and keeps bounded state (calls awaiting their result, failure counts per
 * command, at most 500 candidates), so a transcript of any length mines in constant memory.
 */
export class SessionMiner {
  private readonly calls = new Map<string, { tool: string; input: CallInput; line: number }>();
  private readonly failures = new Map<string, { command: string; tool: string; count: number; evidence: Evidence[] }>();
  private readonly out: Candidate[] = [];
  private acted = false;
  /** A rejection or an interruption since the agent last acted: the "[Request interrupted …]" that follows is the same event. */
  private stopped = false;
  private lastCall: { tool: string; input: CallInput; line: number } | undefined;

  constructor(private readonly o: MinerOptions) {}

  feed(ev: SessionEvent): void {
    switch (ev.type) {
      case 'reply':
        this.acted = true;
        this.stopped = false;
        return;
      case 'call': {
        this.acted = true;
        if (this.calls.size >= MAX_CALLS) {
          const first = this.calls.keys().next();
          if (!first.done) this.calls.delete(first.value);
        }
        const c = { tool: ev.tool, input: ev.input, line: ev.line };
        this.calls.set(ev.id, c);
        this.lastCall = c;
        return;
      }
      case 'result':
        this.result(ev);
        return;
      case 'prompt':
        this.prompt(ev);
        return;
      case 'interrupt':
        this.interrupt(ev);
        return;
    }
  }

  private add(
    kind: CandidateKind,
    heuristic: Heuristic,
    key: string,
    summary: string,
    why: string,
    evidence: Evidence[],
  ): void {
    if (this.out.length >= MAX_PER_SESSION) return;
    this.out.push({
      kind,
      heuristic,
      summary: safe(summary, 240),
      why,
      evidence,
      agent: this.o.agent,
      session: this.o.session,
      fingerprint: fingerprintOf(kind, heuristic, key),
      count: 1,
      occurrences: 1,
      sessions: [`${this.o.agent}:${this.o.session}`],
    });
  }

  private ev(line: number, excerpt: string): Evidence {
    return { file: this.o.file, line, excerpt: safe(excerpt) };
  }

  private result(ev: Extract<SessionEvent, { type: 'result' }>): void {
    const call = this.calls.get(ev.id);
    this.calls.delete(ev.id);
    const tool = call?.tool ?? ev.tool ?? 'a tool';
    const input = call?.input ?? ev.input;
    const key = actionKey(tool, input, this.o.cwd);
    const desc = describe(tool, input, this.o.cwd);
    // A rejection without the person's words is boilerplate: its first sentence is enough.
    const said = ev.reason ?? (ev.outcome === 'rejected' ? (/^[^.]*\./.exec(ev.text)?.[0] ?? ev.text) : ev.text);
    const evidence = [...(call ? [this.ev(call.line, desc)] : []), this.ev(ev.line, said)];
    switch (ev.outcome) {
      case 'interrupted':
        if (!this.stopped)
          this.interruptedDuring(ev.line, ev.text, call ? { tool, input: input ?? {}, line: call.line } : undefined);
        this.stopped = true;
        return;
      case 'rejected':
        this.stopped = true;
        this.add(
          'workflow-pattern',
          'user-rejected',
          key,
          ev.reason ? `The user rejected ${desc}: "${ev.reason}"` : `The user rejected ${desc}`,
          'a person said no to this call' + (ev.reason ? ' and said why' : ''),
          evidence,
        );
        return;
      case 'denied':
        this.add(
          'workflow-pattern',
          'permission-denied',
          key,
          `A permission rule denied ${desc}`,
          'a permission rule refused the call: the guardrail held, but the agent did not know the rule',
          evidence,
        );
        return;
      case 'hook':
        this.add(
          'workflow-pattern',
          'hook-blocked',
          key,
          ev.reason ? `A hook blocked ${desc}: "${ev.reason}"` : `A hook blocked ${desc}`,
          'a hook refused the call: the guardrail held, but the agent did not know the rule',
          evidence,
        );
        return;
      case 'cancelled':
        this.add(
          'workflow-pattern',
          'declined',
          key,
          `${desc} was declined or cancelled`,
          'the call was declined or cancelled (the agent does not record which)',
          evidence,
        );
        return;
      case 'error': {
        if (input?.command === undefined) return;
        const cmdKey = input.command.replace(/\s+/g, ' ').trim();
        let f = this.failures.get(cmdKey);
        if (!f) {
          if (this.failures.size >= MAX_CALLS) return;
          f = { command: input.command, tool, count: 0, evidence: [] };
          this.failures.set(cmdKey, f);
        }
        f.count++;
        if (f.evidence.length < FAILURE_EVIDENCE) f.evidence.push(this.ev(ev.line, ev.text || `${desc} failed`));
        return;
      }
      case 'ok':
        return;
    }
  }

  private prompt(ev: Extract<SessionEvent, { type: 'prompt' }>): void {
    this.stopped = false;
    const why = this.acted ? correctionReason(ev.text) : undefined;
    if (why) {
      const evidence = [this.ev(ev.line, ev.text)];
      const last = this.lastCall;
      if (last) evidence.push(this.ev(last.line, describe(last.tool, last.input, this.o.cwd)));
      const words = normaliseWords(redactSecrets(ev.text).text);
      this.add(
        'instruction-gap',
        'user-correction',
        words,
        `The user corrected the agent: "${ev.text}"`,
        why,
        evidence,
      );
    }
    this.acted = false;
  }

  private interrupt(ev: Extract<SessionEvent, { type: 'interrupt' }>): void {
    if (!this.stopped) this.interruptedDuring(ev.line, ev.text, this.lastCall);
    this.stopped = true;
  }

  private interruptedDuring(
    line: number,
    text: string,
    last: { tool: string; input: CallInput; line: number } | undefined,
  ): void {
    const key = last ? actionKey(last.tool, last.input, this.o.cwd) : 'turn';
    const evidence = [this.ev(line, text)];
    if (last) evidence.push(this.ev(last.line, describe(last.tool, last.input, this.o.cwd)));
    this.add(
      'failure',
      'interrupted',
      key,
      last
        ? `The user interrupted the agent during ${evidence[1]?.excerpt ?? last.tool}`
        : 'The user interrupted the agent',
      'a person stopped the turn: find the root cause',
      evidence,
    );
  }

  /** The session's candidates (repeated failures are known only at the end). */
  finish(): Candidate[] {
    for (const f of this.failures.values()) {
      if (f.count < 2) continue;
      this.add(
        'context-gap',
        'repeated-failure',
        `shell ${commandKey(f.command)}`,
        `\`${clip(f.command.replace(/\s+/g, ' ').trim(), 80)}\` failed ${f.count} times in one session`,
        'the same command kept failing: the agent likely lacks the right command or setup',
        f.evidence,
      );
    }
    return this.out;
  }
}

/** Mine one session's events (all at once; the readers feed a SessionMiner as they stream). */
export function mineSession(events: Iterable<SessionEvent>, o: MinerOptions): Candidate[] {
  const m = new SessionMiner(o);
  for (const e of events) m.feed(e);
  return m.finish();
}

const KIND_ORDER: Record<CandidateKind, number> = {
  'workflow-pattern': 0,
  'instruction-gap': 1,
  'context-gap': 2,
  failure: 3,
};
const MAX_EVIDENCE = 6;

/**
 * One candidate per fingerprint, ranked by recurrence: the number of sessions it was seen in (a subagent's session
 * is its parent's), then occurrences, kind and summary. Evidence is kept from the first sessions, at most six lines.
 */
export function rankCandidates(all: Iterable<Candidate>): Candidate[] {
  const by = new Map<string, Candidate & { seen: Set<string> }>();
  for (const c of all) {
    const sess = `${c.agent}:${c.session}`;
    const had = by.get(c.fingerprint);
    if (!had) {
      by.set(c.fingerprint, {
        ...c,
        evidence: c.evidence.slice(0, MAX_EVIDENCE),
        sessions: [sess],
        seen: new Set([sess]),
      });
      continue;
    }
    had.occurrences += c.occurrences;
    for (const e of c.evidence) if (had.evidence.length < MAX_EVIDENCE) had.evidence.push(e);
    if (!had.seen.has(sess)) {
      had.seen.add(sess);
      if (had.sessions.length < 20) had.sessions.push(sess);
    }
  }
  return [...by.values()]
    .map(({ seen, ...c }) => ({ ...c, count: seen.size }))
    .sort(
      (a, b) =>
        b.count - a.count ||
        b.occurrences - a.occurrences ||
        KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
        a.summary.localeCompare(b.summary) ||
        a.fingerprint.localeCompare(b.fingerprint),
    );
}

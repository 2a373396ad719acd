// From an accepted session candidate to a signal record. The candidate's text is already redacted; the draft cites
// the session and transcript line numbers, never a transcript's path on this machine or more than a short excerpt.
//
// The signal store (`.governance/signals/`, its record format, ids and ledger) belongs to the flywheel engine; this
// file only shapes a draft and hands it to a writer `(draft) => written path`. `signalWriterFor` returns the store's
// writer: the signal is captured as `flywheel signal add` does (the acting person from git's identity or the editor's
// GitHub sign-in, secrets redacted, an exclusive new file and its `captured` ledger event) and keeps the candidate's
// fingerprint.

import type { Candidate, CandidateKind } from '../../engine/flywheel/sessions/detect';
import type { SessionAgent } from '../../engine/flywheel/sessions/events';
import { SignalError } from '../../engine/flywheel/signal';
import { captureSignal } from './capture';
import { currentActor, openRoot, UsageError, type IdentityClaim } from './context';

export interface SignalDraft {
  kind: CandidateKind;
  summary: string;
  /** Free Markdown: the heuristic, the recurrence, the fingerprint and the cited lines. */
  details: string;
  agent: SessionAgent;
  /** `session:<agent>:<session id>` */
  source: string;
  /** The candidate's fingerprint, so recurrence across people is counted once accepted into the repository. */
  fingerprint: string;
  /** How many sessions it recurred in when accepted. */
  count: number;
}

/** Writes one signal; returns the repository-relative path written. Throws on refusal. */
export type SignalWriter = (draft: SignalDraft) => string;

/**
 * The signal store's writer for the repository at `root`. Throws RefusedError (`unknown-actor`) when git has no
 * identity here: a signal always names who captured it.
 */
export function signalWriterFor(root: string, identity?: IdentityClaim): SignalWriter | undefined {
  const ctx = openRoot(root, identity);
  const actor = currentActor(ctx);
  return (d) => {
    const input = {
      kind: d.kind,
      summary: d.summary,
      details: d.details,
      agent: d.agent,
      source: d.source,
      fingerprint: d.fingerprint,
    };
    try {
      return captureSignal(ctx.root, input, actor).path;
    } catch (err) {
      if (err instanceof SignalError) throw new UsageError(err.message);
      throw err;
    }
  };
}

export function draftOf(c: Candidate): SignalDraft {
  const lines = [
    `Found in agent sessions by \`flywheel signals scan\` (${c.heuristic}: ${c.why}).`,
    `Seen in ${c.count} session${c.count === 1 ? '' : 's'} (${c.occurrences} time${c.occurrences === 1 ? '' : 's'}).`,
    `Fingerprint: ${c.fingerprint}`,
    '',
    'Evidence (transcript lines, read on the capturing machine; transcripts are never copied):',
    ...c.evidence.map(
      (e) => `- ${c.agent} session ${sessionOfFile(e.file) ?? c.session}, line ${e.line}: ${e.excerpt}`,
    ),
  ];
  return {
    kind: c.kind,
    summary: c.summary,
    details: lines.join('\n'),
    agent: c.agent,
    source: `session:${c.agent}:${c.session}`,
    fingerprint: c.fingerprint,
    count: c.count,
  };
}

function sessionOfFile(file: string): string | undefined {
  const m = /([^/\\]+?)(?:\.jsonl?|)$/.exec(file);
  return m?.[1];
}

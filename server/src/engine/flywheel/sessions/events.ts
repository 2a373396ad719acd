// Session events: what the transcript readers turn an agent's session log into, line by line, and what the
// detection heuristics read. Pure data: no file system here (the readers are in server/src/node/transcripts/).
//
// Every event carries the 1-based line of the transcript it came from, so a candidate can cite its evidence.

export const SESSION_AGENTS = ['claude', 'codex', 'gemini'] as const;
export type SessionAgent = (typeof SESSION_AGENTS)[number];

/** What a tool call was asked to do, as far as the heuristics need it (short: never a whole file). */
export interface CallInput {
  /** A shell command (Bash, shell, run_shell_command …). */
  command?: string;
  /** The file a file tool was pointed at. */
  path?: string;
}

/**
 * How a tool call ended:
 * - `ok` / `error`: it ran (an error: it failed, e.g. a non-zero exit);
 * - `rejected`: a person said no when asked (Claude Code records their words with it);
 * - `denied`: a permission rule refused it without asking;
 * - `hook`: a hook blocked it;
 * - `cancelled`: declined or cancelled, without telling which (Gemini CLI records both alike);
 * - `interrupted`: a person stopped the turn while the call ran.
 */
export type CallOutcome = 'ok' | 'error' | 'rejected' | 'denied' | 'hook' | 'cancelled' | 'interrupted';

export type SessionEvent =
  /** Words a person typed (never the text an agent sent to a subagent, never a system reminder). */
  | { type: 'prompt'; line: number; text: string }
  /** The agent answered or acted (any assistant message). */
  | { type: 'reply'; line: number }
  | { type: 'call'; line: number; id: string; tool: string; input: CallInput }
  | {
      type: 'result';
      line: number;
      id: string;
      outcome: CallOutcome;
      text: string;
      reason?: string;
      tool?: string;
      input?: CallInput;
    }
  /** A person interrupted the agent's turn. */
  | { type: 'interrupt'; line: number; text: string };

/** Longest text an event keeps (reasons, results): enough to quote, never a whole output. */
export const MAX_EVENT_TEXT = 600;

export function clip(text: string, max = MAX_EVENT_TEXT): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

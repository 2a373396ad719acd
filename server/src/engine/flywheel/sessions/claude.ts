// Claude Code transcripts: one JSON object per line, `~/.claude/projects/<cwd with / and . as ->/<session>.jsonl`,
// subagents in `<session>/subagents/agent-<id>.jsonl` (every entry `isSidechain: true`, the parent's sessionId).
// Verified on transcripts Claude Code 2.1.330 wrote (test/fixtures/sessions/claude/, made with cc-oracle):
//   {"type":"assistant","message":{"content":[{"type":"tool_use","id","name","input"}]},"cwd","sessionId",…}
//   {"type":"user","message":{"content":[{"type":"tool_result","tool_use_id","content","is_error"}]},
//    "permissionDecision":{"decision":"reject","source":"config"|"user_reject"|"hook",…},"holdsPersonsWords":true,…}
//   {"type":"user","message":{"content":[{"type":"text","text":"no, use pnpm"}]},…}   (a person's prompt)
// and on the texts the binary writes: "The user doesn't want to proceed with this tool use. … the user said:\n<why>",
// "Permission to use Bash with command … has been denied.", "PreToolUse:Bash hook error: [<command>]: <message>",
// "[Request interrupted by user]" / "[Request interrupted by user for tool use]", and for a call stopped while it ran
// "The user doesn't want to take this action right now. STOP what you are doing …".

import { clip, isRecord, str, type CallInput, type CallOutcome, type SessionEvent } from './events';

/** The project folder Claude Code keeps a workspace's sessions in: every `/` and `.` (and any other character that
 *  is not a letter, digit or `-`) becomes `-`. Different paths can map to the same folder: check each entry's cwd. */
export function claudeProjectFolder(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9-]/g, '-');
}

export interface ClaudeMeta {
  cwd?: string;
  sessionId?: string;
  sidechain: boolean;
}

export function claudeMeta(entry: unknown): ClaudeMeta {
  if (!isRecord(entry)) return { sidechain: false };
  const m: ClaudeMeta = { sidechain: entry.isSidechain === true };
  const cwd = str(entry.cwd);
  const sid = str(entry.sessionId);
  if (cwd) m.cwd = cwd;
  if (sid) m.sessionId = sid;
  return m;
}

const REJECTED = /^The user doesn't want to proceed with this tool use/;
const STOPPED = /^The user doesn't want to take this action right now/;
const USER_SAID = /the user said:\s*([\s\S]*)$/;
const DENIED = /^Permission to use [\s\S]* has been denied\.?/;
const HOOK = /^\w+:[^\s]* hook error: \[/;
const INTERRUPTED = /^\[Request interrupted by user[^\]]*\]/;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let s = '';
  for (const b of content) if (isRecord(b) && typeof b.text === 'string') s += (s ? '\n' : '') + b.text;
  return s;
}

export function callInput(input: unknown): CallInput {
  if (!isRecord(input)) return {};
  const out: CallInput = {};
  const cmd = str(input.command) ?? str(input.cmd);
  if (cmd !== undefined) out.command = clip(cmd, 300);
  else if (Array.isArray(input.command)) {
    const parts = input.command.filter((x): x is string => typeof x === 'string');
    // ["bash","-lc","npm test"] is the command "npm test"
    const shell = parts.length === 3 && /(?:^|\/)(?:ba|z)?sh$/.test(parts[0] ?? '') && /^-\w*c$/.test(parts[1] ?? '');
    out.command = clip(shell ? (parts[2] ?? '') : parts.join(' '), 300);
  }
  const p = str(input.file_path) ?? str(input.notebook_path) ?? str(input.path) ?? str(input.absolute_path);
  if (p !== undefined) out.path = clip(p, 300);
  return out;
}

function classify(
  entry: Record<string, unknown>,
  block: Record<string, unknown>,
  text: string,
): { outcome: CallOutcome; reason?: string } {
  const d = isRecord(entry.permissionDecision) ? entry.permissionDecision : undefined;
  const source = d && d.decision === 'reject' ? str(d.source) : undefined;
  if (source === 'hook' || HOOK.test(text)) {
    const at = text.indexOf(']: ');
    return { outcome: 'hook', reason: clip((at >= 0 ? text.slice(at + 3) : text).trim()) };
  }
  if (STOPPED.test(text)) return { outcome: 'interrupted' };
  if (source === 'user_reject' || REJECTED.test(text)) {
    const said = USER_SAID.exec(text);
    // Through a permission-prompt tool the whole result is the person's answer (`holdsPersonsWords`).
    const reason = said ? said[1] : !REJECTED.test(text) && entry.holdsPersonsWords === true ? text : undefined;
    return reason && reason.trim() ? { outcome: 'rejected', reason: clip(reason.trim()) } : { outcome: 'rejected' };
  }
  const refused = source === 'config' || (source !== undefined && block.is_error === true);
  if (refused || DENIED.test(text)) return { outcome: 'denied' };
  return { outcome: block.is_error === true ? 'error' : 'ok' };
}

/** The events of one transcript entry (already parsed from its line). Entries of other types give none. */
export function claudeEvents(entry: unknown, line: number): SessionEvent[] {
  if (!isRecord(entry) || !isRecord(entry.message)) return [];
  const content = entry.message.content;
  const out: SessionEvent[] = [];
  if (entry.type === 'assistant') {
    out.push({ type: 'reply', line });
    if (Array.isArray(content)) {
      for (const b of content) {
        if (isRecord(b) && b.type === 'tool_use' && typeof b.id === 'string' && typeof b.name === 'string') {
          out.push({ type: 'call', line, id: b.id, tool: b.name, input: callInput(b.input) });
        }
      }
    }
    return out;
  }
  if (entry.type !== 'user') return out;
  if (Array.isArray(content) && content.some((b) => isRecord(b) && b.type === 'tool_result')) {
    for (const b of content) {
      if (!isRecord(b) || b.type !== 'tool_result' || typeof b.tool_use_id !== 'string') continue;
      const text = textOf(b.content);
      const c = classify(entry, b, text);
      const ev: SessionEvent = { type: 'result', line, id: b.tool_use_id, outcome: c.outcome, text: clip(text) };
      if (c.reason !== undefined) ev.reason = c.reason;
      out.push(ev);
    }
    return out;
  }
  const text = textOf(content).trim();
  if (!text) return out;
  if (INTERRUPTED.test(text)) return [{ type: 'interrupt', line, text: clip(text, 120) }];
  // Not a person's words: what an agent sent its subagent, reminders and command echoes Claude Code injects.
  const notAPerson = entry.isSidechain === true || entry.isMeta === true || entry.isCompactSummary === true;
  if (notAPerson || text.startsWith('<')) return out;
  out.push({ type: 'prompt', line, text: clip(text) });
  return out;
}

// Codex CLI rollouts: `~/.codex/sessions/YYYY/MM/DD/rollout-<time>-<id>.jsonl`, one `{timestamp,type,payload}` per
// line. What we read (verified against public readers of the format and their fixtures — see
// docs/session-signals.md): `session_meta` (payload.id, payload.cwd), `event_msg` user_message (the typed prompt) and
// turn_aborted (reason "interrupted"), `response_item` message (role user|assistant|developer), function_call
// (name, arguments as a JSON string, call_id), local_shell_call, function_call_output (call_id, output). Codex does
// not record a rejected call; a command's exit code is in its output text ("Process exited with code 1",
// "Exit code: 1") or, in older rollouts, in a JSON output's metadata.exit_code.

import { callInput } from './claude';
import { clip, isRecord, str, type SessionEvent } from './events';

export interface CodexMeta {
  cwd?: string;
  sessionId?: string;
}

export function codexMeta(entry: unknown): CodexMeta {
  if (!isRecord(entry) || !isRecord(entry.payload)) return {};
  if (entry.type !== 'session_meta' && entry.type !== 'turn_context') return {};
  const m: CodexMeta = {};
  const cwd = str(entry.payload.cwd);
  if (cwd) m.cwd = cwd;
  if (entry.type === 'session_meta') {
    const id = str(entry.payload.id);
    if (id) m.sessionId = id;
  }
  return m;
}

function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((b) => (isRecord(b) && typeof b.text === 'string' ? b.text : ''))
    .filter(Boolean)
    .join('\n');
}

/** The exit code a command's output reports, when it reports one. */
export function codexExitCode(output: string): number | undefined {
  const m = /(?:Process exited with code|^Exit code:)\s*(-?\d+)/m.exec(output);
  if (m) return Number(m[1]);
  if (output.startsWith('{')) {
    try {
      const o: unknown = JSON.parse(output);
      if (isRecord(o) && isRecord(o.metadata) && typeof o.metadata.exit_code === 'number') return o.metadata.exit_code;
    } catch {
      /* not JSON */
    }
  }
  return undefined;
}

/** Reads one rollout; keeps the last prompt so the same words recorded twice (event and item) count once. */
export class CodexParser {
  private lastPrompt = '';

  events(entry: unknown, line: number): SessionEvent[] {
    if (!isRecord(entry) || !isRecord(entry.payload)) return [];
    const p = entry.payload;
    if (entry.type === 'event_msg') {
      if (p.type === 'user_message') return this.prompt(str(p.message) ?? '', line);
      if (p.type === 'turn_aborted')
        return [{ type: 'interrupt', line, text: `turn aborted (${str(p.reason) ?? 'no reason'})` }];
      return [];
    }
    if (entry.type !== 'response_item') return [];
    if (p.type === 'message') {
      if (p.role === 'assistant') return [{ type: 'reply', line }];
      if (p.role === 'user') return this.prompt(messageText(p.content), line);
      return [];
    }
    if (p.type === 'function_call' && typeof p.call_id === 'string' && typeof p.name === 'string') {
      let args: unknown = p.arguments;
      if (typeof args === 'string') {
        try {
          args = JSON.parse(args);
        } catch {
          args = {};
        }
      }
      return [
        { type: 'reply', line },
        { type: 'call', line, id: p.call_id, tool: p.name, input: callInput(args) },
      ];
    }
    if (p.type === 'local_shell_call' && typeof p.call_id === 'string') {
      const action = isRecord(p.action) ? p.action : {};
      return [
        { type: 'reply', line },
        { type: 'call', line, id: p.call_id, tool: 'local_shell', input: callInput(action) },
      ];
    }
    if (p.type === 'function_call_output' && typeof p.call_id === 'string') {
      const out = typeof p.output === 'string' ? p.output : isRecord(p.output) ? (str(p.output.content) ?? '') : '';
      const code = codexExitCode(out);
      const failed = (code !== undefined && code !== 0) || (isRecord(p.output) && p.output.success === false);
      return [{ type: 'result', line, id: p.call_id, outcome: failed ? 'error' : 'ok', text: clip(out) }];
    }
    return [];
  }

  private prompt(raw: string, line: number): SessionEvent[] {
    const text = raw.trim();
    // Injected context (<environment_context>, <user_instructions>, AGENTS.md) is not a person's words.
    if (!text || text.startsWith('<') || text.startsWith('# AGENTS.md')) return [];
    if (text === this.lastPrompt) return [];
    this.lastPrompt = text;
    return [{ type: 'prompt', line, text: clip(text) }];
  }
}

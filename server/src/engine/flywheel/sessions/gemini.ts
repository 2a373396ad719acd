// Gemini CLI sessions: `~/.gemini/tmp/<project hash>/chats/session-<time>-<id8>.json`, ONE pretty-printed JSON
// document per session (not JSON lines), rewritten whole as the session goes. Verified from the ChatRecordingService
// of @google/gemini-cli-core (dist/src/services/chatRecordingService.js, see docs/session-signals.md):
//   {"sessionId","projectHash","startTime","lastUpdated","messages":[
//     {"id","timestamp","type":"user"|"gemini"|"info"|"error"|"warning","content",
//      "toolCalls":[{"id","name","args","result","status":"success"|"error"|"cancelled",…}]}]}
// projectHash is the SHA-256 (hex) of the project root. A call the person declined and one that was cancelled both
// end as "cancelled"; a failed call is "error" — the heuristics say "declined or cancelled", never "rejected".

import { callInput } from './claude';
import { clip, isRecord, str, type SessionEvent } from './events';

const DECLINED = /Operation Cancelled|did not allow|declined|cancelled by (?:the )?user/i;

function contentText(c: unknown): string {
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((p) => (isRecord(p) && typeof p.text === 'string' ? p.text : '')).join('');
  return isRecord(c) && typeof c.text === 'string' ? c.text : '';
}

function resultText(r: unknown): string {
  if (r === undefined || r === null) return '';
  if (typeof r === 'string') return r;
  const parts = Array.isArray(r) ? r : [r];
  const out: string[] = [];
  for (const p of parts) {
    if (!isRecord(p)) continue;
    if (typeof p.text === 'string') out.push(p.text);
    const fr = isRecord(p.functionResponse) ? p.functionResponse : undefined;
    const resp = fr && isRecord(fr.response) ? fr.response : undefined;
    if (resp) out.push(str(resp.output) ?? str(resp.error) ?? JSON.stringify(resp));
  }
  return out.join('\n');
}

export interface GeminiSession {
  sessionId?: string;
  projectHash?: string;
  events: SessionEvent[];
}

/**
 * The events of one Gemini CLI session document. `lineOf(id)` gives the 1-based line where the message or tool
 * call with that id is written (the reader finds it in the file's text), so evidence can cite the line.
 */
export function geminiSession(doc: unknown, lineOf: (id: string) => number): GeminiSession {
  const s: GeminiSession = { events: [] };
  if (!isRecord(doc)) return s;
  const sid = str(doc.sessionId);
  const ph = str(doc.projectHash);
  if (sid) s.sessionId = sid;
  if (ph) s.projectHash = ph;
  if (!Array.isArray(doc.messages)) return s;
  for (const m of doc.messages) {
    if (!isRecord(m)) continue;
    const line = lineOf(str(m.id) ?? '');
    if (m.type === 'user') {
      const text = contentText(m.content).trim();
      if (text && !text.startsWith('<')) s.events.push({ type: 'prompt', line, text: clip(text) });
      continue;
    }
    if (m.type !== 'gemini') continue;
    s.events.push({ type: 'reply', line });
    if (!Array.isArray(m.toolCalls)) continue;
    for (const c of m.toolCalls) {
      if (!isRecord(c) || typeof c.id !== 'string' || typeof c.name !== 'string') continue;
      const cl = lineOf(c.id);
      s.events.push({ type: 'call', line: cl, id: c.id, tool: c.name, input: callInput(c.args) });
      const status = str(c.status);
      if (status === 'success' || status === 'error' || status === 'cancelled') {
        const text = clip(resultText(c.result) || contentText(c.resultDisplay));
        // A declined call can end as an error too; its text says so.
        const declined = status === 'cancelled' || (status === 'error' && DECLINED.test(text));
        const outcome = status === 'success' ? 'ok' : declined ? 'cancelled' : 'error';
        s.events.push({ type: 'result', line: cl, id: c.id, outcome, text });
      }
    }
  }
  return s;
}

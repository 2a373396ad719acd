// What the capture commands send, without the editor: the presets the code actions "Capture as signal…" and
// "Propose a rule…" hand to Capture Signal, and the `flywheel/captureSignal` parameters made from a preset and the
// person's answers. No `vscode` here, so the LSP tests drive the same requests the editor sends.

import type { CaptureSignalParams } from '../../server/src/lsp/protocol';

/** What the active editor or a code action says about a capture: the file and line, a summary, the agent. */
export interface CaptureContext {
  file?: string;
  summary?: string;
  agent?: string;
}

const AGENT_OF_FILE: [RegExp, string][] = [
  [/(^|\/)(CLAUDE(\.local)?\.md|\.claude\/)/, 'claude'],
  [/(^|\/)(GEMINI\.md|\.gemini\/)/, 'gemini'],
  [/(^|\/)(\.cursorrules|\.cursor\/)/, 'cursor'],
  [/(^|\/)\.github\/(copilot-instructions\.md|instructions\/)/, 'copilot'],
  [/(^|\/)AGENTS\.md$/, 'codex'],
];

export function agentOfPath(rel: string): string | undefined {
  return AGENT_OF_FILE.find(([re]) => re.test(rel))?.[1];
}

export const CONVENTION_FILE =
  /(^|[/\\])(CLAUDE(\.local)?\.md|AGENTS\.md|GEMINI\.md|\.cursorrules|copilot-instructions\.md|[^/\\]+\.instructions\.md|[^/\\]+\.mdc)$|[/\\]\.claude[/\\]rules[/\\][^/\\]+\.md$/;

/** "Capture as signal…" on a finding: its rule and first sentence as the summary, its file and line. */
export function captureAsSignalPreset(d: { code: string; message: string; line: number }, rel: string): CaptureContext {
  return {
    summary: `${d.code}: ${d.message.split('. ')[0] ?? d.message}`.slice(0, 200),
    file: `${rel}:${d.line + 1}`,
  };
}

/**
 * "Propose a rule…" on text selected in a convention file: the text as the summary, a context gap — the kind the
 * policy routes to the convention file (a rule for the agents to read), as the seed routes it; an instruction gap
 * would be routed to a command.
 */
export function proposeRulePreset(text: string, rel: string, line: number): CaptureContext & { kind: string } {
  const agent = agentOfPath(rel);
  return {
    kind: 'context-gap',
    summary: text.trim().replace(/\s+/g, ' ').slice(0, 200),
    file: `${rel}:${line + 1}`,
    ...(agent ? { agent } : {}),
  };
}

/** The answers of Capture Signal's steps (Log Incident: with severity and owner). */
export interface CaptureAnswers {
  kind: string;
  summary: string;
  rootCause?: string;
  suggest?: string;
  incident?: { severity: string; owner: string };
}

/** The `flywheel/captureSignal` parameters: the answers, and what the editor knows (file, agent). */
export function captureParams(ctx: CaptureContext, a: CaptureAnswers, uri?: string): CaptureSignalParams {
  const params: CaptureSignalParams = { ...(uri ? { uri } : {}), kind: a.kind, summary: a.summary };
  if (a.rootCause?.trim()) params.rootCause = a.rootCause;
  if (a.suggest?.trim()) params.suggest = a.suggest;
  if (ctx.agent) params.agent = ctx.agent;
  if (ctx.file) params.files = [ctx.file];
  if (a.incident) params.incident = a.incident;
  return params;
}

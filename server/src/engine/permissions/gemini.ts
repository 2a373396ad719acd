// Gemini CLI settings layers (formats §2.1–2.2): system defaults < user < workspace < system overrides, deep-merged
// with the CLI's own strategies — objects merge, arrays replace unless the key is UNION (tools.exclude, …) or
// CONCAT (context.includeDirectories, hooks.<Event>), mcpServers merge shallowly (a same-named server is replaced
// whole). Comments are allowed (the CLI strips them); trailing commas are not.

import type { Snapshot } from '../host';
import { parseJson, type ParsedJson } from './json';
import { globMatch } from './bash';
import { parseToolCall } from './call';

export type GeminiLayer = 'system-defaults' | 'user' | 'workspace' | 'system';
export const GEMINI_ORDER: readonly GeminiLayer[] = ['system-defaults', 'user', 'workspace', 'system'];

const UNION = new Set([
  'tools.exclude',
  'context.fileFiltering.customIgnoreFilePaths',
  'advanced.excludedEnvVars',
  'policyPaths',
  'adminPolicyPaths',
  'extensions.disabled',
  'skills.disabled',
  'mcp.excluded',
]);
const CONCAT = new Set(['context.includeDirectories']);

export interface GeminiFile {
  layer: GeminiLayer;
  file: string;
  inWorkspace: boolean;
  parsed: ParsedJson;
  value: Record<string, unknown>;
}

export interface GeminiStack {
  files: GeminiFile[];
  merged: Record<string, unknown>;
  /** Which file set each merged dotted path last. */
  origin: Map<string, GeminiFile>;
}

export function loadGeminiStack(
  snapshot: Snapshot,
  options: { systemDefaults?: string; user?: string; system?: string; workspaceFile?: string } = {},
): GeminiStack {
  const files: GeminiFile[] = [];
  const add = (layer: GeminiLayer, where: { rel?: string; abs?: string }) => {
    const r = where.rel ? snapshot.read(where.rel) : snapshot.readAbsolute(where.abs!);
    if (!r.ok) return;
    const parsed = parseJson(r.text, { allowComments: true });
    files.push({ layer, file: where.rel ?? where.abs!, inWorkspace: !!where.rel, parsed, value: parsed.value ?? {} });
  };
  if (options.systemDefaults) add('system-defaults', { abs: options.systemDefaults });
  if (options.user) add('user', { abs: options.user });
  add('workspace', { rel: options.workspaceFile ?? '.gemini/settings.json' });
  if (options.system) add('system', { abs: options.system });
  const origin = new Map<string, GeminiFile>();
  let merged: Record<string, unknown> = {};
  for (const f of files) merged = mergeInto(merged, f.value, '', f, origin);
  return { files, merged, origin };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function mergeInto(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
  prefix: string,
  f: GeminiFile,
  origin: Map<string, GeminiFile>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const path = prefix ? `${prefix}.${k}` : k;
    const cur = out[k];
    origin.set(path, f);
    if (path === 'mcpServers' && isObj(cur) && isObj(v)) out[k] = { ...cur, ...v };
    else if ((UNION.has(path) || CONCAT.has(path) || prefix === 'hooks') && Array.isArray(cur) && Array.isArray(v)) {
      out[k] = UNION.has(path) ? [...new Set([...cur, ...v])] : [...cur, ...v];
    } else if (isObj(v) && (isObj(cur) || cur === undefined) && path !== 'mcpServers')
      out[k] = mergeInto(isObj(cur) ? cur : {}, v, path, f, origin);
    else out[k] = v;
  }
  return out;
}

export function getPath(obj: Record<string, unknown>, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.split('.')) cur = isObj(cur) ? cur[k] : undefined;
  return cur;
}

/** Gemini CLI tool names and the class names the settings also accept. */
const CLASS_NAMES: Record<string, string> = {
  ShellTool: 'run_shell_command',
  ReadFileTool: 'read_file',
  WriteFileTool: 'write_file',
  EditTool: 'replace',
  WebFetchTool: 'web_fetch',
  GlobTool: 'glob',
  GrepTool: 'search_file_content',
  LSTool: 'list_directory',
  ReadManyFilesTool: 'read_many_files',
  MemoryTool: 'save_memory',
  WebSearchTool: 'google_web_search',
};

function entryMatches(entry: string, tool: string, arg: string | undefined): boolean {
  const c = parseToolCall(entry);
  const name = CLASS_NAMES[c.tool] ?? c.tool;
  if (name !== tool && !globMatch(name, tool)) return false;
  if (c.arg === undefined) return true;
  if (arg === undefined) return false;
  // `run_shell_command(git)` restricts to commands starting with that prefix.
  return arg === c.arg || arg.startsWith(c.arg + ' ') || globMatch(c.arg, arg);
}

export interface GeminiExplanation {
  call: string;
  decision: 'allow' | 'ask' | 'deny' | 'prompt';
  entry?: string;
  key?: string;
  file?: string;
  reason: string;
}

export function explainGemini(stack: GeminiStack, callText: string): GeminiExplanation {
  const c = parseToolCall(callText);
  const tool = CLASS_NAMES[c.tool] ?? c.tool;
  const list = (k: string) =>
    Array.isArray(getPath(stack.merged, k))
      ? (getPath(stack.merged, k) as unknown[]).filter((x): x is string => typeof x === 'string')
      : undefined;
  const hit = (k: string) => list(k)?.find((e) => entryMatches(e, tool, c.arg));
  const res = (
    decision: GeminiExplanation['decision'],
    key: string,
    entry: string | undefined,
    reason: string,
  ): GeminiExplanation => ({
    call: callText,
    decision,
    ...(entry ? { entry } : {}),
    key,
    ...(stack.origin.get(key) ? { file: stack.origin.get(key)!.file } : {}),
    reason,
  });
  const ex = hit('tools.exclude');
  if (ex) return res('deny', 'tools.exclude', ex, `tools.exclude removes it ("${ex}")`);
  const core = list('tools.core');
  if (core && !hit('tools.core'))
    return res(
      'deny',
      'tools.core',
      undefined,
      'tools.core is an allowlist and no entry matches: the tool is not available',
    );
  const confirm = hit('tools.confirmationRequired');
  if (confirm)
    return res(
      'ask',
      'tools.confirmationRequired',
      confirm,
      `tools.confirmationRequired always confirms ("${confirm}")`,
    );
  const allowed = hit('tools.allowed');
  if (allowed) return res('allow', 'tools.allowed', allowed, `tools.allowed skips confirmation ("${allowed}")`);
  return { call: callText, decision: 'prompt', reason: 'no setting decides: Gemini CLI asks for confirmation' };
}

// MCP server configs of every client in the repository, one model (formats §1.7, §2.3, §3.1): Claude Code's
// `.mcp.json` (strict JSON, `mcpServers`; a plugin's nested `.mcp.json` may hold the server map itself), VS Code's
// `.vscode/mcp.json` (JSONC, `servers` + `inputs`), Cursor's `.cursor/mcp.json` (`mcpServers`), Amazon Q's
// `.amazonq/mcp.json` / `default.json` (`mcpServers`) and Gemini CLI's `.gemini/settings.json` `mcpServers` (read
// through the permissions surface's Gemini stack, not parsed twice). Each server gets its transport, its package
// (runner + identifier + pinned version) or remote URL, and the tools it is auto-approved for.

import { parseJson, rangeAt, type ParsedJson } from '../permissions/json';
import type { FileKind, Range } from '../types';

export type McpClient = 'claude-code' | 'vscode' | 'cursor' | 'amazon-q' | 'gemini-cli';

export const CLIENT_NAMES: Record<McpClient, string> = {
  'claude-code': 'Claude Code',
  vscode: 'VS Code',
  cursor: 'Cursor',
  'amazon-q': 'Amazon Q',
  'gemini-cli': 'Gemini CLI',
};

export type Transport = 'stdio' | 'http' | 'sse' | 'ws';

export interface PackageRef {
  /** The command that fetches and runs it. */
  runner: 'npx' | 'uvx' | 'docker';
  registryType: 'npm' | 'pypi' | 'oci';
  identifier: string;
  /** The pinned version (`pkg@1.2.3`, `pkg==1.2.3`, `image:1.2.3`); `latest` counts as unpinned. */
  version?: string;
  /** Index in `args` of the argument that names the package. */
  argIndex: number;
}

export interface ToolGrant {
  /** The tool name, or `*` for every tool of the server. */
  tool: string;
  /** How it is granted, in words (`trust: true`, `includeTools`, `autoApprove`). */
  how: string;
  path: (string | number)[];
}

export interface McpServer {
  client: McpClient;
  /** Root-relative config file. */
  file: string;
  name: string;
  /** JSON path of the entry. */
  path: (string | number)[];
  nameRange: Range;
  entry: Record<string, unknown>;
  transport: Transport;
  /** How the transport was chosen: written (`type`), or inferred from the fields. */
  transportWritten: boolean;
  command?: string;
  args: string[];
  url?: string;
  /** Path of the `url` value (`url`, `httpUrl`, `serverUrl`). */
  urlKey?: string;
  package?: PackageRef;
  grants: ToolGrant[];
}

export interface ConfigProblem {
  code: 'syntax' | 'comment' | 'shape' | 'wrong-key' | 'url-without-type' | 'no-transport' | 'bad-type' | 'bad-name';
  message: string;
  range: Range;
}

export interface McpConfigFile {
  client: McpClient;
  file: string;
  parsed: ParsedJson;
  /** The key that holds the servers (`mcpServers`, `servers`), or undefined for a bare server map. */
  serversKey?: string;
  servers: McpServer[];
  problems: ConfigProblem[];
  /** The Gemini file's syntax is reported by settings/invalid; ours only reports the MCP part. */
  syntaxReportedElsewhere: boolean;
}

export const MCP_CONFIG_KINDS: FileKind[] = ['mcp-json', 'vscode-mcp-json', 'cursor-mcp-json', 'amazonq-mcp-json'];

/** What the MCP rules read: every client's config, Gemini's `mcpServers` among its settings. */
export const MCP_RULE_DEPENDS: FileKind[] = [...MCP_CONFIG_KINDS, 'gemini-settings'];

/** …and, for rules that skip servers Claude Code never starts, the settings that decide it (mcp/claude.ts). */
export const MCP_STARTED_DEPENDS: Array<FileKind | 'managed' | 'user'> = [
  ...MCP_RULE_DEPENDS,
  'claude-settings',
  'claude-settings-local',
  'claude-managed-settings',
  'managed',
  'user',
];

const CLIENT_OF: Partial<Record<FileKind, McpClient>> = {
  'mcp-json': 'claude-code',
  'vscode-mcp-json': 'vscode',
  'cursor-mcp-json': 'cursor',
  'amazonq-mcp-json': 'amazon-q',
  'gemini-settings': 'gemini-cli',
};

/** Which clients read comments in their MCP config. VS Code: JSONC with trailing commas. Cursor: comments, but a
 * trailing comma makes it reject the file (docs/mcp.md cites the evidence). Claude Code and Amazon Q: strict JSON. */
const ALLOWS_COMMENTS: Record<McpClient, boolean> = {
  'claude-code': false,
  vscode: true,
  cursor: true,
  'amazon-q': false,
  'gemini-cli': true,
};

const MAX_SERVERS = 5000;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Parse one config file. `parsed` is given for the Gemini settings file (the permissions surface parsed it). */
export function parseMcpConfig(
  file: string,
  kind: FileKind,
  text: string,
  parsed?: ParsedJson,
): McpConfigFile | undefined {
  const client = CLIENT_OF[kind];
  if (!client) return undefined;
  const p =
    parsed ??
    parseJson(text, {
      allowComments: ALLOWS_COMMENTS[client],
      allowTrailingComma: client === 'vscode',
    });
  const problems: ConfigProblem[] = [];
  const out: McpConfigFile = {
    client,
    file,
    parsed: p,
    servers: [],
    problems,
    syntaxReportedElsewhere: client === 'gemini-cli',
  };
  if (!parsed) {
    for (const pr of p.problems) {
      if (pr.code === 'duplicate-key') continue;
      const code = pr.code === 'comment' ? 'comment' : 'syntax';
      const message =
        pr.code === 'comment'
          ? `a comment: ${CLIENT_NAMES[client]} reads ${file} as strict JSON and rejects the whole file`
          : pr.code === 'trailing-comma'
            ? `a trailing comma: ${CLIENT_NAMES[client]} rejects the whole file`
            : `${pr.message}: ${CLIENT_NAMES[client]} cannot read ${file}`;
      // jsonc reports a trailing comma in an object twice (no property name, no value): one finding.
      const r = pr.range.start;
      if (
        problems.some(
          (x) => x.message === message && x.range.start.line === r.line && x.range.start.character === r.character,
        )
      )
        continue;
      problems.push({ code, message, range: pr.range });
    }
    if (problems.length) return out;
  }
  const root = p.value;
  if (!root) return out;
  let key: string | undefined;
  if (client === 'vscode') {
    if (isObj(root.servers)) key = 'servers';
    else if (isObj(root.mcpServers)) {
      problems.push({
        code: 'wrong-key',
        message: 'VS Code reads servers from "servers", not "mcpServers": these servers are never started',
        range: rangeAt(p, ['mcpServers'], true),
      });
      key = 'mcpServers';
    }
  } else if (client === 'gemini-cli') {
    if (root.mcpServers !== undefined) key = 'mcpServers';
    else return out;
  } else if (isObj(root.mcpServers)) {
    key = 'mcpServers';
  } else if (isObj(root.servers)) {
    problems.push({
      code: 'wrong-key',
      message: `${CLIENT_NAMES[client]} reads servers from "mcpServers", not "servers" (the VS Code key): these servers are never started`,
      range: rangeAt(p, ['servers'], true),
    });
    key = 'servers';
  }
  if (root.mcpServers !== undefined && key === 'mcpServers' && !isObj(root.mcpServers)) {
    problems.push({
      code: 'shape',
      message: '"mcpServers" must be an object of named servers',
      range: rangeAt(p, ['mcpServers']),
    });
    return out;
  }
  let map: Record<string, unknown>;
  if (key) {
    map = root[key] as Record<string, unknown>;
    out.serversKey = key;
  } else if (
    client === 'claude-code' &&
    file.includes('/') &&
    Object.values(root).length > 0 &&
    Object.values(root).every((v) => isObj(v) && ('command' in v || 'url' in v))
  ) {
    // A plugin's .mcp.json may hold the server map itself.
    map = root;
  } else {
    if (Object.keys(root).length > 0 && !(client === 'amazon-q' && file.endsWith('default.json'))) {
      problems.push({
        code: 'shape',
        message: `no "mcpServers" object: ${CLIENT_NAMES[client]} finds no server in ${file}`,
        range: rangeAt(p, []),
      });
    }
    return out;
  }
  let n = 0;
  for (const [name, v] of Object.entries(map)) {
    if (n++ >= MAX_SERVERS) break;
    const path = key ? [key, name] : [name];
    const nameRange = rangeAt(p, path, true);
    if (!isObj(v)) {
      problems.push({ code: 'shape', message: `server "${show(name)}" must be an object`, range: rangeAt(p, path) });
      continue;
    }
    if (client === 'claude-code' && !/^[A-Za-z0-9_-]+$/.test(name)) {
      problems.push({
        code: 'bad-name',
        message: `server name "${show(name)}": Claude Code server names may only hold letters, digits, "-" and "_"`,
        range: nameRange,
      });
    }
    const s = serverOf(client, file, name, path, nameRange, v, p, problems);
    if (s) out.servers.push(s);
  }
  if (client === 'amazon-q') addAmazonQGrants(out, root);
  return out;
}

function show(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + '…' : s;
}

function serverOf(
  client: McpClient,
  file: string,
  name: string,
  path: (string | number)[],
  nameRange: Range,
  v: Record<string, unknown>,
  p: ParsedJson,
  problems: ConfigProblem[],
): McpServer | undefined {
  const type = v.type;
  const command = typeof v.command === 'string' ? v.command : undefined;
  const urlKey =
    typeof v.httpUrl === 'string'
      ? 'httpUrl'
      : typeof v.url === 'string'
        ? 'url'
        : typeof v.serverUrl === 'string'
          ? 'serverUrl'
          : undefined;
  const url = urlKey ? (v[urlKey] as string) : undefined;
  let transport: Transport;
  let written = false;
  if (type !== undefined) {
    const t = typeof type === 'string' ? type.toLowerCase() : '';
    const ok: Record<string, Transport> = {
      stdio: 'stdio',
      http: 'http',
      'streamable-http': 'http',
      streamablehttp: 'http',
      sse: 'sse',
      ws: 'ws',
    };
    const mapped = ok[t];
    if (!mapped || (client === 'gemini-cli' && t === 'ws')) {
      problems.push({
        code: 'bad-type',
        message: `"type": ${JSON.stringify(type)} is not a transport ${CLIENT_NAMES[client]} knows (stdio, http, sse${client === 'claude-code' ? ', ws' : ''})`,
        range: rangeAt(p, [...path, 'type']),
      });
      return undefined;
    }
    transport = mapped;
    written = true;
  } else if (client === 'gemini-cli') {
    transport = urlKey === 'httpUrl' ? 'http' : url ? 'sse' : 'stdio';
  } else if (url && client === 'claude-code') {
    problems.push({
      code: 'url-without-type',
      message: `server "${show(name)}" has a "url" but no "type": Claude Code reads it as a stdio server and it fails to start; add "type": "http" (or "sse")`,
      range: nameRange,
    });
    transport = 'http';
  } else {
    transport = url ? 'http' : 'stdio';
  }
  if (transport === 'stdio' && !command) {
    problems.push({
      code: 'no-transport',
      message: url
        ? `server "${show(name)}" is stdio but has a "url" and no "command"`
        : `server "${show(name)}" has neither a "command" nor a "url"`,
      range: nameRange,
    });
    return undefined;
  }
  if (transport !== 'stdio' && !url) {
    problems.push({
      code: 'no-transport',
      message: `server "${show(name)}" is ${transport} but has no "url"`,
      range: nameRange,
    });
    return undefined;
  }
  const args = strings(v.args);
  const server: McpServer = {
    client,
    file,
    name,
    path,
    nameRange,
    entry: v,
    transport,
    transportWritten: written,
    args,
    grants: [],
    ...(command !== undefined ? { command } : {}),
    ...(url !== undefined ? { url } : {}),
    ...(urlKey ? { urlKey } : {}),
  };
  if (transport === 'stdio' && command) {
    const pkg = packageOf(command, args);
    if (pkg) server.package = pkg;
  }
  if (v.trust === true) server.grants.push({ tool: '*', how: '"trust": true', path: [...path, 'trust'] });
  if (client === 'gemini-cli') {
    strings(v.includeTools).forEach((t, i) =>
      server.grants.push({ tool: t, how: 'includeTools', path: [...path, 'includeTools', i] }),
    );
  }
  for (const k of ['autoApprove', 'alwaysAllow']) {
    strings(v[k]).forEach((t, i) => server.grants.push({ tool: t, how: k, path: [...path, k, i] }));
  }
  return server;
}

/** Amazon Q agent config (`default.json`): `allowedTools` entries `@server` or `@server/tool` auto-approve. */
function addAmazonQGrants(f: McpConfigFile, root: Record<string, unknown>): void {
  strings(root.allowedTools).forEach((t, i) => {
    const m = /^@([^/]+)(?:\/(.+))?$/.exec(t);
    if (!m) return;
    const s = f.servers.find((x) => x.name === m[1]);
    s?.grants.push({ tool: m[2] ?? '*', how: 'allowedTools', path: ['allowedTools', i] });
  });
}

const NPX_FLAGS_WITH_VALUE = new Set(['-p', '--package', '-c', '--call']);
const DOCKER_FLAGS_WITH_VALUE = new Set([
  '-e',
  '--env',
  '--env-file',
  '-v',
  '--volume',
  '--name',
  '-p',
  '--publish',
  '--network',
  '--net',
  '-w',
  '--workdir',
  '-u',
  '--user',
  '--mount',
  '--entrypoint',
  '-l',
  '--label',
  '--platform',
  '--pull',
  '--add-host',
  '--cpus',
  '-m',
  '--memory',
]);

/** The package a stdio command runs through a package runner: `npx -y pkg@1`, `uvx pkg==1`, `docker run img:1`. */
export function packageOf(command: string, args: readonly string[]): PackageRef | undefined {
  const cmd = command
    .replace(/\\/g, '/')
    .split('/')
    .pop()!
    .replace(/\.(cmd|exe)$/i, '');
  if (cmd === 'npx' || cmd === 'bunx' || cmd === 'pnpx') {
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (NPX_FLAGS_WITH_VALUE.has(a)) {
        i++;
        continue;
      }
      if (a.startsWith('-')) continue;
      return { runner: 'npx', registryType: 'npm', argIndex: i, ...npmSpec(a) };
    }
    return undefined;
  }
  if (cmd === 'uvx') {
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '--from' && args[i + 1])
        return { runner: 'uvx', registryType: 'pypi', argIndex: i + 1, ...pypiSpec(args[i + 1]!) };
      if (a.startsWith('-')) {
        if (/^--(python|with|index-url|extra-index-url)$/.test(a)) i++;
        continue;
      }
      return { runner: 'uvx', registryType: 'pypi', argIndex: i, ...pypiSpec(a) };
    }
    return undefined;
  }
  if (cmd === 'docker' || cmd === 'podman') {
    const run = args.indexOf('run');
    if (run === -1) return undefined;
    for (let i = run + 1; i < args.length; i++) {
      const a = args[i]!;
      if (DOCKER_FLAGS_WITH_VALUE.has(a)) {
        i++;
        continue;
      }
      if (a.startsWith('-')) continue;
      return { runner: 'docker', registryType: 'oci', argIndex: i, ...ociSpec(a) };
    }
  }
  return undefined;
}

function npmSpec(a: string): { identifier: string; version?: string } {
  const at = a.indexOf('@', a.startsWith('@') ? 1 : 0);
  if (at === -1) return { identifier: a };
  const version = a.slice(at + 1);
  return { identifier: a.slice(0, at), ...(version && version !== 'latest' ? { version } : {}) };
}

function pypiSpec(a: string): { identifier: string; version?: string } {
  const m = /^([A-Za-z0-9._-]+)(?:==|@)(.+)$/.exec(a);
  if (!m) return { identifier: a.replace(/[<>=~!].*$/, '') };
  return { identifier: m[1]!, ...(m[2] !== 'latest' ? { version: m[2]! } : {}) };
}

function ociSpec(a: string): { identifier: string; version?: string } {
  const at = a.indexOf('@sha256:');
  if (at !== -1) return { identifier: a.slice(0, at), version: a.slice(at + 1) };
  const slash = a.lastIndexOf('/');
  const colon = a.lastIndexOf(':');
  if (colon > slash) {
    const tag = a.slice(colon + 1);
    return { identifier: a.slice(0, colon), ...(tag !== 'latest' ? { version: tag } : {}) };
  }
  return { identifier: a };
}

/** Whether a config value holds a reference the client expands (`${VAR}`, `${env:VAR}`, `${input:id}`, `$VAR`) — or
 * a broken one (`${` never closed): that is a typo, not a credential. */
export function isReference(v: string): boolean {
  return /\$\{|\$[A-Z_][A-Z0-9_]*/i.test(v);
}

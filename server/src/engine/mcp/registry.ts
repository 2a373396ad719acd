// The org's MCP registry (formats §3.2, §3.3): the Amazon Q registry format `{ "servers": [{ "server": … }] }`, or
// one official MCP Registry `server.json`, with our extension `x-approvedTools` (per server: the tool names the org
// approves, so the read/write partition is expressible: `query` approved, `execute` deliberately not). Validated
// here; matched against configured servers by package identifier and runner, or by remote URL — never by the
// user-chosen name alone.

import { parseJson, rangeAt, type ParsedJson } from '../permissions/json';
import type { Range } from '../types';
import type { McpServer, PackageRef, Transport } from './config';

export interface RegistryPackage {
  registryType: string;
  identifier: string;
  version?: string;
  transport?: string;
}

export interface RegistryRemote {
  type: string;
  url: string;
}

export interface RegistryEntry {
  name: string;
  /** Index in `servers` (-1 for a single server.json). */
  index: number;
  /** JSON path of the server object. */
  path: (string | number)[];
  range: Range;
  version?: string;
  description?: string;
  packages: RegistryPackage[];
  remotes: RegistryRemote[];
  /** `x-approvedTools`; undefined when the entry does not list any. */
  approvedTools?: string[];
}

export interface RegistryProblem {
  code: 'syntax' | 'schema' | 'duplicate' | 'range' | 'latest' | 'several' | 'snake-case';
  message: string;
  range: Range;
}

export interface Registry {
  /** Root-relative when in the workspace, else absolute. */
  file: string;
  inWorkspace: boolean;
  parsed: ParsedJson;
  entries: RegistryEntry[];
  problems: RegistryProblem[];
  /** `servers` array form (Amazon Q) vs a single server.json. */
  form: 'servers' | 'server.json';
  byPackage: Map<string, RegistryEntry[]>;
  byRemote: Map<string, RegistryEntry[]>;
}

export const APPROVED_TOOLS_KEY = 'x-approvedTools';

const RUNNER_OF: Record<string, PackageRef['runner']> = { npm: 'npx', pypi: 'uvx', oci: 'docker' };
const RANGE = /^(?:[\^~]|[<>]=?|=)|(?:^|\.)[xX*](?:\.|$)|\s-\s|\|\|/;
const SNAKE = [
  'registry_type',
  'registry_base_url',
  'runtime_hint',
  'package_arguments',
  'environment_variables',
  'is_required',
  'is_secret',
  'website_url',
];

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseRegistry(file: string, inWorkspace: boolean, text: string): Registry {
  const parsed = parseJson(text, { allowComments: false });
  const problems: RegistryProblem[] = [];
  const reg: Registry = {
    file,
    inWorkspace,
    parsed,
    entries: [],
    problems,
    form: 'servers',
    byPackage: new Map(),
    byRemote: new Map(),
  };
  for (const p of parsed.problems) {
    if (p.code === 'duplicate-key') continue;
    problems.push({ code: 'syntax', message: `${p.message}: the registry must be strict JSON`, range: p.range });
  }
  const root = parsed.value;
  if (!root || problems.length) return reg;
  const items: { v: unknown; path: (string | number)[]; index: number }[] = [];
  if (Array.isArray(root.servers)) {
    root.servers.forEach((item, i) => {
      if (isObj(item) && isObj(item.server)) items.push({ v: item.server, path: ['servers', i, 'server'], index: i });
      else if (isObj(item) && typeof item.name === 'string') items.push({ v: item, path: ['servers', i], index: i });
      else
        problems.push({
          code: 'schema',
          message: 'each entry of "servers" must be { "server": { … } }',
          range: rangeAt(parsed, ['servers', i]),
        });
    });
  } else if (typeof root.name === 'string') {
    reg.form = 'server.json';
    items.push({ v: root, path: [], index: -1 });
  } else {
    problems.push({
      code: 'schema',
      message: 'the registry needs a "servers" array (Amazon Q registry format) or must be one server.json',
      range: rangeAt(parsed, []),
    });
    return reg;
  }
  const names = new Map<string, RegistryEntry>();
  for (const { v, path, index } of items) {
    const e = entryOf(v as Record<string, unknown>, path, index, parsed, problems, reg.form === 'server.json');
    if (!e) continue;
    const prior = names.get(e.name);
    if (prior) {
      problems.push({
        code: 'duplicate',
        message: `duplicate server name "${e.name}" (also entry ${prior.index + 1}): names must be unique in the registry`,
        range: rangeAt(parsed, [...path, 'name']),
      });
      continue;
    }
    names.set(e.name, e);
    reg.entries.push(e);
    for (const p of e.packages) push(reg.byPackage, packageKey(p.registryType, p.identifier), e);
    for (const r of e.remotes) push(reg.byRemote, remoteKey(r.url), e);
  }
  return reg;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function entryOf(
  v: Record<string, unknown>,
  path: (string | number)[],
  index: number,
  parsed: ParsedJson,
  problems: RegistryProblem[],
  official: boolean,
): RegistryEntry | undefined {
  const at = (k: (string | number)[]) => rangeAt(parsed, [...path, ...k]);
  const bad = (code: RegistryProblem['code'], message: string, k: (string | number)[] = []): void => {
    problems.push({ code, message, range: at(k) });
  };
  const name = v.name;
  if (typeof name !== 'string' || name.length < 3 || name.length > 200) {
    bad('schema', '"name" is required: 3–200 characters', typeof name === 'string' ? ['name'] : []);
    return undefined;
  }
  const namePattern =
    official || typeof v.$schema === 'string'
      ? /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$|^[a-zA-Z0-9._-]+$/
      : /^[a-zA-Z0-9._-]+$/;
  if (!namePattern.test(name))
    bad('schema', `server name "${name.slice(0, 60)}" may only hold letters, digits, ".", "_" and "-"`, ['name']);
  if (typeof v.description !== 'string' || v.description.length < 1 || v.description.length > 100)
    bad(
      'schema',
      `"description" is required: 1–100 characters (server "${name}")`,
      isObj(v) && 'description' in v ? ['description'] : ['name'],
    );
  const version = typeof v.version === 'string' ? v.version : undefined;
  if (version === undefined)
    bad('schema', `"version" is required: the exact version the org approves (server "${name}")`, ['name']);
  else checkVersion(version, name, ['version'], bad);
  for (const k of SNAKE)
    if (k in v)
      bad('snake-case', `"${k}" is the old snake_case spelling: the schema uses camelCase since 2025-09-16`, [k]);
  const packages: RegistryPackage[] = [];
  const remotes: RegistryRemote[] = [];
  const pk = Array.isArray(v.packages) ? v.packages : [];
  const rm = Array.isArray(v.remotes) ? v.remotes : [];
  if (!official) {
    if (pk.length + rm.length === 0)
      bad('schema', `server "${name}" needs exactly one entry in "packages" or "remotes"`, ['name']);
    if (pk.length > 1 || rm.length > 1 || (pk.length && rm.length))
      bad(
        'several',
        `server "${name}" has ${pk.length} package(s) and ${rm.length} remote(s): the registry format allows exactly one`,
        pk.length > 1 ? ['packages', 1] : ['remotes'],
      );
  }
  pk.forEach((p, i) => {
    if (!isObj(p)) {
      bad('schema', 'a package must be an object', ['packages', i]);
      return;
    }
    for (const k of SNAKE)
      if (k in p)
        bad('snake-case', `"${k}" is the old snake_case spelling: the schema uses camelCase since 2025-09-16`, [
          'packages',
          i,
          k,
        ]);
    const rt = p.registryType;
    const id = p.identifier;
    if (typeof rt !== 'string' || !['npm', 'pypi', 'oci', 'nuget', 'mcpb'].includes(rt)) {
      bad('schema', '"registryType" must be npm, pypi, oci, nuget or mcpb', ['packages', i, 'registryType']);
      return;
    }
    if (typeof id !== 'string' || !id) {
      bad('schema', '"identifier" is required', ['packages', i]);
      return;
    }
    const pv = typeof p.version === 'string' ? p.version : undefined;
    if (pv !== undefined) checkVersion(pv, name, ['packages', i, 'version'], bad);
    const tr = isObj(p.transport) && typeof p.transport.type === 'string' ? p.transport.type : undefined;
    if (!tr) bad('schema', '"transport": { "type": "stdio" } is required', ['packages', i]);
    let ident = id;
    let ver = pv ?? version;
    if (rt === 'oci') {
      const colon = id.lastIndexOf(':');
      if (colon > id.lastIndexOf('/')) {
        ident = id.slice(0, colon);
        ver = id.slice(colon + 1);
      }
    }
    packages.push({
      registryType: rt,
      identifier: ident,
      ...(ver ? { version: ver } : {}),
      ...(tr ? { transport: tr } : {}),
    });
  });
  rm.forEach((r, i) => {
    if (!isObj(r) || typeof r.url !== 'string' || typeof r.type !== 'string') {
      bad('schema', 'a remote needs "type" (streamable-http or sse) and "url"', ['remotes', i]);
      return;
    }
    if (r.type !== 'streamable-http' && r.type !== 'sse')
      bad('schema', `remote type "${r.type}" must be streamable-http or sse`, ['remotes', i, 'type']);
    remotes.push({ type: r.type, url: r.url });
  });
  let approvedTools: string[] | undefined;
  const at_ = v[APPROVED_TOOLS_KEY];
  if (at_ !== undefined) {
    if (!Array.isArray(at_) || at_.some((t) => typeof t !== 'string' || !t))
      bad('schema', `"${APPROVED_TOOLS_KEY}" must be a list of tool names`, [APPROVED_TOOLS_KEY]);
    else approvedTools = at_ as string[];
  }
  return {
    name,
    index,
    path,
    range: rangeAt(parsed, [...path, 'name']),
    ...(version !== undefined ? { version } : {}),
    ...(typeof v.description === 'string' ? { description: v.description } : {}),
    packages,
    remotes,
    ...(approvedTools ? { approvedTools } : {}),
  };
}

function checkVersion(
  v: string,
  name: string,
  k: (string | number)[],
  bad: (c: RegistryProblem['code'], m: string, k: (string | number)[]) => void,
): void {
  if (v.length > 255) bad('schema', `"version" is longer than 255 characters (server "${name}")`, k);
  else if (v === 'latest')
    bad('latest', `"version": "latest" is not a version: pin the exact version the org approved (server "${name}")`, k);
  else if (RANGE.test(v.trim()))
    bad(
      'range',
      `"version": "${v.slice(0, 40)}" is a range: the registry pins one exact version (server "${name}")`,
      k,
    );
}

export function packageKey(registryType: string, identifier: string): string {
  return `${registryType}:${registryType === 'pypi' ? identifier.toLowerCase().replace(/[-_.]+/g, '-') : identifier}`;
}

/** A remote URL for comparison: lower-case scheme and host, no trailing slash, no query or fragment. */
export function remoteKey(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/i.exec(url.trim());
  if (!m) return url.trim();
  return `${m[1]!.toLowerCase()}://${m[2]!.toLowerCase()}${m[3]!.replace(/\/+$/, '')}`;
}

export interface Match {
  entry: RegistryEntry;
  package?: RegistryPackage;
  remote?: RegistryRemote;
  /** The runner differs from the one the registry type implies (an npm package run by uvx). */
  runnerMismatch?: string;
}

/** The registry entry of a configured server, by package identifier and runner or by remote URL. */
export function matchServer(reg: Registry, s: McpServer): Match | undefined {
  if (s.package) {
    const key = packageKey(s.package.registryType, s.package.identifier);
    const e = reg.byPackage.get(key)?.[0];
    if (e) {
      const p = e.packages.find((x) => packageKey(x.registryType, x.identifier) === key)!;
      return { entry: e, package: p };
    }
    // The same identifier under another registry type: a runner mismatch.
    for (const rt of ['npm', 'pypi', 'oci']) {
      const other = reg.byPackage.get(packageKey(rt, s.package.identifier))?.[0];
      if (other) {
        const p = other.packages.find((x) => x.identifier === s.package!.identifier);
        return { entry: other, ...(p ? { package: p } : {}), runnerMismatch: RUNNER_OF[rt] ?? rt };
      }
    }
    return undefined;
  }
  if (s.url) {
    const key = remoteKey(s.url);
    const e = reg.byRemote.get(key)?.[0];
    if (e) return { entry: e, remote: e.remotes.find((r) => remoteKey(r.url) === key)! };
    // Templated remotes (`https://mcp.example/{tenant}/mcp`): a variable matches one path segment or host label.
    for (const entry of reg.entries) {
      for (const r of entry.remotes) {
        if (!r.url.includes('{')) continue;
        const re = new RegExp(
          '^' +
            remoteKey(r.url)
              .split(/\{[^}]*\}/)
              .map(escape)
              .join('[^/.]+') +
            '$',
        );
        if (re.test(key)) return { entry, remote: r };
      }
    }
  }
  return undefined;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The registry's transport in our terms. */
export function registryTransport(m: Match): Transport | undefined {
  if (m.remote) return m.remote.type === 'sse' ? 'sse' : 'http';
  if (m.package)
    return m.package.transport === 'sse' ? 'sse' : m.package.transport === 'streamable-http' ? 'http' : 'stdio';
  return undefined;
}

export function runnerOf(registryType: string): string {
  return RUNNER_OF[registryType] ?? registryType;
}

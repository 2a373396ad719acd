// Fixes of the mcp rules: the registry change request (a proposal: the registry's ratifiers decide) and pinning a
// package to the registry's version. Both are format-preserving jsonc-parser edits.

import * as jsonc from 'jsonc-parser';
import { modifyEdits, wholeFileEdit } from '../permissions/report';
import type { Fix } from '../types';
import type { McpConfigFile, McpServer } from './config';
import type { Registry } from './registry';

/** The registry entry a server would need (Amazon Q registry format), or undefined for a local command. */
export function draftEntry(reg: Registry, s: McpServer): Record<string, unknown> | undefined {
  let base = s.name.replace(/[^a-zA-Z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'server';
  if (base.length < 3) base = `${base}-mcp`;
  base = base.slice(0, 190);
  let name = base;
  const taken = new Set(reg.entries.map((e) => e.name));
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  const description = `Requested for ${s.file} (server "${s.name.slice(0, 40)}")`.slice(0, 100);
  if (s.package) {
    const version = s.package.version ?? '0.0.0';
    return {
      name,
      description,
      version,
      packages: [
        {
          registryType: s.package.registryType,
          identifier: s.package.identifier,
          ...(s.package.version ? { version: s.package.version } : {}),
          transport: { type: 'stdio' },
        },
      ],
      'x-approvedTools': [],
    };
  }
  if (s.url && s.transport !== 'stdio' && s.transport !== 'ws') {
    return {
      name,
      description,
      version: '1.0.0',
      remotes: [{ type: s.transport === 'sse' ? 'sse' : 'streamable-http', url: s.url }],
      'x-approvedTools': [],
    };
  }
  return undefined;
}

/** "Request registry approval": add the server to the registry file, as a proposal for the registry's ratifiers. */
export function registryAddFix(reg: Registry, s: McpServer): Fix[] {
  if (!reg.inWorkspace || reg.form !== 'servers' || !reg.parsed.value || !Array.isArray(reg.parsed.value.servers))
    return [];
  const entry = draftEntry(reg, s);
  if (!entry) return [];
  const text = reg.parsed.text;
  const after = appendToServers(text, reg.parsed.value.servers.length, { server: entry });
  if (after === undefined) return [];
  return [
    {
      title: `Request registry approval for MCP server "${s.name}" (${reg.file})`,
      edits: [wholeFileEdit(reg.file, text, after)],
      kind: 'proposal',
      proposal: {
        route: 'registry',
        target: reg.file,
        json: { path: ['servers'], value: { server: entry }, arrayInsert: true },
      },
    },
  ];
}

/** Pin the package argument to the registry's version. */
export function pinFix(f: McpConfigFile, s: McpServer, version: string): Fix[] {
  const pkg = s.package;
  if (!pkg) return [];
  const spec =
    pkg.runner === 'npx'
      ? `${pkg.identifier}@${version}`
      : pkg.runner === 'uvx'
        ? `${pkg.identifier}==${version}`
        : `${pkg.identifier}${version.startsWith('sha256:') ? '@' : ':'}${version}`;
  const edits = modifyEdits(f.file, f.parsed.text, [...s.path, 'args', pkg.argIndex], spec);
  return edits?.length
    ? [{ title: `Pin ${pkg.identifier} to ${version} (the registry's version)`, edits, isPreferred: true }]
    : [];
}

/** The registry text with one more item at the end of `servers`. The new item is written after the last one, with
 * its indentation; nothing else in the file changes (jsonc's formatter would re-flow the file, and costs quadratic
 * time on a large one-line registry). */
function appendToServers(text: string, count: number, item: unknown): string | undefined {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const tree = jsonc.parseTree(text);
  const arr = tree && jsonc.findNodeAtLocation(tree, ['servers']);
  if (arr?.type !== 'array') return undefined;
  const last = arr.children?.[arr.children.length - 1];
  if (!last || count === 0) {
    try {
      const fmt: jsonc.FormattingOptions = { insertSpaces: true, tabSize: 2, eol };
      return jsonc.applyEdits(
        text,
        jsonc.modify(text, ['servers', 0], item, { formattingOptions: fmt, isArrayInsertion: true }),
      );
    } catch {
      return undefined;
    }
  }
  const lineStart = text.lastIndexOf('\n', last.offset - 1) + 1;
  const before = text.slice(lineStart, last.offset);
  const end = last.offset + last.length;
  if (!/^\s*$/.test(before) || lineStart === 0)
    return `${text.slice(0, end)}, ${JSON.stringify(item)}${text.slice(end)}`;
  const unit = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  const body = JSON.stringify(item, null, unit.startsWith('\t') ? '\t' : unit.length)
    .split('\n')
    .join(eol + before);
  return `${text.slice(0, end)},${eol}${before}${body}${text.slice(end)}`;
}

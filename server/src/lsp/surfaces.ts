// The surfaces' answers for the editor: owners of a file, a CODEOWNERS pattern's reach, owner completions. Each
// answer comes from a surface's query module; this module only adapts them (Markdown, ranges, URIs).

import { documentLinks as conventionLinks } from '../engine/conventions/query';
import type { Snapshot } from '../engine/host';
import { codeownersAnalysis } from '../engine/ownership/analysis';
import { ownerCompletions, ownersOf, patternInfo } from '../engine/ownership/query';
import { serverAt } from '../engine/mcp/query';
import { ruleStatusAt, TOOL_NAMES } from '../engine/permissions/query';
import { LineIndex } from '../engine/text';
import type { Position, Range } from '../engine/types';
import { code, md, type HoverPart } from './markdown';
import type { OwnersResult } from './protocol';
import { uriOf } from './toDiagnostic';
import type { Located } from './workspaces';

function ctx(at: Located) {
  const { session } = at.entry;
  return { session, snapshot: session.snapshot(), policy: session.currentPolicy(), cache: session.cache };
}

/** `flywheel/owners`: who owns the file and which CODEOWNERS line decides. */
export function ownersOfFile(at: Located | undefined): OwnersResult {
  if (!at)
    return { available: false, owners: [], message: 'This file is outside every workspace folder the server checks.' };
  const { session, snapshot, policy, cache } = ctx(at);
  const [r] = ownersOf(snapshot, cache, policy, [at.rel]);
  if (!r) return { available: false, path: at.rel, owners: [] };
  if (!r.codeowners)
    return {
      available: true,
      path: r.path,
      owners: [],
      message: `${r.path} has no owner: the workspace has no CODEOWNERS file.`,
    };
  const result: OwnersResult = { available: true, path: r.path, owners: r.owners };
  if (r.line !== null) {
    const line0 = r.line - 1;
    const text = snapshot.read(r.codeowners);
    const lineText = text.ok ? (text.text.split('\n')[line0] ?? '').replace(/\r$/, '') : (r.pattern ?? '');
    result.decidedBy = {
      uri: uriOf(session.root, r.codeowners)!,
      range: { start: { line: line0, character: 0 }, end: { line: line0, character: lineText.length } },
      text: lineText.trim(),
    };
  }
  return result;
}

/** Hover on any file: its owners and the deciding CODEOWNERS line. In the CODEOWNERS file: the pattern's reach. */
export function ownershipHover(at: Located, position: Position): HoverPart[] {
  const parts: HoverPart[] = [];
  const { session, snapshot, policy, cache } = ctx(at);
  const [r] = ownersOf(snapshot, cache, policy, [at.rel]);
  if (r?.codeowners) {
    if (r.symlinkTo !== undefined)
      parts.push({
        markdown: `${code(r.path)} is a symlink to ${code(r.symlinkTo)}: a change to its text is a change to that file, so the owners below are ${code(r.symlinkTo)}'s.`,
      });
    const codeownersUri = uriOf(session.root, r.codeowners)!;
    const link = (line: number) => `[line ${line}](${codeownersUri}#L${line})`;
    if (r.line === null) {
      parts.push({
        markdown: `**Owners:** none — no line of ${code(r.codeowners)} matches ${code(r.path)}, so nobody is asked to review changes to it.`,
      });
    } else {
      const owners = r.owners.length ? r.owners.map((o) => `${code(o)}`).join(', ') : 'none (the line un-owns it)';
      let text = `**Owners:** ${owners}\n\nDecided by ${code(r.pattern ?? '')} on ${link(r.line)} of ${code(r.codeowners)}`;
      if (r.section) text += ` (section ${code(r.section)})`;
      if (r.overridden.length) text += `; it overrides ${r.overridden.map(link).join(', ')}`;
      parts.push({ markdown: text + '.' });
    }
  }
  if (r?.codeowners === at.rel) {
    const info = patternInfo(snapshot, cache, policy, position.line);
    if (info) {
      const examples = info.examples.length
        ? `\n\nFor example: ${info.examples.map((e) => `${code(e)}`).join(', ')}`
        : '';
      const wins =
        info.matches === info.wins ? '' : `, and decides the owners of ${info.wins} (later lines override the rest)`;
      parts.unshift({
        markdown: `**Pattern** ${code(info.pattern)} matches ${info.matches} file${info.matches === 1 ? '' : 's'}${wins}.${examples}`,
      });
    }
  }
  return parts;
}

/** Document links of CODEOWNERS patterns that name a file or folder: to the file, or the folder's first file. */
export function codeownersLinks(at: Located): { range: HoverPart['range']; target: string; tooltip: string }[] {
  const { session, snapshot, policy, cache } = ctx(at);
  const a = codeownersAnalysis(snapshot, cache, policy);
  if (a.choice.path !== at.rel) return [];
  const out: { range: HoverPart['range']; target: string; tooltip: string }[] = [];
  for (const rule of a.parsed.rules) {
    const text = rule.pattern.text;
    if (/[*?[\]\\!]/.test(text)) continue;
    const p = text.replace(/^\/+/, '').replace(/\/+$/, '');
    if (!p) continue;
    const target = snapshot.fileSet.has(p) ? p : firstUnder(snapshot, p + '/');
    if (!target) continue;
    out.push({
      range: rule.pattern.range,
      target: uriOf(session.root, target)!,
      tooltip: target === p ? `Open ${p}` : `Open ${target} (the first file under ${p}/)`,
    });
  }
  return out;
}

function firstUnder(snapshot: Snapshot, prefix: string): string | undefined {
  const files = snapshot.files;
  let lo = 0;
  let hi = files.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (files[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const f = files[lo];
  return f !== undefined && f.startsWith(prefix) ? f : undefined;
}

/** Owners known to the policy, for completion in CODEOWNERS. */
export function knownOwners(at: Located): string[] {
  return ownerCompletions(at.entry.session.currentPolicy());
}

/** Hover on a permission rule in a Claude settings file: live, dead or overridden, and by what. */
export function permissionHover(at: Located, text: string, position: Position): HoverPart | undefined {
  const { session, snapshot, policy, cache } = ctx(at);
  const lines = new LineIndex(text);
  const status = ruleStatusAt(snapshot, cache, policy, at.rel, lines.offsetAt(position));
  if (!status) return undefined;
  const verdict = { live: '**live**', dead: '**dead**: it never takes effect', overridden: '**overridden**' }[
    status.status
  ];
  let md_ = `**Permission rule** ${code(status.rule)} — \`${status.list}\` in the ${status.scope} scope: ${verdict}.`;
  if (status.reason) md_ += `\n\n${md(status.reason)}`;
  if (status.by) {
    const uri = uriOf(session.root, status.by.file);
    const where = uri
      ? `[${md(status.by.file)}:${status.by.line}](${uri}#L${status.by.line})`
      : `${md(status.by.file)}:${status.by.line}`;
    md_ += `\n\n${status.status === 'live' ? 'See' : 'Decided by'} ${code(status.by.rule)} in ${where} (${status.by.scope} scope).`;
  }
  return { markdown: md_ };
}

/** Permission-rule tool names, for completion inside `permissions.allow|ask|deny` strings. */
export const toolNames: readonly { name: string; description: string; example: string }[] = TOOL_NAMES;

/** Document links of a convention file: `@imports` and local Markdown links. */
export function conventionDocumentLinks(at: Located): { range: Range; target: string; tooltip?: string }[] {
  const { session, snapshot, cache } = ctx(at);
  const out: { range: Range; target: string; tooltip?: string }[] = [];
  for (const l of conventionLinks(snapshot, cache, at.rel)) {
    const uri = uriOf(session.root, l.target);
    if (uri) out.push({ range: l.range, target: uri, ...(l.tooltip ? { tooltip: l.tooltip } : {}) });
  }
  return out;
}

/** Hover on a server name in an MCP config: its registry entry (version, package or remote, approved tools). */
/** Plain text whose backtick-quoted parts are code spans. */
function spans(text: string): string {
  return text
    .split('`')
    .map((p, i) => (i % 2 ? code(p) : md(p)))
    .join('');
}

export function mcpServerHover(at: Located, position: Position): HoverPart | undefined {
  const { snapshot, policy, cache } = ctx(at);
  const info = serverAt(snapshot, cache, policy, at.rel, position);
  if (!info) return undefined;
  const s = info.server;
  const runs = s.package
    ? `${s.package.registryType} package ${code(s.package.identifier)}${s.package.version ? ` at ${code(s.package.version)}` : ' (unpinned)'}, run by ${code(s.package.runner)}`
    : s.url
      ? `remote ${code(s.url)} (${s.transport})`
      : `local command ${code(s.command ?? '')}`;
  let text = `**MCP server** ${code(s.name)}: ${runs}.`;
  if (info.claude) {
    const verb = { starts: 'starts it', asks: 'asks before starting it', never: 'never starts it' }[info.claude.start];
    text += `\n\n**Claude Code ${verb}**: ${spans(info.claude.why)}.`;
  }
  if (!info.registry)
    return { markdown: text + '\n\nThe policy names no org MCP registry (`mcp.registry`).', range: s.nameRange };
  if (info.registryProblem)
    return {
      markdown: `${text}\n\nThe registry ${code(info.registry)} cannot be read: ${md(info.registryProblem)}`,
      range: s.nameRange,
    };
  const m = info.match;
  if (!m)
    return {
      markdown: `${text}\n\n**Not in the org registry** ${code(info.registry)}: matched by package and runner or by remote URL, never by name.`,
      range: s.nameRange,
    };
  const e = m.entry;
  text += `\n\n**Registry entry** ${code(e.name)} in ${code(info.registry)}`;
  if (e.description) text += ` — ${md(e.description)}`;
  const version = m.package?.version ?? e.version;
  if (version) text += `\n\n- version: ${code(version)}`;
  if (m.package) text += `\n- package: ${m.package.registryType} ${code(m.package.identifier)}`;
  if (m.remote) text += `\n- remote: ${m.remote.type} ${code(m.remote.url)}`;
  text += `\n- approved tools: ${e.approvedTools?.length ? e.approvedTools.map((t) => code(t)).join(', ') : 'none by name'}`;
  return { markdown: text, range: s.nameRange };
}

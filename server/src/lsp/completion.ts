// Completion: owners (from the policy's known owners) after a pattern in CODEOWNERS, and permission-rule tool names
// inside `permissions.allow|ask|deny` strings of Claude settings files. Editor plumbing only: where the cursor is;
// the candidates come from the surfaces.

import * as jsonc from 'jsonc-parser';
import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver';
import { classify } from '../engine/kinds';
import { LineIndex } from '../engine/text';
import type { Position } from '../engine/types';
import { knownOwners, toolNames } from './surfaces';
import type { Located } from './workspaces';

const SETTINGS_KINDS = new Set(['claude-settings', 'claude-settings-local', 'claude-managed-settings']);

export function completionsAt(at: Located | undefined, text: string, position: Position): CompletionItem[] {
  if (!at) return [];
  const kind = classify(at.rel);
  try {
    if (kind === 'codeowners') return ownerItems(at, text, position);
    if (kind && SETTINGS_KINDS.has(kind)) return toolItems(text, position);
  } catch (err) {
    console.error(`Completion failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
  return [];
}

/** On a CODEOWNERS rule line, after the pattern: the owners the policy knows, replacing the word being typed. */
function ownerItems(at: Located, text: string, position: Position): CompletionItem[] {
  const lines = new LineIndex(text);
  if (position.line >= lines.lineCount) return [];
  const line = lines.lineText(position.line);
  const before = line.slice(0, position.character);
  if (/^\s*(#|\[|\^\[)/.test(line)) return []; // a comment or a GitLab section header
  const m = /^(\s*\S+\s+)(?:\S+\s+)*(\S*)$/.exec(before);
  if (!m) return []; // still typing the pattern
  const word = m[2]!;
  if (word.includes('#')) return [];
  const start = position.character - word.length;
  const present = new Set(line.split(/\s+/).map((t) => t.toLowerCase()));
  return knownOwners(at)
    .filter((o) => !present.has(o.toLowerCase()) || o.toLowerCase() === word.toLowerCase())
    .map((o, i) => ({
      label: o,
      kind: o.includes('/') ? CompletionItemKind.Module : CompletionItemKind.Reference,
      detail: 'an owner the policy knows',
      sortText: String(i).padStart(5, '0'),
      textEdit: { range: { start: { line: position.line, character: start }, end: position }, newText: o },
    }));
}

/** Inside a string of `permissions.allow|ask|deny`: the tool names a rule starts with. */
function toolItems(text: string, position: Position): CompletionItem[] {
  const lines = new LineIndex(text);
  const offset = lines.offsetAt(position);
  const loc = jsonc.getLocation(text, offset);
  const p = loc.path;
  if (
    loc.isAtPropertyKey ||
    p.length !== 3 ||
    p[0] !== 'permissions' ||
    !['allow', 'ask', 'deny'].includes(String(p[1]))
  )
    return [];
  const node = loc.previousNode;
  const inString = node?.type === 'string' && offset > node.offset && offset <= node.offset + node.length;
  const start = inString ? lines.positionAt(node.offset + 1) : position;
  const typed = inString ? text.slice(node.offset + 1, offset) : '';
  if (typed.includes('(')) return []; // past the tool name: the specifier is free text
  return toolNames.map((t, i) => {
    const takesSpecifier = t.example.includes('(');
    const body = takesSpecifier ? `${t.name}(\${1})` : t.name;
    return {
      label: t.name,
      kind: CompletionItemKind.Function,
      detail: `e.g. ${t.example}`,
      documentation: { kind: 'markdown', value: t.description },
      sortText: String(i).padStart(5, '0'),
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range: { start, end: position }, newText: inString ? body : `"${body}"` },
    };
  });
}

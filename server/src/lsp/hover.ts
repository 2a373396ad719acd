// Hover: a rule id anywhere links to its doc page; the surfaces add their own answers (owners of any file and the
// deciding CODEOWNERS line; a CODEOWNERS pattern's reach; a permission rule's status). The answers come from the
// surfaces' query modules; this module only turns them into Markdown.

import type { Hover, MarkupContent } from 'vscode-languageserver';
import { ruleById } from '../engine/index';
import { classify } from '../engine/kinds';
import { docsUrl } from '../engine/rule';
import type { Position } from '../engine/types';
import type { HoverPart } from './markdown';
import { ruleIdAt } from './ruleIds';
import { mcpServerHover, ownershipHover, permissionHover } from './surfaces';
import type { Located } from './workspaces';

/** One section per part, separated by rules; the first part's range (if any) is the hover's. */
export function joinHover(parts: readonly (HoverPart | undefined)[]): Hover | null {
  const present = parts.filter((p): p is HoverPart => !!p && p.markdown.trim() !== '');
  if (!present.length) return null;
  const contents: MarkupContent = { kind: 'markdown', value: present.map((p) => p.markdown).join('\n\n---\n\n') };
  const range = present.find((p) => p.range)?.range;
  return range ? { contents, range } : { contents };
}

/** The hover of a rule id under the position: what the rule checks and a link to its doc page. */
export function ruleIdHover(text: string, line: number, character: number): HoverPart | undefined {
  const at = ruleIdAt(text, line, character);
  if (!at) return undefined;
  const rule = ruleById(at.id)!;
  return {
    markdown: `**${at.id}** (${rule.meta.surface}, default ${rule.meta.defaultSeverity})\n\n${rule.meta.description}.\n\n[Rule documentation](${docsUrl(at.id)})`,
    range: at.range,
  };
}

/** The hover at a position of an open document. */
export function hoverAt(at: Located | undefined, text: string, position: Position): Hover | null {
  const parts: (HoverPart | undefined)[] = [ruleIdHover(text, position.line, position.character)];
  if (at) parts.push(...surfaceHovers(at, text, position));
  return joinHover(parts);
}

/** The surfaces' answers for a position. A surface that fails answers nothing (and the others still do). */
function surfaceHovers(at: Located, text: string, position: Position): (HoverPart | undefined)[] {
  const parts: (HoverPart | undefined)[] = [];
  const attempt = (name: string, f: () => (HoverPart | undefined)[]) => {
    try {
      parts.push(...f());
    } catch (err) {
      console.error(`Hover (${name}) failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  };
  attempt('ownership', () => ownershipHover(at, position));
  const kind = classify(at.rel);
  if (kind === 'claude-settings' || kind === 'claude-settings-local' || kind === 'claude-managed-settings') {
    attempt('permissions', () => [permissionHover(at, text, position)]);
  }
  if (
    kind === 'mcp-json' ||
    kind === 'vscode-mcp-json' ||
    kind === 'cursor-mcp-json' ||
    kind === 'amazonq-mcp-json' ||
    kind === 'gemini-settings'
  ) {
    attempt('mcp', () => [mcpServerHover(at, position)]);
  }
  return parts;
}

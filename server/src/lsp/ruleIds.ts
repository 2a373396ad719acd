// Rule ids written in files (suppression comments, the policy's `rules` keys): where they are, for the hover and
// the document link to their doc page. Editor plumbing only: which ids exist comes from the registry.

import { ruleById } from '../engine/index';
import { LineIndex } from '../engine/text';
import type { Range } from '../engine/types';

const RULE_ID = /\b[a-z][a-z0-9]*\/[a-z0-9]+(?:-[a-z0-9]+)*\b/g;

export interface RuleIdAt {
  id: string;
  range: Range;
}

/** Every registered rule id in a text, with its range. Long files are scanned only where an id can appear. */
export function ruleIdsIn(text: string, lines: LineIndex = new LineIndex(text)): RuleIdAt[] {
  const out: RuleIdAt[] = [];
  if (!text.includes('/')) return out;
  for (const m of text.matchAll(RULE_ID)) {
    if (!ruleById(m[0])) continue;
    const before = m.index > 0 ? text[m.index - 1] : '';
    if (before === '/' || before === '.' || before === '@') continue; // a path or a team (@org/team), not an id
    out.push({ id: m[0], range: lines.range(m.index, m.index + m[0].length) });
  }
  return out;
}

/** The registered rule id under a position, if any. */
export function ruleIdAt(text: string, line: number, character: number): RuleIdAt | undefined {
  const lines = new LineIndex(text);
  if (line >= lines.lineCount) return undefined;
  const lineText = lines.lineText(line);
  for (const m of lineText.matchAll(RULE_ID)) {
    if (character < m.index || character > m.index + m[0].length) continue;
    if (!ruleById(m[0])) return undefined;
    return {
      id: m[0],
      range: { start: { line, character: m.index }, end: { line, character: m.index + m[0].length } },
    };
  }
  return undefined;
}

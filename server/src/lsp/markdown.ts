// Markdown pieces shared by the hover answers (hover.ts joins them; surfaces.ts writes the surfaces' own).

import type { Range } from '../engine/types';

/** One section of a hover; the first part's range (if any) is the hover's. */
export interface HoverPart {
  markdown: string;
  range?: Range;
}

/** A Markdown code span holding `text` as it is (backslash escapes do not work inside code spans). */
export function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Markdown-escape a value shown inside hover text (not inside a code span: use `code`). */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]<>()#+!|]/g, (c) => '\\' + c);
}

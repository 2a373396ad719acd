// Section templates for quick fixes, from snippets/convention-sections.json (VS Code snippet format: prefix, body,
// description). The same file is contributed to VS Code as Markdown snippets.

import snippetsJson from '../../../../snippets/convention-sections.json';

interface Snippet {
  prefix: string;
  body: string[] | string;
  description?: string;
}

const SNIPPETS = snippetsJson as Record<string, Snippet>;

/** Snippet syntax to plain text: `${1:default}` → default, `${1|a,b|}` → a, `$1`/`$0` → '' (escaped `\$` kept). */
export function snippetToText(body: string): string {
  let s = body;
  for (let i = 0; i < 4; i++) s = s.replace(/\$\{\d+:([^{}]*)\}/g, '$1');
  return s
    .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1')
    .replace(/\$\{\d+\}/g, '')
    .replace(/(^|[^\\])\$\d+/g, '$1')
    .replace(/\\\$/g, '$');
}

/** The lines of a section for `heading`: the snippet whose name matches (case-insensitive), else a bare heading. */
export function sectionLines(heading: string, level = 2): string[] {
  const key = Object.keys(SNIPPETS).find((k) => k.toLowerCase() === heading.toLowerCase());
  if (key) {
    const body = SNIPPETS[key]!.body;
    return snippetToText(Array.isArray(body) ? body.join('\n') : body).split('\n');
  }
  return [`${'#'.repeat(level)} ${heading}`, '', `<!-- What agents must know about ${heading.toLowerCase()}. -->`];
}

export function allSnippets(): Record<string, Snippet> {
  return SNIPPETS;
}

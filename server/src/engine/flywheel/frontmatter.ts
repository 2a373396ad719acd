// Markdown records with YAML frontmatter (signals and proposals): parse without throwing, render deterministically.

import { parseDocument, stringify } from 'yaml';

export type Parsed =
  | { ok: true; data: Record<string, unknown>; body: string; bodyLine: number }
  | { ok: false; message: string; line: number };

const FM_RE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/** The frontmatter object and the body after it; never throws. `line` is 1-based. */
export function parseFrontmatter(text: string): Parsed {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const m = FM_RE.exec(t);
  if (!m) return { ok: false, message: 'no YAML frontmatter (the file must start with a `---` line and close it)', line: 1 };
  const doc = parseDocument(m[1]!, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const line = (e.linePos?.[0]?.line ?? 1) + 1;
    return { ok: false, message: `invalid YAML frontmatter: ${e.message.split('\n')[0]}`, line };
  }
  let v: unknown;
  try {
    v = doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    return { ok: false, message: `invalid YAML frontmatter: ${(err as Error).message}`, line: 2 };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { ok: false, message: 'the frontmatter is not a YAML mapping', line: 2 };
  const body = t.slice(m[0].length);
  const bodyLine = m[0].split('\n').length;
  return { ok: true, data: v as Record<string, unknown>, body, bodyLine };
}

/** `---\n<yaml>---\n<body>`, keys in the given order, undefined values left out. */
export function renderFrontmatter(data: Record<string, unknown>, body: string): string {
  const clean: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (v !== undefined) clean[k] = v;
  const yaml = stringify(clean, { lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' });
  return `---\n${yaml}---\n${body}`;
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  return undefined;
}

export function strList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(str).filter((x): x is string => x !== undefined);
  const s = str(v);
  return s === undefined ? [] : [s];
}

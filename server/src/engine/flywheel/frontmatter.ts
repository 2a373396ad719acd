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
  const fast = simpleYaml(m[1]!);
  if (fast) return { ok: true, data: fast, body: t.slice(m[0].length), bodyLine: m[0].split('\n').length };
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

const KEY_RE = /^([A-Za-z_][\w-]*|[\w./@-]+):(?: (.*))?$/;
const ITEM_RE = /^ {2}- (.*)$/;
const SUB_RE = /^ {2}([\w./@-]+): (.*)$/;

/** A plain or quoted YAML scalar that is a string for certain, else undefined (then the YAML library decides). */
function scalar(v: string): string | undefined {
  if (v.startsWith('"')) {
    if (!/^"(?:[^"\\]|\\["\\/bfnrt])*"$/.test(v)) return undefined;
    try {
      return JSON.parse(v) as string;
    } catch {
      return undefined;
    }
  }
  if (v.startsWith("'")) return /^'(?:[^']|'')*'$/.test(v) ? v.slice(1, -1).replace(/''/g, "'") : undefined;
  if (!v || /^[-?:,[\]{}#&*!|>%@`]|: | #|:$|\s$/.test(v)) return undefined;
  // Anything YAML might read as another type (numbers, booleans, null) goes to the library.
  if (/^(?:true|false|null|~|yes|no|on|off|y|n)$/i.test(v)) return undefined;
  if (/^[-+]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d+)(?:[eE][-+]?\d+)?$|^0[xob]|^[-+]?\.(?:inf|nan)$/i.test(v)) return undefined;
  if (/^\d+(?::[0-5]?\d)+(?:\.\d*)?$/.test(v)) return undefined;
  return v;
}

/**
 * The block-style subset the flywheel writes (`key: scalar`, `key:` + `  - scalar` items, `key:` + `  sub: scalar`),
 * parsed without the YAML library — thousands of records are read on every check. Undefined for anything else
 * (flow style, anchors, multi-line scalars, comments, numbers…): the library parses those.
 */
export function simpleYaml(src: string): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  const lines = src.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const m = KEY_RE.exec(line);
    if (!m || m[1]! in out) return undefined;
    const key = m[1]!;
    if (m[2] !== undefined) {
      const v = scalar(m[2]);
      if (v === undefined) return undefined;
      out[key] = v;
      continue;
    }
    const next = lines[i + 1] ?? '';
    if (ITEM_RE.test(next)) {
      const list: string[] = [];
      while (i + 1 < lines.length && ITEM_RE.test(lines[i + 1]!)) {
        const v = scalar(ITEM_RE.exec(lines[++i]!)![1]!);
        if (v === undefined) return undefined;
        list.push(v);
      }
      out[key] = list;
    } else if (SUB_RE.test(next)) {
      const map: Record<string, string> = {};
      while (i + 1 < lines.length && SUB_RE.test(lines[i + 1]!)) {
        const sm = SUB_RE.exec(lines[++i]!)!;
        const v = scalar(sm[2]!);
        if (v === undefined || sm[1]! in map) return undefined;
        map[sm[1]!] = v;
      }
      out[key] = map;
    } else return undefined;
  }
  return out;
}

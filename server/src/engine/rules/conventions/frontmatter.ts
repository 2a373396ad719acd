// conventions/frontmatter: the YAML frontmatter of scoped rule files — Cursor `.mdc` (description, globs,
// alwaysApply), Copilot `.instructions.md` (applyTo, excludeAgent), Claude `.claude/rules/*.md` (paths) — has a
// YAML error, a wrong type, or never closes. Values that strict YAML rejects but the agent's lenient loader reads
// as text (unquoted `globs: **/*`, a `: ` inside a description) are warnings with a quick fix that quotes them,
// so every YAML tool reads them the same way.

import { isAlias, isMap, isScalar, isSeq, visit, type Node, type Pair } from 'yaml';
import type { Rule } from '../../rule';
import { parseConvention, type ParsedConvention } from '../../conventions/parse';
import { rangeOf } from '../../conventions/report';
import { conventionFiles } from '../../conventions/text';
import type { FileKind } from '../../types';

type Expect = 'string' | 'boolean' | 'globs' | 'stringOrList';
const KEYS: Partial<Record<FileKind, Record<string, Expect>>> = {
  'cursor-mdc': { description: 'string', globs: 'globs', alwaysApply: 'boolean' },
  'copilot-scoped-instructions': { applyTo: 'string', excludeAgent: 'string', description: 'string', name: 'string' },
  'claude-rules': { paths: 'stringOrList', description: 'string' },
};
/** Keys other tools use for the same idea, or common misspellings: a likely mistake in this kind. */
const NEAR: Partial<Record<FileKind, Record<string, string>>> = {
  'cursor-mdc': {
    glob: 'globs',
    applyTo: 'globs',
    paths: 'globs',
    alwaysapply: 'alwaysApply',
    always_apply: 'alwaysApply',
    'always-apply': 'alwaysApply',
    alwaysApplied: 'alwaysApply',
  },
  'copilot-scoped-instructions': {
    applyto: 'applyTo',
    apply_to: 'applyTo',
    globs: 'applyTo',
    paths: 'applyTo',
    glob: 'applyTo',
  },
  'claude-rules': { path: 'paths', globs: 'paths', applyTo: 'paths', glob: 'paths' },
};

function typeName(v: unknown): string {
  return v === null ? 'empty' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
}

export const rule: Rule = {
  meta: {
    id: 'conventions/frontmatter',
    surface: 'conventions',
    defaultSeverity: 'error',
    description:
      'The frontmatter of a .mdc, .instructions.md or .claude/rules file is not valid YAML, has a wrong type, or never closes',
    fixable: true,
    messages: {
      yaml: 'The frontmatter is not valid YAML: {error}. The agent may ignore all of it (and with it the scope of this rule); fix the syntax.',
      lenient:
        '`{key}: {value}` is not valid YAML ({reason}); {agent} reads it as text, but strict YAML tools (and future loaders) do not. Quote the value.',
      unclosed:
        'The frontmatter opened on line 1 never closes with `---`, so the whole file is read as frontmatter or as text and its settings do not apply. Add the closing `---` line.',
      type: '`{key}` must be {expected}, not {actual}{note}. The agent ignores a value of the wrong type; fix it.',
      stringBoolean:
        '`alwaysApply` must be a YAML boolean (`true`/`false`); the string {value} is treated as not always applied. Remove the quotes.',
      notMap: 'The frontmatter must be a set of `key: value` lines; this is {actual}, so the agent ignores it.',
      unknownKey: '`{key}` is not read by {agent}; did you mean `{expected}`? As written, the setting has no effect.',
      missingApplyTo:
        'This instructions file has no `applyTo`, so Copilot never attaches it on its own (only when a user adds it by hand). Add `applyTo: "<glob>"` (e.g. `"**"` for every file).',
      badValue: '`{key}` must be one of {allowed}; "{value}" has no effect.',
    },
    dependsOn: ['cursor-mdc', 'copilot-scoped-instructions', 'claude-rules'],
  },
  check(ctx) {
    for (const g of conventionFiles(ctx.snapshot)) {
      const keys = KEYS[g.kind];
      if (!keys) continue;
      const p = parseConvention(ctx.snapshot, ctx.cache, g.path);
      if (!p) continue;
      const agent = g.kind === 'cursor-mdc' ? 'Cursor' : g.kind === 'claude-rules' ? 'Claude Code' : 'Copilot';
      if (p.unclosedFrontmatter) {
        ctx.report({ messageId: 'unclosed', file: g.path, range: rangeOf(p, p.unclosedFrontmatter) });
        continue;
      }
      const fm = p.frontmatter;
      if (!fm) {
        if (g.kind === 'copilot-scoped-instructions')
          ctx.report({ messageId: 'missingApplyTo', file: g.path, range: p.lines.lineRange(0), severity: 'warning' });
        continue;
      }
      const base = fm.yaml.start;
      const yamlText = p.text.slice(fm.yaml.start, fm.yaml.end);
      const lenientLines = new Set<number>();
      checkLenient(ctx, p, g.path, base, yamlText, agent, lenientLines);
      // One YAML error per line: the parser often reports a bad line several times (an unclosed flow sequence is
      // "must be sufficiently indented" and "missing ]"); the first says it.
      const errorLines = new Set<number>();
      for (const err of fm.doc.errors.slice(0, 10)) {
        const line = p.lines.positionAt(base + err.pos[0]).line;
        if (lenientLines.has(line) || errorLines.has(line)) continue;
        errorLines.add(line);
        ctx.report({
          messageId: 'yaml',
          data: { error: err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '') },
          file: g.path,
          range: p.lines.range(base + err.pos[0], base + Math.max(err.pos[1], err.pos[0] + 1)),
        });
      }
      const contents = fm.doc.contents;
      if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ''))) {
        if (g.kind === 'copilot-scoped-instructions')
          ctx.report({ messageId: 'missingApplyTo', file: g.path, range: rangeOf(p, fm.block), severity: 'warning' });
        continue;
      }
      if (!isMap(contents)) {
        if (!fm.doc.errors.length)
          ctx.report({
            messageId: 'notMap',
            data: { actual: isSeq(contents) ? 'a list' : 'a single value' },
            file: g.path,
            range: rangeOf(p, fm.block),
          });
        continue;
      }
      let hasApplyTo = false;
      for (const item of contents.items as Pair<Node, Node | null>[]) {
        if (!isScalar(item.key)) continue;
        const key = String(item.key.value);
        const keyRange = item.key.range
          ? p.lines.range(base + item.key.range[0], base + item.key.range[1])
          : rangeOf(p, fm.block);
        const v = item.value;
        const vRange = v?.range ? p.lines.range(base + v.range[0], base + v.range[1]) : keyRange;
        if (key === 'applyTo') hasApplyTo = true;
        const expect = keys[key];
        if (!expect) {
          const near = NEAR[g.kind]?.[key];
          if (near)
            ctx.report({
              messageId: 'unknownKey',
              data: { key, agent, expected: near },
              file: g.path,
              range: keyRange,
              severity: 'warning',
            });
          continue;
        }
        if (isAlias(v) || lenientLines.has(keyRange.start.line)) continue; // lenient, reported above
        if (fm.doc.errors.length) continue; // a syntax error first: what the value is, is anyone's guess
        const js = v == null ? null : (v.toJSON() as unknown);
        if (js === null) continue; // an empty value (`globs:`) is "not set"
        let ok = true;
        let note = '';
        switch (expect) {
          case 'string':
            ok = typeof js === 'string';
            break;
          case 'boolean':
            if (typeof js === 'string' && /^(true|false)$/i.test(js)) {
              ctx.report({
                messageId: 'stringBoolean',
                data: { value: JSON.stringify(js) },
                file: g.path,
                range: vRange,
                fixes: [
                  {
                    title: `Use the boolean ${js.toLowerCase()}`,
                    isPreferred: true,
                    edits: [{ file: g.path, range: vRange, newText: js.toLowerCase() }],
                  },
                ],
              });
              continue;
            }
            ok = typeof js === 'boolean';
            break;
          case 'globs':
          case 'stringOrList':
            ok = typeof js === 'string' || (Array.isArray(js) && js.every((x) => typeof x === 'string'));
            if (!ok && Array.isArray(js)) note = ' (every entry must be a string)';
            break;
        }
        if (!ok) {
          const expected =
            expect === 'boolean' ? 'true or false' : expect === 'string' ? 'a string' : 'a string or a list of strings';
          ctx.report({
            messageId: 'type',
            data: { key, expected, actual: typeName(js), note },
            file: g.path,
            range: vRange,
          });
          continue;
        }
        if (key === 'excludeAgent' && typeof js === 'string' && !['code-review', 'coding-agent'].includes(js)) {
          ctx.report({
            messageId: 'badValue',
            data: { key, allowed: '"code-review", "coding-agent"', value: js },
            file: g.path,
            range: vRange,
          });
        }
      }
      if (g.kind === 'copilot-scoped-instructions' && !hasApplyTo) {
        ctx.report({ messageId: 'missingApplyTo', file: g.path, range: rangeOf(p, fm.block), severity: 'warning' });
      }
    }
  },
};

/** Values a lenient `key: rest of line` loader reads as text but strict YAML rejects or misreads. */
function checkLenient(
  ctx: Parameters<Rule['check']>[0],
  p: ParsedConvention,
  file: string,
  base: number,
  yamlText: string,
  agent: string,
  lenientLines: Set<number>,
): void {
  const fm = p.frontmatter!;
  const anchors = new Set<string>();
  visit(fm.doc, {
    Node(_k, n) {
      const a = (n as { anchor?: string }).anchor;
      if (a) anchors.add(a);
    },
  });
  const report = (key: string, valueStart: number, valueEnd: number, reason: string) => {
    const raw = yamlText.slice(valueStart, valueEnd);
    const range = p.lines.range(base + valueStart, base + valueEnd);
    lenientLines.add(range.start.line);
    ctx.report({
      messageId: 'lenient',
      data: { key, value: raw, reason, agent },
      file,
      range,
      severity: 'warning',
      fixes: [
        { title: `Quote the ${key} value`, isPreferred: true, edits: [{ file, range, newText: JSON.stringify(raw) }] },
      ],
    });
  };
  // Unresolved aliases: `globs: **/*`, `applyTo: *.py` (a leading `*` is an alias in YAML).
  if (isMap(fm.doc.contents)) {
    for (const item of fm.doc.contents.items) {
      const v = item.value;
      if (isAlias(v) && v.range && !anchors.has(v.source) && isScalar(item.key)) {
        const lineEnd = yamlText.indexOf('\n', v.range[0]);
        const end = (lineEnd === -1 ? yamlText.length : lineEnd) - (yamlText[lineEnd - 1] === '\r' ? 1 : 0);
        const valueEnd = yamlText.slice(v.range[0], end).trimEnd().length + v.range[0];
        report(String(item.key.value), v.range[0], valueEnd, 'a leading `*` starts a YAML alias');
      }
    }
  }
  // Top-level `key: value` lines where strict YAML fails inside the value (`description: Use X: always`).
  for (const err of fm.doc.errors) {
    const at = err.pos[0];
    const ls = yamlText.lastIndexOf('\n', at - 1) + 1;
    let le = yamlText.indexOf('\n', ls);
    if (le === -1) le = yamlText.length;
    const line = yamlText.slice(ls, le).replace(/\r$/, '');
    const m = /^([A-Za-z_][\w-]*):[ \t]+(\S.*?)\s*$/.exec(line);
    if (!m || /^["'[{|>]/.test(m[2]!)) continue;
    const valueStart = ls + line.indexOf(m[2]!, m[1]!.length + 1);
    const range = p.lines.range(base + valueStart, base + valueStart + m[2]!.length);
    if (lenientLines.has(range.start.line)) continue;
    report(
      m[1]!,
      valueStart,
      valueStart + m[2]!.length,
      err.code === 'BLOCK_AS_IMPLICIT_KEY' || /:/.test(m[2]!)
        ? 'a `: ` inside a plain value starts a mapping'
        : err.code,
    );
  }
}

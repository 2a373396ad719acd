// Shared helpers of the permissions rules: related locations, JSON edits that keep formatting, the move fix.

import * as jsonc from 'jsonc-parser';
import type { Fix, FileEdit, RelatedLocation } from '../types';
import type { PermRule } from './effective';
import type { SettingsFile } from './settings';

export const FORMAT: jsonc.FormattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };

function formatOf(text: string): jsonc.FormattingOptions {
  const m = text.match(/\n([ \t]+)"/);
  const indent = m ? m[1]! : '  ';
  return {
    insertSpaces: !indent.startsWith('\t'),
    tabSize: indent.startsWith('\t') ? 1 : indent.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

export function related(r: PermRule, message: string): RelatedLocation {
  return { file: r.file.file, range: r.range, message };
}

/** jsonc `modify` edits on a file as FileEdits (root-relative `file`). A new property in an existing object is
 * inserted after its last property with that property's indentation, so nothing else in the file is reformatted
 * (jsonc's formatter would re-flow a neighbouring one-line array). Undefined when the file's shape does not allow
 * the change (`"permissions": "x"` where an object must be): no fix is offered then. */
export function modifyEdits(
  file: string,
  text: string,
  path: jsonc.JSONPath,
  value: unknown,
  opts: Partial<jsonc.ModificationOptions> = {},
): FileEdit[] | undefined {
  try {
    return modifyEditsOrThrow(file, text, path, value, opts);
  } catch {
    return undefined;
  }
}

/**
 * The fix made of edit parts that must all apply, as a list of zero or one fix to spread into a finding's fixes:
 * none when a part cannot be made (undefined: the JSON's shape does not allow it; a "move" that could only remove
 * would lose the setting) or when nothing would change.
 */
export function allOrNothing(
  title: string,
  parts: readonly (readonly FileEdit[] | undefined)[],
  extra: Partial<Omit<Fix, 'title' | 'edits'>> = {},
): Fix[] {
  if (parts.some((p) => p === undefined)) return [];
  const edits = parts.flatMap((p) => p ?? []);
  return edits.length ? [{ title, edits, ...extra }] : [];
}

function modifyEditsOrThrow(
  file: string,
  text: string,
  path: jsonc.JSONPath,
  value: unknown,
  opts: Partial<jsonc.ModificationOptions>,
): FileEdit[] {
  const lines = lineIndex(text);
  const key = path[path.length - 1];
  if (value !== undefined && typeof key === 'string') {
    const tree = jsonc.parseTree(text);
    const parent = tree && jsonc.findNodeAtLocation(tree, path.slice(0, -1));
    if (parent?.type === 'object' && parent.children?.length && !jsonc.findNodeAtLocation(tree!, path)) {
      const last = parent.children[parent.children.length - 1]!;
      const lineStart = text.lastIndexOf('\n', last.offset - 1) + 1;
      const before = text.slice(lineStart, last.offset);
      const end = last.offset + last.length;
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const newText = /^\s*$/.test(before)
        ? `,${eol}${before}${JSON.stringify(key)}: ${JSON.stringify(value)}`
        : `, ${JSON.stringify(key)}: ${JSON.stringify(value)}`;
      return [{ file, range: { start: lines(end), end: lines(end) }, newText }];
    }
  }
  return jsonc.modify(text, path, value, { formattingOptions: formatOf(text), ...opts }).map((e) => ({
    file,
    range: { start: lines(e.offset), end: lines(e.offset + e.length) },
    newText: e.content,
  }));
}

function lineIndex(text: string): (offset: number) => { line: number; character: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - starts[lo]! };
  };
}

/** Edits that append `rules` to the Managed source's permissions.deny (creating the file when absent). */
export function addToManagedDeny(
  sourcePath: string,
  source: SettingsFile | undefined,
  rules: string[],
): FileEdit[] | undefined {
  if (!source) {
    const text = JSON.stringify({ permissions: { deny: rules } }, null, 2) + '\n';
    return [
      {
        file: sourcePath,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        newText: text,
        create: true,
      },
    ];
  }
  const text = source.parsed.text;
  const perms = source.parsed.value?.permissions as Record<string, unknown> | undefined;
  const deny = perms && Array.isArray(perms.deny) ? (perms.deny as unknown[]) : undefined;
  if (!deny) return modifyEdits(sourcePath, text, ['permissions', 'deny'], rules);
  // Several inserts at the end of the list, computed one after another on the evolving text.
  let cur = text;
  let n = deny.length;
  try {
    for (const r of rules) {
      const edits = jsonc.modify(cur, ['permissions', 'deny', n++], r, {
        formattingOptions: formatOf(cur),
        isArrayInsertion: true,
      });
      cur = jsonc.applyEdits(cur, edits);
    }
  } catch {
    return undefined;
  }
  return [wholeFileEdit(sourcePath, text, cur)];
}

/** Replace a file's text as one minimal edit (common prefix and suffix kept). */
export function wholeFileEdit(file: string, before: string, after: string): FileEdit {
  let s = 0;
  while (s < before.length && s < after.length && before[s] === after[s]) s++;
  let e = 0;
  while (e < before.length - s && e < after.length - s && before[before.length - 1 - e] === after[after.length - 1 - e])
    e++;
  const pos = lineIndex(before);
  return { file, range: { start: pos(s), end: pos(before.length - e) }, newText: after.slice(s, after.length - e) };
}

/** Remove a rule string from its list. */
export function removeRuleEdits(r: PermRule): FileEdit[] | undefined {
  return modifyEdits(r.file.file, r.file.parsed.text, ['permissions', r.list, r.index], undefined);
}

/** "Move this hard block into the Managed source": remove it here, add it to the source's deny list. */
/** As a list of zero or one fix: none when the Managed source's shape does not take the rule (it would be removed
 * here and added nowhere). */
export function moveToManagedFix(
  r: PermRule,
  sourcePath: string,
  source: SettingsFile | undefined,
  alreadyThere: boolean,
): Fix[] {
  return allOrNothing(
    `Move ${r.text} into the Managed source (${sourcePath})`,
    [removeRuleEdits(r), alreadyThere ? [] : addToManagedDeny(sourcePath, source, [r.text])],
    {
      isPreferred: true,
      kind: 'proposal',
    },
  );
}

/** A rule text normalised for comparison (blanks collapsed, `:*` → ` *`, ./ dropped). */
export function normRule(t: string): string {
  return t
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/:\*\)$/, ' *)')
    .replace(/\((\.\/)+/, '(');
}

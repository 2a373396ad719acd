// Text edits the ownership rules offer: append lines to the CODEOWNERS file the platform reads (or create one),
// delete a line, replace a token.

import { appendLinesEdit, FILE_START } from '../text';
import type { FileEdit, Fix, Range } from '../types';
import { defaultCodeownersPath, type CodeownersAnalysis } from './analysis';
import type { CodeownersRule } from './parse';

export const NEW_FILE_HEADER = [
  '# CODEOWNERS: who must review changes to which paths. The last matching line wins.',
  '# https://docs.github.com/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners',
];

/** The file a finding about "the CODEOWNERS file" goes on: the one the platform reads, or where one would go. */
export function codeownersFile(a: CodeownersAnalysis): string {
  return a.choice.path ?? defaultCodeownersPath(a.choice.dialect);
}

/** Append lines to the CODEOWNERS file, or create it when there is none. Undefined when it cannot be edited. */
export function appendFix(a: CodeownersAnalysis, title: string, lines: string[], isPreferred = true): Fix | undefined {
  if (!lines.length) return undefined;
  let edit: FileEdit;
  if (a.choice.path) {
    if (!a.read?.ok) return undefined;
    edit = { file: a.choice.path, ...appendLinesEdit(a.text, lines) };
  } else {
    edit = { file: defaultCodeownersPath(a.choice.dialect), range: FILE_START, newText: [...NEW_FILE_HEADER, '', ...lines].join('\n') + '\n', create: true };
  }
  return { title, edits: [edit], kind: 'quickfix', ...(isPreferred ? { isPreferred } : {}) };
}

/** Delete a whole CODEOWNERS line (with its line break). */
export function deleteLineFix(a: CodeownersAnalysis, rule: CodeownersRule, title: string): Fix | undefined {
  if (!a.choice.path || !a.read?.ok) return undefined;
  const start = a.lines.lineStarts[rule.line]!;
  const next = rule.line + 1 < a.lines.lineCount ? a.lines.lineStarts[rule.line + 1]! : a.text.length;
  return { title, edits: [{ file: a.choice.path, range: a.lines.range(start, next), newText: '' }], kind: 'quickfix' };
}

export function replaceFix(a: CodeownersAnalysis, range: Range, newText: string, title: string): Fix | undefined {
  if (!a.choice.path || !a.read?.ok) return undefined;
  return { title, edits: [{ file: a.choice.path, range, newText }], kind: 'quickfix', isPreferred: true };
}

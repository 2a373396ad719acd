// Document links: rule ids in governance files (suppression comments, the policy's `rules`) → their doc pages; the
// surfaces add theirs (`@imports` and Markdown links in convention files, CODEOWNERS patterns).

import type { DocumentLink } from 'vscode-languageserver';
import { classify } from '../engine/kinds';
import { docsUrl } from '../engine/rule';
import { ruleIdsIn } from './ruleIds';
import type { Located } from './workspaces';

export function documentLinks(at: Located | undefined, text: string): DocumentLink[] {
  if (!at || !classify(at.rel)) return [];
  const links: DocumentLink[] = ruleIdsIn(text).map((r) => ({ range: r.range, target: docsUrl(r.id), tooltip: `Documentation of ${r.id}` }));
  return links;
}

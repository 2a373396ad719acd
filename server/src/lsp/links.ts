// Document links: rule ids in governance files (suppression comments, the policy's `rules`) → their doc pages;
// CODEOWNERS patterns that name a file or folder → it; the surfaces add theirs (`@imports`, Markdown links).

import type { DocumentLink } from 'vscode-languageserver';
import { classify, CONVENTION_KINDS } from '../engine/kinds';
import { docsUrl } from '../engine/rule';
import { ruleIdsIn } from './ruleIds';
import { codeownersLinks, conventionDocumentLinks } from './surfaces';
import type { Located } from './workspaces';

export function documentLinks(at: Located | undefined, text: string): DocumentLink[] {
  if (!at) return [];
  const kind = classify(at.rel);
  if (!kind) return [];
  const links: DocumentLink[] = ruleIdsIn(text).map((r) => ({
    range: r.range,
    target: docsUrl(r.id),
    tooltip: `Documentation of ${r.id}`,
  }));
  const attempt = (name: string, f: () => DocumentLink[]) => {
    try {
      links.push(...f());
    } catch (err) {
      console.error(
        `Document links (${name}) failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
    }
  };
  if (CONVENTION_KINDS.has(kind)) attempt('conventions', () => conventionDocumentLinks(at));
  if (kind === 'codeowners')
    attempt('ownership', () =>
      codeownersLinks(at).map((l) => ({ range: l.range!, target: l.target, tooltip: l.tooltip })),
    );
  return links;
}

// Completion: permission-rule tool names in settings files and owners in CODEOWNERS, from the surfaces' query
// modules. Editor plumbing only: where the cursor is; the candidates come from the surfaces and the policy.

import type { CompletionItem } from 'vscode-languageserver';
import type { Position } from '../engine/types';
import type { Located } from './workspaces';

export function completionsAt(at: Located | undefined, _text: string, _position: Position): CompletionItem[] {
  if (!at) return [];
  return [];
}

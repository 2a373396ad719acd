// Code actions from each finding's fixes. A fix is text edits (FileEdit, root-relative); an edit with
// `create: true` makes a new file (CreateFile + TextEdit). Fixes that need an owner's ratification
// (`kind: 'proposal'`) become PROPOSAL_ACTION_KIND actions made by the flywheel's ProposalActions.

import * as path from 'node:path';
import {
  CodeActionKind,
  type CodeAction,
  type CreateFile,
  type Diagnostic,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { Finding, Fix } from '../engine/types';
import { PROPOSAL_ACTION_KIND } from './protocol';
import { absolutePathOf, dataOf, findingId, uriOf } from './toDiagnostic';

/** What the client can apply. */
export interface EditCapabilities {
  /** `workspace.workspaceEdit.documentChanges`. */
  documentChanges: boolean;
  /** `workspace.workspaceEdit.resourceOperations` includes 'create'. */
  createFiles: boolean;
}

/**
 * Makes the action for a fix that needs ratification (`Fix.kind === 'proposal'`, e.g. a change to the Managed
 * source). The flywheel supplies one that drafts a proposal (a file under `.governance/proposals/`) for the target's
 * owners instead of editing the target. Until then `directProposal` applies: the edit itself, titled as needing the
 * owners' review, so the change reaches them through the pull request (CODEOWNERS routes it).
 */
export type ProposalActions = (input: {
  root: string;
  finding: Pick<Finding, 'ruleId' | 'file' | 'message' | 'range'>;
  fix: Fix;
  diagnostic: Diagnostic;
}) => CodeAction | undefined;

export interface CodeActionInput {
  root: string;
  /** The diagnostics of the request's context. */
  diagnostics: readonly Diagnostic[];
  /** `context.only`: kinds the client asks for. */
  only?: readonly string[];
  /** The session's current findings for the file: the fixes come from these. */
  current?: readonly Finding[];
  /** The open buffer's version of an absolute path, or null when not open. */
  versionOf(abs: string): number | null;
  capabilities: EditCapabilities;
  proposals?: ProposalActions;
}

function wanted(kind: string, only: readonly string[] | undefined): boolean {
  if (!only?.length) return true;
  return only.some((o) => kind === o || kind.startsWith(o + '.'));
}

function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

/** The workspace edit of a fix, or undefined when it would write outside the root or the client cannot apply it. */
export function fixToWorkspaceEdit(
  fix: Fix,
  root: string,
  versionOf: (abs: string) => number | null,
  caps: EditCapabilities,
): WorkspaceEdit | undefined {
  const byFile = new Map<string, { abs: string; create: boolean; edits: TextEdit[] }>();
  for (const e of fix.edits) {
    const abs = absolutePathOf(root, e.file);
    if (!abs) return undefined;
    const rel = path.relative(root, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined; // nothing is written outside the workspace
    let entry = byFile.get(abs);
    if (!entry) byFile.set(abs, (entry = { abs, create: false, edits: [] }));
    entry.create ||= e.create === true;
    entry.edits.push({ range: e.range, newText: e.newText });
  }
  if (byFile.size === 0) return undefined;
  const needsCreate = [...byFile.values()].some((f) => f.create);
  if (!caps.documentChanges) {
    if (needsCreate) return undefined;
    const changes: Record<string, TextEdit[]> = {};
    for (const f of byFile.values()) changes[uriOf(root, f.abs)!] = f.edits;
    return { changes };
  }
  if (needsCreate && !caps.createFiles) return undefined;
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  for (const f of byFile.values()) {
    const uri = uriOf(root, f.abs)!;
    if (f.create) documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
    documentChanges.push({ textDocument: { uri, version: f.create ? null : versionOf(f.abs) }, edits: f.edits });
  }
  return { documentChanges };
}

/** The code actions for the diagnostics of a request. */
export function codeActionsFor(input: CodeActionInput): CodeAction[] {
  const out: CodeAction[] = [];
  for (const diagnostic of input.diagnostics) {
    const data = dataOf(diagnostic);
    if (!data) continue;
    const message = typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
    // The fixes are the current finding's (diagnostics do not carry them): the one with the diagnostic's rule,
    // message and range, and the id in `data` when it has one (so related locations and severity match too). A
    // diagnostic whose finding is gone (it came from older text) offers nothing: its edits would be computed for
    // text that is no longer there.
    const fresh = input.current?.find(
      (f) =>
        f.ruleId === data.ruleId &&
        f.message === message &&
        sameRange(f.range, diagnostic.range) &&
        (data.id === undefined || findingId(f) === data.id),
    );
    if (!fresh?.fixes) continue;
    const fixes = fresh.fixes;
    const finding = { ruleId: fresh.ruleId, file: fresh.file, message, range: diagnostic.range };
    for (const fix of fixes) {
      if (fix.kind === 'proposal') {
        if (!wanted(PROPOSAL_ACTION_KIND, input.only)) continue;
        const make = input.proposals ?? directProposal(input);
        const action = make({ root: input.root, finding, fix, diagnostic });
        if (action) out.push(action);
        continue;
      }
      if (!wanted(CodeActionKind.QuickFix, input.only)) continue;
      const edit = fixToWorkspaceEdit(fix, input.root, input.versionOf, input.capabilities);
      if (!edit) continue;
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit };
      if (fix.isPreferred) action.isPreferred = true;
      out.push(action);
    }
  }
  return out;
}

/** The proposal action before the flywheel: apply the change, and say that its owners must review it. */
export function directProposal(input: Pick<CodeActionInput, 'versionOf' | 'capabilities'>): ProposalActions {
  return ({ root, fix, diagnostic }) => {
    const edit = fixToWorkspaceEdit(fix, root, input.versionOf, input.capabilities);
    if (!edit) return undefined;
    return {
      title: `${fix.title} (its owners must review this change)`,
      kind: PROPOSAL_ACTION_KIND,
      diagnostics: [diagnostic],
      edit,
    };
  };
}

// Core types of the engine. The engine is pure: no `vscode`, no `vscode-languageserver*`, no `node:fs`,
// no `node:child_process`. All I/O goes through the Host given to it (see ./host.ts).

/** 0-based line and UTF-16 character, like LSP. The CLI converts to 1-based. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = 'off' | Severity;

import type { Surface } from './surfaces';

/** A governance surface: one of the keys of SURFACES (./surfaces.ts). */
export type { Surface } from './surfaces';

/** One text edit in one file. `file` is root-relative with `/` separators. */
export interface FileEdit {
  file: string;
  range: Range;
  newText: string;
  /** The file does not exist yet and the edit creates it (range is 0:0-0:0). */
  create?: boolean;
}

export interface Fix {
  /** Shown in the editor's quick-fix menu, e.g. "Add a CODEOWNERS line for .mcp.json". */
  title: string;
  edits: FileEdit[];
  /** The fix VS Code applies with "auto fix" when there is one obvious fix. */
  isPreferred?: boolean;
  /** 'quickfix' is applied directly; 'proposal' needs an owner's ratification (the flywheel). */
  kind?: 'quickfix' | 'proposal';
  /** A proposal's flywheel route, target and JSON edit (as `flywheel propose --route … --target … --json-path …
   * --json-value …`): the editor and the CLI draft the change request from it instead of editing the file. */
  proposal?: FixProposal;
}

export interface FixProposal {
  route: string;
  /** Root-relative path of the file the proposal changes. */
  target: string;
  json?: { path: string[]; value: unknown; arrayInsert?: boolean };
}

export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

/** A rule's result. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  surface: Surface;
  /** Root-relative path with `/` separators. For a file outside the root (an org floor, the machine's managed
   * settings) the absolute path. */
  file: string;
  range: Range;
  /** Says what is wrong, why it matters and how to fix it. */
  message: string;
  /** Stable id of the message template, for tests (like ESLint's messageId). */
  messageId?: string;
  related?: RelatedLocation[];
  fixes?: Fix[];
  /** Extra machine-readable facts (e.g. the path, the owners). Kept out of the JSON contract's required keys. */
  data?: Record<string, unknown>;
}

/** The kinds of governance file the discovery knows. */
export type FileKind =
  | 'codeowners'
  | 'pr-template'
  | 'claude-md'
  | 'claude-local-md'
  | 'claude-rules'
  | 'agents-md'
  | 'gemini-md'
  | 'cursorrules'
  | 'cursor-mdc'
  | 'copilot-instructions'
  | 'copilot-scoped-instructions'
  | 'claude-settings'
  | 'claude-settings-local'
  | 'claude-managed-settings'
  | 'mcp-json'
  | 'vscode-mcp-json'
  | 'cursor-mcp-json'
  | 'amazonq-mcp-json'
  | 'gemini-settings'
  | 'agent-ignore'
  | 'ci-workflow'
  | 'governance-policy'
  | 'governance-signal'
  | 'governance-proposal'
  | 'governance-other';

/** Result of reading a file. Binary, huge, unreadable files are not errors of the engine: rules report them. */
export type ReadResult =
  | {
      ok: true;
      text: string;
      /** Size in bytes on disk (or of the overlay). */
      size: number;
      /** True when the bytes were not valid UTF-8; `text` then holds U+FFFD where they were. */
      invalidUtf8?: { line: number; character: number };
      /** True when the text started with a UTF-8 BOM (stripped from `text`). */
      bom?: boolean;
    }
  | {
      ok: false;
      reason: 'missing' | 'directory' | 'binary' | 'too-large' | 'unreadable';
      size?: number;
      message: string;
    };

export interface GovernanceFile {
  /** Root-relative path, `/` separators. */
  path: string;
  kind: FileKind;
  /** Other root-relative names of the same file (symlinks that point at it: CLAUDE.md → AGENTS.md). */
  aliases?: string[];
  /** When this path is itself a symlink to another tracked path, the target (root-relative). */
  symlinkTo?: string;
  /** Tracked by git (false for untracked-but-not-ignored files and for non-git workspaces: then `undefined`). */
  tracked?: boolean;
}

/** Root-relative paths use '/' and no leading './'. */
export type RelPath = string;

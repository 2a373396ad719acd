// The engine's view of a workspace. Built by a front end (server/src/node/discovery.ts for the CLI and the
// language server); tests build it from fixture folders. The engine never touches the file system itself.

import type { FileKind, GovernanceFile, ReadResult, RelPath } from './types';

export interface Snapshot {
  /** Absolute path of the root, native separators. */
  readonly root: string;
  /** Every file of the workspace (tracked, plus untracked-but-not-ignored), root-relative, sorted. */
  readonly files: readonly RelPath[];
  /** Same as `files`, for membership tests. */
  readonly fileSet: ReadonlySet<RelPath>;
  /** Files tracked by git; undefined when the workspace is not a git work tree. */
  readonly tracked?: ReadonlySet<RelPath>;
  /** Changes whenever `files` changes (creations, deletions, renames). */
  readonly filesVersion: string;
  /** Every governance file, classified. */
  readonly governance: readonly GovernanceFile[];
  /** Governance files of some kinds. */
  byKind(...kinds: FileKind[]): GovernanceFile[];
  /** Read a root-relative file (open editor buffers win over disk). Never throws. */
  read(path: RelPath): ReadResult;
  /** Read an absolute path (org floors, the machine's managed settings). Never throws. */
  readAbsolute(path: string): ReadResult;
  /** A token that changes whenever the content of `path` changes. */
  version(path: RelPath): string;
  /** Whether a root-relative path exists as a file or directory (also for ignored files). */
  exists(path: RelPath): boolean;
  /** Resolve a file inside an installed npm package (`@acme/policy/floor.json`) from the root; undefined if none. */
  resolvePackageFile?(spec: string): string | undefined;
  /** Names of the entries of an absolute folder (the managed-settings.d drop-ins); undefined when it cannot be listed. */
  listAbsolute?(dir: string): string[] | undefined;
  /** Absolute path of the machine's Claude Code managed settings file (overridable for tests), if any. */
  readonly managedSettingsPath?: string;
  /** Absolute path of the user's Claude settings file, only when the user opted in. */
  readonly userSettingsPath?: string;
  /**
   * The principal (email) whose SSH signature on the commit that added `path` git verifies against the allowed-signers
   * file `allowedSigners` (root-relative): null when that commit is unsigned or does not verify; undefined when it
   * cannot be told (no git, not committed, restricted mode). Optional: only the CLI and trusted workspaces have it.
   */
  signerOf?(path: RelPath, allowedSigners: RelPath): string | null | undefined;
  /** Problems met while discovering (symlink loops, unreadable folders): reported by `workspace/discovery`. */
  readonly discoveryProblems: readonly { path: RelPath; message: string }[];
}

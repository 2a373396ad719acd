// Resolving references in convention files: Claude/Gemini `@path` imports (relative to the importing file;
// `/abs` and `@~/` allowed by Claude), Markdown links and images (relative to the file; `/x` = the repository root,
// as GitHub renders it; Cursor's `mdc:x` = the workspace root). Nothing outside the root is ever read: such a
// reference is reported, not followed.

import { posix } from 'node:path';
import type { Snapshot } from '../host';
import type { RelPath } from '../types';

export type Resolution =
  | { status: 'inside'; target: RelPath; exists: boolean }
  /** Escapes the root (`../../..`, `/etc/passwd`): never read. */
  | { status: 'outside'; display: string }
  /** The user's home folder (`@~/…`): exists on some machines only; never read. */
  | { status: 'home'; display: string }
  /** Not a file reference (a URL, an anchor). */
  | { status: 'skip' };

function rootPosix(snapshot: Snapshot): string {
  return snapshot.root.replace(/\\/g, '/').replace(/\/+$/, '');
}

function insideOrOutside(snapshot: Snapshot, joined: string, display: string): Resolution {
  const norm = posix.normalize(joined);
  if (norm === '..' || norm.startsWith('../') || norm.startsWith('/')) return { status: 'outside', display };
  const target = norm === '.' ? '' : norm.replace(/\/$/, '');
  return { status: 'inside', target, exists: target === '' || snapshot.fileSet.has(target) || snapshot.exists(target) };
}

function absoluteSpec(snapshot: Snapshot, spec: string): Resolution {
  const root = rootPosix(snapshot);
  const abs = posix.normalize(spec.replace(/\\/g, '/'));
  if (abs === root) return { status: 'inside', target: '', exists: true };
  if (abs.startsWith(root + '/')) return insideOrOutside(snapshot, abs.slice(root.length + 1), spec);
  return { status: 'outside', display: spec };
}

/** The folder `@imports` of a file are relative to: the file's own folder (Claude Code, Gemini CLI), except Cursor
 * rules, whose `@file` mentions are relative to the workspace (the folder holding `.cursor/`). */
export function importBase(path: RelPath, kind: string | undefined): string {
  if (kind === 'cursor-mdc') {
    const m = /^(.*?)(?:^|\/)\.cursor\//.exec(path);
    return m?.[1] ?? '';
  }
  const d = posix.dirname(path);
  return d === '.' ? '' : d;
}

/** An `@import` of `from` (root-relative); `base` = the folder it is relative to (default: `from`'s folder). */
export function resolveImport(
  snapshot: Snapshot,
  from: RelPath,
  spec: string,
  base = importBase(from, undefined),
): Resolution {
  if (spec.startsWith('~/') || spec === '~') return { status: 'home', display: spec };
  if (spec.startsWith('/') || /^[A-Za-z]:[\\/]/.test(spec)) return absoluteSpec(snapshot, spec);
  return insideOrOutside(snapshot, posix.join(base || '.', spec), spec);
}

/** A Markdown link or image URL of `from`. */
export function resolveLink(snapshot: Snapshot, from: RelPath, url: string): Resolution {
  let u = url.trim();
  if (!u || u.startsWith('#') || u.startsWith('?')) return { status: 'skip' };
  let rootRelative = false;
  if (/^mdc:/i.test(u)) {
    u = u.slice(4);
    rootRelative = true;
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(u) || u.startsWith('//')) {
    return { status: 'skip' };
  }
  u = u.replace(/[?#].*$/, '');
  if (!u) return { status: 'skip' };
  // Placeholders in examples ({name}, <path>, $VAR) are not references.
  if (/[{}<>$*]/.test(u)) return { status: 'skip' };
  try {
    u = decodeURIComponent(u);
  } catch {
    /* keep it as written */
  }
  if (u.startsWith('/')) return insideOrOutside(snapshot, u.slice(1), url);
  return insideOrOutside(snapshot, rootRelative ? u : posix.join(posix.dirname(from), u), url);
}

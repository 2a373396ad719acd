// The tracked files of a git work tree, streamed: `git ls-files -z` (git's index, in git's order) read as git writes
// it, each path handed over as soon as it is complete. Neither the list nor git's output is ever held whole, so
// `flywheel owners --all | --unowned` runs in the same memory at 500 files and at 500,000, and resolves the first
// files while git is still writing the last. No `--others` (a walk of the whole work tree, most of the time of a
// listing at 50,000 files) and no `--deleted` (an lstat per file): the index is what "tracked" means.

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where any platform reads a CODEOWNERS file (GitHub, GitLab, Bitbucket), root-relative. */
const CODEOWNERS_CANDIDATES = [
  '.github/CODEOWNERS',
  'CODEOWNERS',
  'docs/CODEOWNERS',
  '.gitlab/CODEOWNERS',
  '.bitbucket/CODEOWNERS',
];

/**
 * The CODEOWNERS files at the platforms' locations that the workspace listing would show (tracked and present, or
 * untracked and not ignored), or undefined when `root` is not inside a git work tree (or git cannot run). One small
 * git call restricted to those paths: nothing else of the work tree is read.
 */
export function codeownersCandidates(root: string): { files: string[]; tracked: string[] } | undefined {
  const r = spawnSync(
    'git',
    [
      '-c',
      'core.quotePath=false',
      'ls-files',
      '-z',
      '-t',
      '--cached',
      '--others',
      '--exclude-standard',
      '--',
      ...CODEOWNERS_CANDIDATES.map((p) => `:(literal)${p}`),
    ],
    { cwd: root, encoding: 'utf8', windowsHide: true },
  );
  if (r.error || r.status !== 0) return undefined;
  const tracked: string[] = [];
  const others: string[] = [];
  for (const entry of r.stdout.split('\0')) {
    if (entry.length < 3) continue;
    const file = entry.slice(2);
    if (entry[0] === '?') others.push(file);
    // Deleted from the work tree (what `--deleted` tells, at the price of an lstat of every tracked file); a
    // skip-worktree entry (`S`, sparse checkout) counts as present, as `--deleted` never reports it.
    else if (entry[0] === 'S' || fs.existsSync(path.join(root, file))) tracked.push(file);
  }
  return { files: [...tracked, ...others], tracked };
}

/**
 * Calls `each` with every path of `git ls-files -z` run in `root`, in git's order, as the output arrives. Resolves
 * with the number of paths; rejects when git fails (its message). The caller knows `root` is in a git work tree.
 */
export function streamTrackedFiles(root: string, each: (path: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const git = spawn('git', ['-c', 'core.quotePath=false', 'ls-files', '-z'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let count = 0;
    let rest: Buffer | undefined;
    let failed: Error | undefined;
    let stderr = '';
    git.stdout.on('data', (chunk: Buffer) => {
      if (failed) return;
      const data = rest ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      try {
        for (let at = data.indexOf(0, start); at >= 0; at = data.indexOf(0, start)) {
          if (at > start) {
            each(data.toString('utf8', start, at));
            count++;
          }
          start = at + 1;
        }
      } catch (err) {
        // The consumer failed (its output went away, …): stop git and report the consumer's error.
        failed = err as Error;
        git.kill();
        return;
      }
      // The incomplete last path: copied, so the chunk it came from is not kept alive.
      rest = start < data.length ? Buffer.from(data.subarray(start)) : undefined;
    });
    git.stderr.setEncoding('utf8');
    git.stderr.on('data', (s: string) => {
      if (stderr.length < 4096) stderr += s;
    });
    git.on('error', (err) => {
      failed ??= err;
    });
    git.on('close', (code) => {
      if (failed) return reject(failed);
      if (code !== 0) return reject(new Error(`git ls-files failed: ${stderr.trim() || `exit ${code}`}`));
      // git ends every path with NUL; a remainder would be a path cut short: handed over as it is.
      if (rest?.length) {
        each(rest.toString('utf8'));
        count++;
      }
      resolve(count);
    });
  });
}

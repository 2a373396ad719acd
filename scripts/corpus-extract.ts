// Extract the part of a public repository the checker reads into test/fixtures/realworld-repos/<name>/:
// its governance files, every package.json and workspace file, the files its convention files @import, and the list
// of tracked paths (gzipped). Usage, from a bare clone or a `fetch` mirror:
//   node --import tsx scripts/corpus-extract.ts <git-dir> <name> <owner/repo> [github|gitlab [github-mirror]]
// The test (test/corpus/realworld-repos.test.ts) rebuilds each as a git repository and pins its findings.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { classify } from '../server/src/engine/kinds';

const [gitDir, name, source, host = 'github', mirror] = process.argv.slice(2);
if (!gitDir || !name || !source) {
  console.error('usage: corpus-extract.ts <git-dir> <name> <owner/repo> [github|gitlab]');
  process.exit(2);
}
const git = (...args: string[]) => execFileSync('git', ['--git-dir', gitDir, ...args], { maxBuffer: 1 << 30 });
const commit = git('rev-parse', 'HEAD').toString().trim();
const entries = git('ls-tree', '-r', '-z', '--full-tree', 'HEAD').toString('utf8').split('\0').filter(Boolean);
const modes = new Map<string, { mode: string; sha: string }>();
for (const e of entries) {
  const tab = e.indexOf('\t');
  const [mode, , sha] = e.slice(0, tab).split(' ');
  if (mode && sha && mode !== '160000') modes.set(e.slice(tab + 1), { mode, sha });
}
const paths = [...modes.keys()].sort();
const WORKSPACE = /(^|\/)(package\.json|pnpm-workspace\.yaml|lerna\.json|turbo\.json|nx\.json)$/;
const take = new Set<string>();
for (const p of paths) {
  if (p.includes('node_modules/')) continue;
  const kind = classify(p);
  if ((kind && kind !== 'ci-workflow') || WORKSPACE.test(p)) take.add(p);
}
const blob = (p: string) => git('cat-file', '-p', modes.get(p)!.sha);
// Files a convention file @imports (transitively): the checker reads them too.
const queue = [...take].filter((p) => /\.(md|mdc)$/.test(p) || !p.includes('.'));
while (queue.length) {
  const p = queue.pop()!;
  const m = modes.get(p);
  if (!m || m.mode === '120000') continue;
  const text = blob(p).toString('utf8');
  for (const [, spec] of text.matchAll(/(?:^|\s)@((?:\.{0,2}\/)?[\w.-]+(?:\/[\w.-]+)*\.\w+)/g)) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(p), spec!));
    if (modes.has(target) && !take.has(target)) {
      take.add(target);
      queue.push(target);
    }
  }
}
const out = path.join('test/fixtures/realworld-repos', name);
fs.rmSync(out, { recursive: true, force: true });
const symlinks: Record<string, string> = {};
for (const p of [...take].sort()) {
  const m = modes.get(p)!;
  if (m.mode === '120000') {
    symlinks[p] = blob(p).toString('utf8');
    continue;
  }
  const dest = path.join(out, 'files', p);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, blob(p));
}
// Symlinks whose target is not taken yet: take the target too (a CLAUDE.md → CONTRIBUTING.md link is read).
for (const [p, target] of Object.entries(symlinks)) {
  const t = path.posix.normalize(path.posix.join(path.posix.dirname(p), target));
  const m = modes.get(t);
  if (m && m.mode !== '120000' && !take.has(t)) {
    const dest = path.join(out, 'files', t);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, blob(t));
  }
}
fs.writeFileSync(path.join(out, 'tracked.txt.gz'), gzipSync(paths.join('\n') + '\n', { level: 9 }));
const url = host === 'gitlab' ? `https://gitlab.com/${source}` : `https://github.com/${source}`;
fs.writeFileSync(
  path.join(out, 'source.json'),
  JSON.stringify(
    {
      source: url,
      ...(mirror ? { mirror: `https://github.com/${mirror}` } : {}),
      commit,
      host,
      symlinks,
      files: take.size,
      tracked: paths.length,
    },
    null,
    2,
  ) + '\n',
);
const links = Object.keys(symlinks).length;
console.log(`${name}: ${take.size} files, ${paths.length} tracked paths, ${links} symlinks @ ${commit.slice(0, 12)}`);

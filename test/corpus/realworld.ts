// Rebuild a corpus repository (test/fixtures/realworld-repos/<name>/) as a git repository in a temp folder: the
// files the checker reads are written out, every other tracked path is an index entry marked skip-worktree (as in a
// sparse checkout), so git lists the whole tracked tree without the fixture holding it.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const CORPUS = fileURLToPath(new URL('../fixtures/realworld-repos', import.meta.url));

export interface CorpusSource {
  source: string;
  commit: string;
  host: 'github' | 'gitlab';
  symlinks: Record<string, string>;
}

export function corpusNames(): string[] {
  return fs
    .readdirSync(CORPUS, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, r));
    else out.push(r);
  }
  return out;
}

/** Build the repository; returns its root (remove it with fs.rmSync when done). */
export function buildCorpusRepo(name: string): string {
  const src = path.join(CORPUS, name);
  const meta = JSON.parse(fs.readFileSync(path.join(src, 'source.json'), 'utf8')) as CorpusSource;
  const listed = gunzipSync(fs.readFileSync(path.join(src, 'tracked.txt.gz'))).toString('utf8');
  const tracked = listed.split('\n').filter(Boolean);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `flywheel-corpus-${name}-`));
  const git = (args: string[], input?: string) =>
    execFileSync('git', ['-c', 'core.quotePath=false', ...args], { cwd: root, input, maxBuffer: 1 << 28 });
  git(['init', '-q']);
  const written = new Set<string>();
  for (const f of listFiles(path.join(src, 'files'))) {
    const dest = path.join(root, f);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(path.join(src, 'files', f), dest);
    written.add(f);
  }
  for (const [link, target] of Object.entries(meta.symlinks)) {
    const dest = path.join(root, link);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.symlinkSync(target, dest);
    written.add(link);
  }
  git(['add', '--', ...written]);
  const empty = git(['hash-object', '-w', '--stdin'], '').toString().trim();
  const rest = tracked.filter((p) => !written.has(p));
  if (rest.length) {
    git(['update-index', '--add', '--index-info'], rest.map((p) => `100644 ${empty}\t${p}\n`).join(''));
    git(['update-index', '--skip-worktree', '--stdin'], rest.join('\n') + '\n');
  }
  return root;
}

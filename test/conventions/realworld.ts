// Lays the 27 real-world convention files (../shared/realworld/conventions, see its INDEX.txt) out as the
// workspaces they came from: one folder per repository, each file at its original path. Imported targets that
// INDEX.txt says exist in the repository are created as small stubs, and symlinks are recreated as INDEX.txt
// describes them (pydantic-ai: CLAUDE.md → AGENTS.md; langfuse: CLAUDE.md → AGENTS.md → .agents/AGENTS.md).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers';

export const REALWORLD = path.resolve(REPO_ROOT, '..', 'shared', 'realworld', 'conventions');

export interface RealFile {
  repo: string;
  path: string;
  file: string;
  notes: string;
}

export function realworldIndex(): RealFile[] | undefined {
  const index = path.join(REALWORLD, 'INDEX.txt');
  if (!fs.existsSync(index)) return undefined;
  return fs
    .readFileSync(index, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [repo, p, , , file, , notes] = l.split('\t');
      return { repo: repo!, path: p!, file: file!, notes: notes ?? '' };
    });
}

/** Files INDEX.txt says exist in the source repository (targets of imports in the collected files). */
const STUBS: Record<string, string[]> = {
  'marigold-ui/marigold': ['README.md', 'package.json', 'docs/AGENTS.md'],
  'hiroky1983/talk': [
    'AGENTS.md',
    'docs/ai/memory/index.md',
    'docs/ai/memory/architecture.md',
    'docs/ai/memory/decisions.md',
    'docs/ai/memory/gotchas.md',
  ],
  'eyaltoledano/claude-task-master': ['.taskmaster/CLAUDE.md'],
  'triggerdotdev/trigger.dev': ['AGENTS.md'],
};

/** Build the workspaces in a temporary folder; returns { dir per repo, cleanup }. */
export function buildRealworld(): { root: string; repos: Map<string, string>; cleanup: () => void } | undefined {
  const index = realworldIndex();
  if (!index) return undefined;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'flywheel-realworld-'));
  const repos = new Map<string, string>();
  for (const f of index) {
    const dir = path.join(root, f.repo.replace('/', '__'));
    repos.set(f.repo, dir);
    const abs = path.join(dir, f.path);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.copyFileSync(path.join(REALWORLD, f.file), abs);
  }
  for (const [repo, stubs] of Object.entries(STUBS)) {
    const dir = repos.get(repo);
    if (!dir) continue;
    for (const s of stubs) {
      const abs = path.join(dir, s);
      if (fs.existsSync(abs)) continue;
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(
        abs,
        s.endsWith('.json') ? '{}\n' : `# ${path.basename(s)}\n\nStub standing in for the repository's file.\n`,
      );
    }
  }
  const pyd = repos.get('pydantic/pydantic-ai');
  if (pyd) fs.symlinkSync('AGENTS.md', path.join(pyd, 'CLAUDE.md'));
  const lf = repos.get('langfuse/langfuse');
  if (lf) {
    fs.symlinkSync('.agents/AGENTS.md', path.join(lf, 'AGENTS.md'));
    fs.symlinkSync('AGENTS.md', path.join(lf, 'CLAUDE.md'));
  }
  const tr = repos.get('triggerdotdev/trigger.dev');
  if (tr) fs.writeFileSync(path.join(tr, 'CLAUDE.md'), '@AGENTS.md\n');
  return { root, repos, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

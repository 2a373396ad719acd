// Runs the node:test suites (test/**/*.test.ts, except the editor tests) through tsx, so the runner prints its
// summary. Usage: node scripts/run-tests.mjs [filter-substring…]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const skip = new Set(['fixtures', 'e2e', 'editor', 'oracle']);
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!skip.has(name)) walk(p);
    } else if (name.endsWith('.test.ts')) files.push(relative(root, p));
  }
})(join(root, 'test'));
const filters = process.argv.slice(2);
const selected = filters.length ? files.filter((f) => filters.some((x) => f.includes(x))) : files;
// The spec reporter, then every skipped test with its reason (scripts/skip-summary.mjs) to close the log.
const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout'];
reporters.push('--test-reporter=./scripts/skip-summary.mjs', '--test-reporter-destination=stdout');
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--import', './test/setup-shell-parser.ts', '--test', ...reporters, ...selected],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);

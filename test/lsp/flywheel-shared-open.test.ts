// The read-only flywheel answers of one view refresh (proposals, signal groups, the status bar's count, a page, the
// report) share one opened workspace for a moment; a write through the server and a file event under .governance/
// (forgetOpened) make the next answer read the repository again.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { captureSignalIn, forgetOpened, listSignals } from '../../server/src/lsp/flywheel';
import { freshRepo, SCENARIO_FILES } from '../flywheel/harness';

describe('flywheel answers share one open workspace', () => {
  const ws = freshRepo(SCENARIO_FILES);
  const dir = fs.realpathSync(ws.dir);
  after(() => ws.cleanup());
  const count = () => listSignals(dir).groups.reduce((n, g) => n + g.count, 0);

  it('a write through the server is seen by the next answer at once', () => {
    assert.equal(count(), 0);
    const r = captureSignalIn(dir, { kind: 'failure', summary: 'Agent ran the wrong test command', agent: 'claude' });
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    assert.equal(count(), 1);
  });

  it('a change on disk is seen once a file event forgets the shared workspace', () => {
    const folder = path.join(dir, '.governance', 'signals');
    const [first] = fs.readdirSync(folder);
    assert.ok(first);
    const text = fs.readFileSync(path.join(folder, first), 'utf8');
    const copy = first.replace(/.{4}\.md$/, 'beef.md');
    fs.writeFileSync(path.join(folder, copy), text.replace(first.replace(/\.md$/, ''), copy.replace(/\.md$/, '')));
    assert.equal(count(), 1, 'answers within a refresh share what was read');
    forgetOpened(dir);
    assert.equal(count(), 2);
  });
});

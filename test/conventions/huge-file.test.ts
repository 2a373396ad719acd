// A convention file far beyond any agent's context is scanned, not parsed, and gets a size finding (the figure of
// its cost is in `npm run bench -- huge-file`, not here).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFolder } from '../../server/src/cli/check';
import { MAX_PARSE_BYTES } from '../../server/src/engine/conventions/parse';
import { tempWorkspace } from '../helpers';

describe('a huge convention file', () => {
  it('gets a size finding and is still scanned for references', () => {
    const line = '- Run `npm run missing-script`; see [the guide](missing.md) and @docs/missing.md.\n';
    const ws = tempWorkspace({
      '.github/CODEOWNERS': '* @acme/dev\n',
      'AGENTS.md': line.repeat(Math.ceil((MAX_PARSE_BYTES + 1) / line.length)),
      'package.json': '{ "scripts": {} }',
    });
    try {
      const { findings } = checkFolder(ws.dir, { managed: null });
      const size = findings.filter((f) => f.ruleId === 'conventions/size-budget');
      assert.equal(size.length, 1);
      assert.match(size[0]!.message, /too large to parse: it was scanned, not parsed/);
      const broken = findings.some((f) => f.ruleId === 'conventions/broken-reference');
      assert.ok(broken, 'the scan still finds the missing import');
    } finally {
      ws.cleanup();
    }
  });
});

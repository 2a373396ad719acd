// The ownership link: the baseline puts every convention file in ownership.mustOwn, so an unowned CLAUDE.md is an
// owners/unowned-path finding; and an inline suppression in a convention file works for the conventions rules.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnalysisCache, check } from '../../server/src/engine/index';
import { loadPolicy } from '../../server/src/engine/policy/load';
import baseline from '../../server/src/engine/policy/baseline.json';
import { tempWorkspace } from '../helpers';
import { open } from './util';

function all(files: Record<string, string>) {
  const ws = tempWorkspace(files);
  try {
    const s = open(ws.dir);
    return check(s, loadPolicy(s), new AnalysisCache());
  } finally {
    ws.cleanup();
  }
}

describe('conventions and ownership', () => {
  it('the baseline requires owners for every convention file kind', () => {
    const mustOwn = (baseline as { ownership: { mustOwn: string[] } }).ownership.mustOwn;
    for (const g of [
      '**/CLAUDE.md',
      '**/AGENTS.md',
      '**/GEMINI.md',
      '**/.claude/**',
      '.cursor/rules/**',
      '.cursorrules',
      '.github/copilot-instructions.md',
      '.github/instructions/**',
    ]) {
      assert.ok(mustOwn.includes(g), g);
    }
  });

  it('an unowned CLAUDE.md is an owners/unowned-path finding; an owned one is not', () => {
    const unowned = all({
      '.github/CODEOWNERS': '/src/ @acme/dev\n/.github/ @acme/platform\n',
      'CLAUDE.md': '# P\n',
      'src/a.ts': '\n',
    });
    assert.ok(
      unowned.some(
        (f) => f.ruleId === 'owners/unowned-path' && (f.file === 'CLAUDE.md' || f.message.includes('CLAUDE.md')),
      ),
      JSON.stringify(unowned.map((f) => [f.ruleId, f.file])),
    );
    const owned = all({ '.github/CODEOWNERS': '* @acme/dev\n/CLAUDE.md @acme/platform\n', 'CLAUDE.md': '# P\n' });
    assert.ok(!owned.some((f) => f.ruleId === 'owners/unowned-path' && f.message.includes('CLAUDE.md')));
  });

  it('a flywheel-disable-next-line comment with a reason suppresses a conventions finding', () => {
    const text =
      '# P\n\n<!-- flywheel-disable-next-line conventions/secret -- AWS documentation example key -->\n- Example: AKIAIOSFODNN7EXAMPLE\n';
    assert.ok(all({ 'CLAUDE.md': text.replace(/<!--.*-->\n/, '') }).some((f) => f.ruleId === 'conventions/secret'));
    assert.ok(!all({ 'CLAUDE.md': text }).some((f) => f.ruleId === 'conventions/secret'));
  });
});

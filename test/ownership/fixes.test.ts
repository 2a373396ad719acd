// Every quick fix an owners/* rule offers, applied to a copy of every owners/* invalid fixture, then checked again:
// the fix creates no owners/* finding that was not there before (a fix that appends a line must not leave a
// duplicate pattern behind, say), and the finding it fixes is gone. One exception: a fix that creates a CODEOWNERS file
// when the policy names no owners writes commented placeholder lines (`# /CLAUDE.md @your-org/your-team`) for the
// user to complete; until they do, the paths those lines stand for are still unowned, which is not a new problem.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Finding, Fix } from '../../server/src/engine/index';
import { LineIndex } from '../../server/src/engine/text';
import { checkFixture, FIXTURES, tempWorkspace } from '../helpers';

/** Apply a fix's edits to the files of a workspace folder (edits of one file from the last to the first). */
function applyFix(dir: string, fix: Fix): void {
  const byFile = new Map<string, Fix['edits']>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) {
    const abs = path.join(dir, file);
    let text = fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : '';
    const idx = new LineIndex(text);
    const spans = edits.map((e) => ({
      from: idx.offsetAt(e.range.start),
      to: idx.offsetAt(e.range.end),
      text: e.newText,
    }));
    spans.sort((x, y) => y.from - x.from);
    for (let i = 1; i < spans.length; i++)
      assert.ok(spans[i]!.to <= spans[i - 1]!.from, `${fix.title}: overlapping edits`);
    for (const s of spans) text = text.slice(0, s.from) + s.text + text.slice(s.to);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
}

/** owners/* findings counted by rule and message. */
function tally(findings: Finding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings)
    if (f.ruleId.startsWith('owners/'))
      m.set(`${f.ruleId}:${f.messageId}`, (m.get(`${f.ruleId}:${f.messageId}`) ?? 0) + 1);
  return m;
}

function copyDir(from: string): string {
  const to = fs.mkdtempSync(path.join(os.tmpdir(), 'flywheel-fix-'));
  fs.cpSync(from, to, { recursive: true });
  return to;
}

const base = path.join(FIXTURES, 'rules', 'owners');

describe('owners/* quick fixes leave a clean result', () => {
  for (const rule of fs.readdirSync(base)) {
    const invalid = path.join(base, rule, 'invalid');
    if (!fs.existsSync(invalid)) continue;
    for (const c of fs.readdirSync(invalid)) {
      it(`owners/${rule} ${c}: every owners/* fix removes its finding and adds none`, () => {
        const dir = path.join(invalid, c);
        const before = checkFixture(dir);
        const countsBefore = tally(before);
        const offered = before.filter((f) => f.ruleId.startsWith('owners/') && f.fixes?.length);
        for (const finding of offered) {
          for (const fix of finding.fixes!) {
            const copy = copyDir(dir);
            try {
              applyFix(copy, fix);
              const after = tally(checkFixture(copy));
              const key = `${finding.ruleId}:${finding.messageId}`;
              const template = fix.edits.some((e) => /^# .*@your-org\//m.test(e.newText));
              if (!template)
                for (const [k, n] of after)
                  assert.ok(
                    n <= (countsBefore.get(k) ?? 0),
                    `${finding.ruleId} fix "${fix.title}" creates ${k} (${countsBefore.get(k) ?? 0} → ${n})`,
                  );
              assert.ok(
                (after.get(key) ?? 0) < countsBefore.get(key)!,
                `${finding.ruleId} fix "${fix.title}" leaves its finding`,
              );
            } finally {
              fs.rmSync(copy, { recursive: true, force: true });
            }
          }
        }
      });
    }
  }
});

describe('owners/wrong-owner quick fix', () => {
  const policy = JSON.stringify({ ownership: { owners: { '.claude/**': ['@acme/platform'] } } });

  function fixOf(dir: string): Fix {
    const f = checkFixture(dir).find((x) => x.ruleId === 'owners/wrong-owner');
    assert.ok(f?.fixes?.length, 'a wrong-owner finding with a fix');
    return f.fixes[0]!;
  }

  it('adds the owners to the deciding line when it already has the pattern (no duplicate line)', () => {
    const { dir, cleanup } = tempWorkspace({
      '.github/CODEOWNERS': '* @acme/dev\n/.claude/ @acme/ai-team # agents\n',
      '.governance/policy.json': policy,
      '.claude/settings.json': '{}',
      '.github/pull_request_template.md': 'Author of record:\n',
    });
    try {
      applyFix(dir, fixOf(dir));
      assert.equal(
        fs.readFileSync(path.join(dir, '.github/CODEOWNERS'), 'utf8'),
        '* @acme/dev\n/.claude/ @acme/ai-team @acme/platform # agents\n',
      );
      assert.deepEqual(
        checkFixture(dir)
          .filter((f) => f.ruleId.startsWith('owners/'))
          .map((f) => f.ruleId),
        [],
      );
    } finally {
      cleanup();
    }
  });

  it('appends, deleting the same-pattern line and a line the new one would leave deciding nothing', () => {
    const { dir, cleanup } = tempWorkspace({
      '.github/CODEOWNERS':
        '* @acme/dev\r\n/.claude/ @acme/ai-team\r\n/.claude/settings.json @acme/other\r\n/.github/ @acme/platform\r\n',
      '.governance/policy.json': policy,
      '.claude/settings.json': '{}',
      '.claude/agents/a.md': 'x',
      '.github/pull_request_template.md': 'Author of record:\n',
    });
    try {
      applyFix(dir, fixOf(dir));
      assert.equal(
        fs.readFileSync(path.join(dir, '.github/CODEOWNERS'), 'utf8'),
        '* @acme/dev\r\n/.github/ @acme/platform\r\n/.claude/ @acme/platform\r\n',
      );
      assert.deepEqual(
        checkFixture(dir)
          .filter((f) => f.ruleId.startsWith('owners/'))
          .map((f) => f.ruleId),
        [],
      );
    } finally {
      cleanup();
    }
  });
});

// The analysis cache's building blocks.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { AnalysisCache, BoundedMap } from '../../server/src/engine/cache';
import { REPO_ROOT } from '../helpers';

describe('AnalysisCache', () => {
  test('memo recomputes only when the dependency key changes', () => {
    const c = new AnalysisCache();
    let n = 0;
    const get = (deps: string) => c.memo('k', deps, () => ++n);
    assert.equal(get('a'), 1);
    assert.equal(get('a'), 1);
    assert.equal(get('b'), 2);
    assert.equal(get('a'), 3, 'one value per key: the previous deps are forgotten');
  });
});

describe('BoundedMap', () => {
  test('forgets everything when a new key would pass the bound, never for a known key', () => {
    const m = new BoundedMap<string, number>(3);
    m.set('a', 1).set('b', 2).set('c', 3);
    m.set('c', 30);
    assert.deepEqual(
      [...m],
      [
        ['a', 1],
        ['b', 2],
        ['c', 30],
      ],
    );
    m.set('d', 4);
    assert.deepEqual([...m], [['d', 4]]);
  });
});

// A module-level Map or Set in the engine lives as long as the language server: filled by what someone typed, it grows
// for the whole session. Caches go on BoundedMap (or a WeakMap keyed by an object that dies, or the AnalysisCache).
describe('module-level caches in the engine', () => {
  /** Module-level maps and sets that are not caches, with why. Key: file (under server/src/engine) and name. */
  const ALLOWED: Record<string, string> = {
    'rules/index.ts BY_ID': 'the rule registry by id, built once from RULES; never grows',
  };

  test('none is an unbounded new Map() / new Set(); BoundedMap instead', () => {
    const engine = path.join(REPO_ROOT, 'server/src/engine');
    const found: string[] = [];
    const seen = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts')) {
          const rel = path.relative(engine, p).split(path.sep).join('/');
          for (const line of fs.readFileSync(p, 'utf8').split('\n')) {
            // Top level (no indentation): a Map of anything, or an empty Set (a constant Set of literals is fine).
            const m = /^(?:export\s+)?(?:const|let|var)\s+(\w+)\b[^=]*=\s*new\s+(Map\b|Set\s*(?:<[^>]*>)?\(\s*\))/.exec(
              line,
            );
            if (!m) continue;
            const key = `${rel} ${m[1]}`;
            seen.add(key);
            if (!(key in ALLOWED)) found.push(`${key}: ${line.trim()}`);
          }
        }
      }
    };
    walk(engine);
    assert.deepEqual(
      found,
      [],
      'module-level unbounded caches: use BoundedMap from engine/cache.ts (or allow-list why)',
    );
    for (const key of Object.keys(ALLOWED)) assert.ok(seen.has(key), `stale allow-list entry: ${key}`);
  });
});

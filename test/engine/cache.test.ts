// The analysis cache's building blocks.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AnalysisCache, BoundedMap } from '../../server/src/engine/cache';

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

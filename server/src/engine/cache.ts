// Memoised analyses. A value is recomputed only when its dependency key changes. The language server keeps one
// cache per workspace across runs, so a keystroke in CLAUDE.md does not re-resolve 50,000 CODEOWNERS paths.

export class AnalysisCache {
  private readonly entries = new Map<string, { deps: string; value: unknown }>();
  private readonly oneShot: boolean;

  /**
   * `oneShot`: the cache of one pass over one snapshot that never changes (a CLI verb that writes nothing), where an
   * analysis kept is still right when asked again: a dependency key given as a function (a costly one: a hash of
   * 10,000 records, a stat of each of 2,000 files) is then never computed, and the first value is kept.
   */
  constructor(options: { oneShot?: boolean } = {}) {
    this.oneShot = options.oneShot ?? false;
  }

  /** `key` names the analysis; `deps` is a string that changes whenever its inputs change (or makes it). */
  memo<T>(key: string, deps: string | (() => string), compute: () => T): T {
    if (typeof deps === 'function') {
      if (this.oneShot) {
        const kept = this.entries.get(key);
        if (kept) return kept.value as T;
        const value = compute();
        this.entries.set(key, { deps: '', value });
        return value;
      }
      deps = deps();
    }
    const hit = this.entries.get(key);
    if (hit && hit.deps === deps) return hit.value as T;
    const value = compute();
    this.entries.set(key, { deps, value });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * A Map that forgets everything when it would grow past `max` entries: for tables keyed by what someone typed
 * (pattern text), which would otherwise grow for as long as a session lasts. Only a cache: a forgotten entry is
 * computed again.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.size >= this.max && !this.has(key)) this.clear();
    return super.set(key, value);
  }
}

// The package.json files of a repository and their scripts, shared by conventions/broken-reference and
// flywheel/stale-rule: both ask "does a package this text can reach define this script?".

import type { RuleContext } from '../rule';

export interface PackageScripts {
  pkg: string;
  dir: string;
  name?: string;
  scripts: string[];
}

/** The name and scripts of a package.json, memoised by its version; undefined when it cannot be read or parsed. */
export function readPackage(ctx: RuleContext, pkg: string): PackageScripts | undefined {
  return ctx.cache.memo('conventions:scripts:' + pkg, ctx.snapshot.version(pkg), () => {
    const r = ctx.snapshot.read(pkg);
    if (!r.ok) return undefined;
    try {
      const j = JSON.parse(r.text) as { name?: unknown; scripts?: unknown };
      const scripts =
        j.scripts && typeof j.scripts === 'object' && !Array.isArray(j.scripts) ? Object.keys(j.scripts) : [];
      const dir = pkg.includes('/') ? pkg.slice(0, pkg.lastIndexOf('/')) : '';
      return { pkg, dir, scripts, ...(typeof j.name === 'string' && j.name ? { name: j.name } : {}) };
    } catch {
      return undefined;
    }
  });
}

/** The nearest package.json at or above `dir` that has scripts; undefined without one (nothing to check against). */
export function nearestPackage(ctx: RuleContext, dir: string): PackageScripts | undefined {
  for (let d = dir; ; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
    const pkg = d ? `${d}/package.json` : 'package.json';
    if (ctx.snapshot.fileSet.has(pkg)) {
      const p = readPackage(ctx, pkg);
      return p?.scripts.length ? p : undefined;
    }
    if (!d) return undefined;
  }
}

/** Every package.json of the repository (outside node_modules), by folder. */
export function allPackages(ctx: RuleContext): string[] {
  return ctx.cache.memo('conventions:packages', ctx.snapshot.filesVersion, () =>
    ctx.snapshot.files.filter(
      (f) => (f === 'package.json' || f.endsWith('/package.json')) && !f.includes('node_modules/'),
    ),
  );
}

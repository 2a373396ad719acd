// A verb's bundle loaded with V8's code cache, for Node 20 (which has no `module.enableCompileCache`, used on Node ≥
// 22.1 instead): the first run compiles the bundle as `require` would and, when it ends, saves V8's compiled code of
// the bundle and of every function the run used; later runs start from it instead of parsing and compiling 0.2 MB
// of JavaScript again (~9 % of the instructions of `flywheel owners --unowned` on 5,000 files). Only the dispatcher's
// bundle uses this (esbuild.mjs); the sources and the tests load the verbs with `import()`.
//
// Where: `$XDG_CACHE_HOME/governance-flywheel/`, else `~/.cache/governance-flywheel/`, a folder of the user's own
// (created 0700; not used when another user owns it or others may write to it). One file per bundle, named by the
// bundle's size, modification time and inode and by V8's version, so a rebuilt bundle or another Node never reads a
// stale cache; V8 checks the rest (its version, flags, the source's length) and compiles afresh when it rejects one.
// Nothing is cached on Windows, or when FLYWHEEL_CODE_CACHE=0; any failure only means compiling as usual.

import * as fs from 'node:fs';
import * as nodeModule from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

const req = require;

function cacheDir(): string | undefined {
  if (process.env.FLYWHEEL_CODE_CACHE === '0' || typeof process.getuid !== 'function') return undefined;
  const home = process.env.HOME;
  const base = process.env.XDG_CACHE_HOME || (home ? path.join(home, '.cache') : undefined);
  if (!base || !path.isAbsolute(base)) return undefined;
  const dir = path.join(base, 'governance-flywheel');
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.statSync(dir);
    if (!st.isDirectory() || st.uid !== process.getuid() || st.mode & 0o022) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/** `require(file)` of a CommonJS bundle, compiled from the code cache when there is a valid one. */
export function requireCached(file: string): unknown {
  const dir = cacheDir();
  if (!dir) return req(file);
  let src: string;
  let key: string;
  try {
    const st = fs.statSync(file);
    src = fs.readFileSync(file, 'utf8');
    const name = path.basename(file);
    key = path.join(
      dir,
      `${name}-${st.size}-${Math.trunc(st.mtimeMs)}-${st.ino}-v8-${process.versions.v8}-${process.arch}.cache`,
    );
  } catch {
    return req(file);
  }
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(key);
  } catch {
    // none yet
  }
  const { Module } = nodeModule as unknown as { Module: { wrap(s: string): string } };
  const script = new vm.Script(Module.wrap(src), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as unknown };
  const fn = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
  ) => void;
  fn.call(module.exports, module.exports, nodeModule.createRequire(file), module, file, path.dirname(file));
  if (!cachedData || script.cachedDataRejected) {
    // Saved when the run ends, with the code of every function it compiled; replaces older caches of this bundle.
    process.once('exit', () => {
      try {
        const data = script.createCachedData();
        const prefix = `${path.basename(file)}-`;
        for (const f of fs.readdirSync(dir)) if (f.startsWith(prefix)) fs.rmSync(path.join(dir, f), { force: true });
        const tmp = `${key}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, data, { mode: 0o600 });
        fs.renameSync(tmp, key);
      } catch {
        // no cache: the next run compiles as this one did
      }
    });
  }
  return module.exports;
}

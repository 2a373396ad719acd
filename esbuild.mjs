// Bundles the three processes: the VS Code client (vscode external), the language server and the CLI.
// `node esbuild.mjs --watch` rebuilds on change; `--production` minifies.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename } from 'node:path';

const require = createRequire(import.meta.url);
const policySchema = JSON.parse(readFileSync('schemas/policy.schema.json', 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // Prefer packages' ESM builds: jsonc-parser's UMD `main` requires './impl/format' at run time, which a bundle
  // does not have ("Cannot find module './impl/format"); its ESM build bundles.
  mainFields: ['module', 'main'],
  // ESM-only dependencies (unified, remark) bundle into CJS; import.meta.url is rewritten for the CJS output, and
  // computed when read (url's pathToFileURL on every load was ~1 ms of a bundle that never reads it).
  define: { 'import.meta.url': 'importMeta.url' },
  banner: {
    js: "const importMeta = { get url() { return require('url').pathToFileURL(__filename).href; } };",
  },
};

// jsonc-parser's modules only define functions and tables, but its formatter's tables are built by calls when the
// module loads (impl/string-intern.js: some 1,200 strings), which esbuild keeps unless it is told the package has no
// side effects (its package.json does not say). Told here: a bundle that never formats JSON does not carry them,
// and `flywheel owners` no longer spends ~5 ms building them on every run.
const jsoncPure = {
  name: 'jsonc-parser-pure',
  setup(build) {
    build.onResolve({ filter: /^(jsonc-parser$|\.\.?\/)/ }, async (args) => {
      if (args.pluginData?.jsoncPure) return undefined;
      const importer = args.importer.replace(/\\/g, '/');
      if (args.path !== 'jsonc-parser' && !importer.includes('/node_modules/jsonc-parser/')) return undefined;
      const r = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { jsoncPure: true },
      });
      if (r.errors.length || r.external) return undefined;
      return { path: r.path, namespace: r.namespace, sideEffects: false };
    });
  },
};

// `import * as fs from 'node:fs'` becomes `__toESM(require("node:fs"), 1)` in a CommonJS bundle: a copy of the
// module's exports as getters (a hundred for node:fs), made once per importing module — eight in the owners bundle,
// ~4 ms of every `flywheel owners`. A Node built-in is a CommonJS module whose properties are its named exports, so a
// binding whose every use is a named member (`fs.readFileSync`, never `fs.default`, never the binding passed on whole)
// can be the module itself. Rewritten in the written bundle (esbuild has no option for it); any other binding keeps
// its copy. Only the unminified build is rewritten (the one `npm run build` and `npm run package` make): minified
// names are not recognised, which only costs the copies.
const builtinNamespaces = {
  name: 'builtin-namespaces',
  setup(build) {
    build.onEnd((result) => {
      const file = build.initialOptions.outfile;
      if (result.errors.length || !file) return;
      const text = readFileSync(file, 'utf8');
      const next = text.replace(
        /\b([A-Za-z_$][\w$]*) = __toESM\(require\("(node:[a-z_/]+)"\), 1\)/g,
        (whole, name, mod) => (onlyNamedMembers(text, name) ? `${name} = require("${mod}")` : whole),
      );
      if (next !== text) writeFileSync(file, next);
    });
  },
};

/**
 * Whether every use of the binding `name` in a bundle reads a named member other than `default`: `name.x`, or
 * `const { x } = name`. Its own assignment and a `var a, name;` declaration are not uses; string literals are blanked
 * first (`"node:fs"` names a module, not the binding). Anything else — `name.default`, `name["x"]`, the binding passed
 * on or spread — keeps the copy.
 */
function onlyNamedMembers(text, name) {
  const code = text.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""');
  const escaped = name.replace(/\$/g, '\\$');
  for (const m of code.matchAll(new RegExp(`(?<![\\w$.])${escaped}(?![\\w$])`, 'g'))) {
    const before = code.slice(Math.max(0, m.index - 200), m.index);
    const after = code.slice(m.index + name.length, m.index + name.length + 64);
    if (/^ = __toESM\(require\(/.test(after)) continue;
    if (/(?:^|\n)var [\w$, ]*$/.test(before) && /^[,;]/.test(after)) continue;
    if (/^\.(?!default\b)[A-Za-z_$]/.test(after)) continue;
    const destructured = /\{([^{}]*)\}\s*=\s*$/.exec(before);
    if (destructured && !/\bdefault\b/.test(destructured[1]) && /^\s*[;,)]/.test(after)) continue;
    return false;
  }
  return true;
}

// The CLI starts from a small bundle (the dispatcher, main.ts) and loads each verb from its own bundle when it runs:
// `flywheel --version` reads a few kilobytes, `flywheel owners` never parses the Markdown or JSON Schema code.
const VERBS = [
  ...['check', 'owners', 'permissions'],
  // The flywheel's verbs (`signal` carries its add and list sub-commands in its bundle).
  ...['signal', 'propose', 'proposals', 'ratify', 'reject', 'apply', 'ledger', 'audit'],
  // Agent-session mining and the flywheel report.
  ...['signals', 'report'],
];
const verbsApart = {
  name: 'cli-verbs-apart',
  setup(build) {
    const filter = new RegExp(`^\\./(${VERBS.join('|')})$`);
    build.onResolve({ filter }, (args) => {
      if (!args.importer.endsWith('main.ts')) return undefined;
      const verb = args.path.slice(2);
      // `owners` (no dynamic import() in its bundle) is loaded through V8's code cache on Node 20: cli/code-cache.ts.
      if (verb === 'owners') return { path: verb, namespace: 'cached-verb' };
      return { path: `./cli-${verb}.cjs`, external: true };
    });
    build.onLoad({ filter: /.*/, namespace: 'cached-verb' }, (args) => ({
      contents: [
        "const { requireCached } = require('./code-cache');",
        "module.exports = Number(process.versions.node.split('.')[0]) >= 22",
        `  ? require('./cli-${args.path}.cjs')`,
        `  : requireCached(require('node:path').join(__dirname, 'cli-${args.path}.cjs'));`,
      ].join('\n'),
      resolveDir: 'server/src/cli',
      loader: 'js',
    }));
    build.onResolve({ filter: /^\.\/cli-[a-z]+\.cjs$/ }, (args) => ({ path: args.path, external: true }));
  },
};

// ajv (a third of a verb's bundle) is its own bundle, `out/cli-ajv.cjs`, required only when a policy file is validated
// (engine/policy/load.ts looks it up then): `flywheel owners` on a repository without a policy file never loads it.
// The policy schema's validator is compiled at build time (ajv's standalone code, out/cli-policy-validator.cjs):
// compiling it cost every run of a verb on a repository with a policy file ~60 ms. load.ts compiles only that
// schema, with these options; any other compile() falls back to ajv itself.
const POLICY_AJV_OPTIONS = { allErrors: true, strict: false, validateSchema: false };
const ajvApart = {
  name: 'cli-ajv-apart',
  setup(build) {
    build.onResolve({ filter: /^ajv$/ }, (args) =>
      args.importer.endsWith('load.ts') ? { path: 'ajv', namespace: 'lazy-ajv' } : undefined,
    );
    build.onResolve({ filter: /^\.\/cli-(ajv|policy-validator)\.cjs$/ }, (args) => ({
      path: args.path,
      external: true,
    }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-ajv' }, () => ({
      // A constructor standing in for Ajv: `new Ajv(options)` returns the real instance, loaded on first use — except
      // for the policy schema with the options it was built with, whose validator was compiled at build time.
      contents: [
        `const OPTIONS = ${JSON.stringify(JSON.stringify(POLICY_AJV_OPTIONS))};`,
        `const ID = ${JSON.stringify(policySchema.$id)};`,
        'module.exports = function Ajv(options) {',
        "  const real = () => { const m = require('./cli-ajv.cjs'); return new (m.default || m)(options); };",
        '  if (JSON.stringify(options) !== OPTIONS) return real();',
        '  let ajv;',
        '  return {',
        "    compile: (s) => (s && s.$id === ID ? require('./cli-policy-validator.cjs') : (ajv ??= real()).compile(s)),",
        '    addKeyword: (k) => (ajv ??= real()).addKeyword(k),',
        '  };',
        '};',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

// node:crypto costs ~4.5 ms of CPU to load and most runs of a verb never hash: the verbs' bundles get functions that
// load it on first call. ESM exports, so esbuild fails the build when code imports any other name (and warns when it
// reads one off the namespace): add it here. `hash` is Node 20.12's one-shot hash, done with a Hash object on an
// older Node (the form the code calls: algorithm, string, encoding).
const lazyCrypto = {
  name: 'cli-lazy-crypto',
  setup(build) {
    build.onResolve({ filter: /^node:crypto$/ }, (args) =>
      args.namespace === 'file' ? { path: 'node:crypto', namespace: 'lazy-crypto' } : undefined,
    );
    build.onResolve({ filter: /^node:crypto$/, namespace: 'lazy-crypto' }, () => ({
      path: 'node:crypto',
      external: true,
    }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-crypto' }, () => ({
      contents: [
        'let crypto;',
        "const load = () => (crypto ??= require('node:crypto'));",
        'export const createHash = (...a) => load().createHash(...a);',
        'export const randomBytes = (...a) => load().randomBytes(...a);',
        'export const hash = (algorithm, data, encoding) => {',
        '  const c = load();',
        '  return c.hash ? c.hash(algorithm, data, encoding) : c.createHash(algorithm).update(data).digest(encoding);',
        '};',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

// node:child_process brings Node's stream, net and dgram modules with it (~5 ms of CPU per run), and `flywheel owners`
// in a plain git work tree reads git's index itself and never starts a process: the verbs' bundles get functions
// that load it on first call. ESM exports, so esbuild fails the build when code imports any other name: add it here.
const lazyChildProcess = {
  name: 'cli-lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.namespace === 'file' ? { path: 'node:child_process', namespace: 'lazy-child-process' } : undefined,
    );
    build.onResolve({ filter: /^node:child_process$/, namespace: 'lazy-child-process' }, () => ({
      path: 'node:child_process',
      external: true,
    }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: [
        'let cp;',
        "const load = () => (cp ??= require('node:child_process'));",
        'export const spawn = (...a) => load().spawn(...a);',
        'export const spawnSync = (...a) => load().spawnSync(...a);',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

// JSON imports (the policy schema, 27 kB; the baseline policy) as `JSON.parse` of a string: V8 parses a string
// literal in no time and JSON.parse builds the objects faster than a 27 kB object literal (its whole text is parsed
// when the bundle is compiled, on every run). Same value: a module's one object.
const jsonAsString = {
  name: 'cli-json-as-string',
  setup(build) {
    build.onLoad({ filter: /\.json$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      return {
        contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(text)))});`,
        loader: 'js',
      };
    });
  },
};

// The `ignore` package (gitignore rules, 30 kB) is its own bundle, `out/cli-ignore.cjs`: `flywheel owners` in a git
// work tree never lists the workspace, so it never needs it, and a verb's bundle is compiled whole on every run.
const ignoreApart = {
  name: 'cli-ignore-apart',
  setup(build) {
    build.onResolve({ filter: /^ignore$/ }, (args) =>
      args.namespace === 'file' ? { path: 'ignore', namespace: 'lazy-ignore' } : undefined,
    );
    build.onResolve({ filter: /^\.\/cli-ignore\.cjs$/ }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-ignore' }, () => ({
      // ignore() and ignore.isPathValid(), the package's API, loaded on first use.
      contents: [
        "const load = () => require('./cli-ignore.cjs');",
        'function ignore(options) { return load()(options); }',
        'ignore.isPathValid = (p) => load().isPathValid(p);',
        'module.exports = ignore;',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

/** The policy schema's validator as CommonJS source (ajv standalone; its runtime helpers are bundled with it). */
function policyValidatorSource() {
  const Ajv = require('ajv').default;
  const standalone = require('ajv/dist/standalone').default;
  const ajv = new Ajv({ ...POLICY_AJV_OPTIONS, code: { source: true } });
  return standalone(ajv, ajv.compile(policySchema));
}

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'out/extension.cjs', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'out/server.cjs' },
  {
    entryPoints: ['server/src/cli.ts'],
    outfile: 'out/cli.cjs',
    plugins: [verbsApart],
    // `import('./cli-owners.cjs')` as require(): the ESM loader would scan the whole verb bundle for its exports.
    supported: { 'dynamic-import': false },
    // The dispatcher uses no import.meta.url: no banner computing it (url's pathToFileURL is a tenth of --version).
    banner: { js: '#!/usr/bin/env node' },
  },
  { stdin: { contents: "module.exports = require('ajv');", resolveDir: '.' }, outfile: 'out/cli-ajv.cjs' },
  { stdin: { contents: "module.exports = require('ignore');", resolveDir: '.' }, outfile: 'out/cli-ignore.cjs' },
  { stdin: { contents: policyValidatorSource(), resolveDir: '.' }, outfile: 'out/cli-policy-validator.cjs' },
  ...VERBS.map((v) => ({
    entryPoints: [`server/src/cli/${v}.ts`],
    outfile: `out/cli-${v}.cjs`,
    plugins: [ajvApart, lazyCrypto, lazyChildProcess, ignoreApart, jsonAsString],
    // Dynamic imports stay import(): web-tree-sitter's `await import('module')` turned into require() would read its
    // own hoisted `var require` (undefined) and fail.
  })),
];

// The shell parser's WebAssembly (server/src/node/shell-parser.ts finds it beside the bundle).
mkdirSync('out', { recursive: true });
for (const f of ['web-tree-sitter/web-tree-sitter.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm'])
  copyFileSync(require.resolve(f), `out/${basename(f)}`);

const contexts = await Promise.all(
  entries.map((e) =>
    esbuild.context({ ...common, ...e, plugins: [jsoncPure, ...(e.plugins ?? []), builtinNamespaces] }),
  ),
);
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

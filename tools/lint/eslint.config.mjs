// ESLint for the whole repository (run from the root: `npm run lint`; the root eslint.config.mjs re-exports this).
// It lives in the tools/lint workspace because typescript-eslint needs the TypeScript compiler API, which the
// native TypeScript 7 used for the build does not offer: this workspace pins TypeScript 5.9 for the linter alone.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Packages and built-ins the engine may never import: it is pure (no editor, no protocol, no file system, no processes). */
const engineForbiddenPackages = [
  { name: 'vscode', message: 'The engine is pure: no vscode.' },
  { name: 'vscode-languageserver', message: 'The engine is pure: LSP types live in server/src/lsp.' },
  { name: 'vscode-languageclient', message: 'The engine is pure: no LSP client.' },
  ...['fs', 'fs/promises', 'child_process'].flatMap((m) => [
    { name: m, message: 'The engine reads through the Snapshot; effects live in server/src/node.' },
    { name: `node:${m}`, message: 'The engine reads through the Snapshot; effects live in server/src/node.' },
  ]),
];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'tools/lint/node_modules/**',
      'test/fixtures/**',
      'examples/**',
      '.vscode-test/**',
      'test-results/**',
      '.bench/**',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.mjs', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.mjs', '.js', '.json', '.node'] })],
    },
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' },
    },
    rules: {
      // The same convention as tsc's noUnusedLocals/noUnusedParameters: a leading _ marks a name kept on purpose
      // (a destructured key left out of the rest, a parameter an interface requires).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // Prettier lays code out at 120; this catches what it cannot break. String and template literals are exempt: a
      // message template stays one greppable sentence (ESLint's own reason for these options).
      'max-len': [
        'error',
        { code: 140, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    rules: {
      // node:test's test() and describe() return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['test', 'describe', 'it', 'suite'], package: 'node:test' },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      // With noUncheckedIndexedAccess a `!` is needed only where an index may miss; the others are noise.
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
    },
  },
  {
    // The LSP idiom (as vscode-languageserver-protocol writes it): `export namespace XRequest { export const type }`.
    files: ['server/src/lsp/protocol.ts'],
    // The namespaces hold the method name and the message type together, one per request; nothing else uses them.
    rules: { '@typescript-eslint/no-namespace': 'off' },
  },
  {
    // Code passed to page.evaluate() runs in the browser; fetch is Node 20's global.
    files: ['scripts/test-editor.mjs'],
    languageOptions: { globals: { document: 'readonly', HTMLElement: 'readonly', fetch: 'readonly' } },
  },
  {
    files: ['server/src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: engineForbiddenPackages,
          patterns: [
            {
              group: ['vscode-languageserver*', 'vscode-languageserver*/**'],
              message: 'The engine is pure: LSP types live in server/src/lsp.',
            },
          ],
        },
      ],
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: root,
          zones: [
            {
              target: './server/src/engine',
              from: './server/src/lsp',
              message: 'The engine never imports the language server.',
            },
            {
              target: './server/src/engine',
              from: './server/src/node',
              message: 'The engine never imports the Node effects.',
            },
            { target: './server/src/engine', from: './server/src/cli', message: 'The engine never imports the CLI.' },
            {
              target: './server/src/engine',
              from: './server/src/server.ts',
              message: 'The engine never imports the server.',
            },
            { target: './server/src/engine', from: './client', message: 'The engine never imports the client.' },
          ],
        },
      ],
    },
  },
  {
    // One flywheel service (server/src/node/flywheel-service/), two front ends: the CLI and the language server call
    // it; neither front end reaches into the other.
    files: ['server/src/lsp/**/*.ts', 'server/src/node/**/*.ts', 'server/src/server.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: root,
          zones: [
            {
              target: ['./server/src/lsp', './server/src/node', './server/src/server.ts'],
              from: './server/src/cli',
              message: 'The language server and the Node effects never import the CLI: call the flywheel service.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['client/src/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: root,
          zones: [
            {
              target: './client/src',
              from: './server/src',
              except: ['./lsp/protocol.ts'],
              message: 'The client imports nothing from the server but server/src/lsp/protocol.ts.',
            },
          ],
        },
      ],
    },
  },
);

// Loads the shell parser (web-tree-sitter + tree-sitter-bash, WebAssembly) for the engine: the .wasm files sit beside
// the bundle (esbuild.mjs copies them into out/) or, when running from source, in node_modules.

import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initShellParser, shellParserReady } from '../engine/permissions/shell';

const FILES = {
  runtime: 'web-tree-sitter/web-tree-sitter.wasm',
  bash: 'tree-sitter-bash/tree-sitter-bash.wasm',
} as const;

function locate(spec: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const beside = path.join(here, path.basename(spec));
  if (fs.existsSync(beside)) return beside;
  return createRequire(import.meta.url).resolve(spec);
}

/** Load the shell parser once (about 60 ms); every later call returns at once. */
export async function loadShellParser(): Promise<void> {
  if (shellParserReady()) return;
  await initShellParser(fs.readFileSync(locate(FILES.runtime)), fs.readFileSync(locate(FILES.bash)));
}

/** The paths of the two .wasm files, for the bundler to copy. */
export const SHELL_PARSER_WASM = Object.values(FILES);

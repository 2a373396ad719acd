// Loaded before every test file (scripts/run-tests.mjs passes it with --import): the shell parser is WebAssembly and
// loads asynchronously, as the CLI and the language server load it at start.
import { loadShellParser } from '../server/src/node/shell-parser';

await loadShellParser();

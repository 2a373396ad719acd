// The `flywheel` command: the same engine as the language server, for the terminal and CI.
// This file is the whole start-up: it loads the dispatcher (main.ts), and the verb that runs is loaded from its own
// bundle only then. The error boundary is in main.ts; what is left for here is the process itself.

import * as nodeModule from 'node:module';
import { main } from './cli/main';

// Node's on-disk compile cache (Node ≥ 22.1): the verbs' bundles are compiled once, not on every run.
try {
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
} catch {
  // no cache: only slower
}

// `flywheel owners --unowned | head`: the reader went away. Nothing more can be said to it; stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

main(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  cwd: process.cwd(),
  // A getter: process.stdin is created on first use, and only `owners --stdin` uses it.
  get stdin() {
    return process.stdin;
  },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // main() catches everything; this is the last resort if writing the message itself failed.
    process.stderr.write(`flywheel: internal error: ${err instanceof Error ? err.message : String(err)} (run with --debug for details)\n`);
    process.exitCode = 2;
  },
);

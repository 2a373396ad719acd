// The `flywheel` command: the same engine as the language server, for the terminal and CI.
// This file is the whole start-up: it loads the dispatcher (main.ts), and the verb that runs is loaded from its own
// bundle only then. The error boundary is in main.ts; what is left for here is the process itself.

import { fstatSync, writeSync } from 'node:fs';
import type * as NodeModule from 'node:module';
import type * as V8 from 'node:v8';
import { main } from './cli/main';

const argv = process.argv.slice(2);
// `--version` and `--help` load nothing more than this file and main.ts; a verb first tunes the process.
if (argv.length && !['--version', '-v', '--help', '-h', 'help'].includes(argv[0] ?? '')) {
  // Node's on-disk compile cache (Node ≥ 22.1): the verbs' bundles are compiled once, not on every run.
  // `node:module` and `node:v8` are required here, not imported: `node:v8` brings Node's stream machinery with it,
  // which `--version` and `--help` never need.
  if (Number(process.versions.node.split('.')[0]) >= 22) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only by a verb (see above)
      (require('node:module') as typeof NodeModule & { enableCompileCache?: () => unknown }).enableCompileCache?.();
    } catch {
      // no cache: only slower
    }
  }
  if (argv[0] === 'owners') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only by a verb (see above)
    const { setFlagsFromString } = require('node:v8') as typeof V8;
    // A one-shot pass over a file list: keep V8's young generation at its initial size instead of letting it double
    // up to 32 MB while the list is built (−25 MB peak RSS on 50,000 files, no slower). V8 reads it at each growth.
    // Not for the other verbs: they keep what they read (10,000 flywheel records), and a young generation held at
    // 1 MB copies each record through some 200 scavenges (a third of `flywheel check`'s CPU at 10k signals).
    setFlagsFromString('--semi-space-growth-factor=1');
    // One pass over the files, too short for V8's optimising compiler to pay for itself — without it the run takes
    // less CPU (DataDog integrations-extras −15 %) and less memory (−7 MB at 50,000 files), measured in
    // docs/performance.md. The interpreter and the baseline compiler still run the code.
    setFlagsFromString('--no-opt');
  }
}

/**
 * Output straight to the file descriptor: `process.stdout` would load Node's stream machinery (a third of
 * `flywheel --version`'s time). Falls back to the stream when the descriptor is non-blocking and full (EAGAIN).
 * `flywheel owners --unowned | head`: the reader went away (EPIPE) — nothing more can be said to it; stop quietly.
 */
function writer(fd: 1 | 2): (text: string) => void {
  let stream: NodeJS.WriteStream | undefined;
  return (text) => {
    if (stream) {
      stream.write(text);
      return;
    }
    const buf = Buffer.from(text);
    let off = 0;
    try {
      while (off < buf.length) off += writeSync(fd, buf, off);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
      if (code !== 'EAGAIN') throw err;
      stream = fd === 1 ? process.stdout : process.stderr;
      stream.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') process.exit(process.exitCode ?? 0);
      });
      stream.write(buf.subarray(off));
    }
  };
}

/**
 * Whether a descriptor is a terminal. A pipe, a file or a socket never is, which one fstat tells: asking
 * `process.stdout` first would build a socket for a pipe, loading Node's net and stream modules (~8 ms of
 * `flywheel owners --unowned | …` on 5,000 files) only to learn that it is not one.
 */
function isTerminal(fd: 1 | 2): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    // fstat refused (a Windows console before Node 20.3): ask the stream, as before.
  }
  return Boolean((fd === 1 ? process.stdout : process.stderr).isTTY);
}

main(argv, {
  out: writer(1),
  err: writer(2),
  // Getters: process.stdout and process.stdin are created on first use, and --version / --help use neither.
  get color() {
    return !process.env.NO_COLOR && isTerminal(1);
  },
  cwd: process.cwd(),
  get stdin() {
    return process.stdin;
  },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // main() catches everything; this is the last resort if writing the message itself failed.
    process.stderr.write(
      `flywheel: internal error: ${err instanceof Error ? err.message : String(err)} (run with --debug for details)\n`,
    );
    process.exitCode = 2;
  },
);

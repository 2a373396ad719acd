// The `flywheel` command: the same engine as the language server, for the terminal and CI.

import { main } from './cli/main';

main(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`flywheel: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);

// `flywheel signal add|list`: capture a signal; list them grouped by near-duplicates.

import { UsageError, EXIT_USAGE, type CliIO } from './io';

const HELP = `Usage: flywheel signal add --kind K --summary S [options]
       flywheel signal list [options]

Run \`flywheel signal add --help\` or \`flywheel signal list --help\` for the options.
`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'add') return (await import('./signal-add')).run(rest, io);
  if (sub === 'list') return (await import('./signal-list')).run(rest, io);
  if (sub === '--help' || sub === '-h') {
    io.out(HELP);
    return 0;
  }
  if (sub === undefined) {
    io.err(HELP);
    return EXIT_USAGE;
  }
  throw new UsageError(`unknown sub-command "${sub}" (add or list)`);
}

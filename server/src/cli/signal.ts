// `flywheel signal add|list`: capture a signal; list them grouped by near-duplicates.

import { EXIT_OK, parseFlags, UsageError, type CliIO } from './io';

const HELP = `Usage: flywheel signal add --kind K --summary S [options]
       flywheel signal list [options]

Run \`flywheel signal add --help\` or \`flywheel signal list --help\` for the options.
`;

/** The flags `signal` itself takes, before its sub-command (the malformed-flag test reads them). */
export const OPTIONS = { help: { type: 'boolean', short: 'h', default: false } } as const;

/** The sub-commands and the module of each (their own OPTIONS). */
export const SUBCOMMANDS = ['add', 'list'] as const;

export async function run(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'add') return (await import('./signal-add')).run(rest, io);
  if (sub === 'list') return (await import('./signal-list')).run(rest, io);
  const { values, positionals } = parseFlags(args, OPTIONS);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  if (positionals[0] === undefined) throw new UsageError('give a sub-command: add or list (see --help)');
  throw new UsageError(`unknown sub-command "${positionals[0]}" (add or list)`);
}

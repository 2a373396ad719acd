// Sub-command dispatch. Each sub-command is a module exporting `run(args, io): Promise<number>`.

import { EXIT_USAGE, UsageError, type CliIO } from './io';
import { run as check } from './check';

type Command = (args: string[], io: CliIO) => Promise<number>;

const COMMANDS: Record<string, { run: () => Promise<Command>; summary: string }> = {
  check: { run: async () => check, summary: 'check governance files against the policy' },
  owners: { run: async () => (await import('./owners')).run, summary: 'who owns a path, unowned paths, coverage' },
  permissions: { run: async () => (await import('./permissions')).run, summary: 'explain a tool call; the effective permission set' },
  signals: { run: async () => (await import('./signals')).run, summary: 'candidate signals mined from agent sessions (scan)' },
};

import { VERSION } from './version';

export { VERSION };

export function usage(): string {
  const lines = ['Usage: flywheel <command> [options]', '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(12)} ${c.summary}`);
  lines.push('', 'Run `flywheel <command> --help` for its options.', '');
  return lines.join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v') {
    io.out(VERSION + '\n');
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.err(`flywheel: unknown command "${name}"\n\n${usage()}`);
    return EXIT_USAGE;
  }
  try {
    return await (await cmd.run())(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`flywheel ${name}: ${err.message}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof TypeError && /Unknown option|Unexpected argument|requires a value|must be/.test(err.message)) {
      io.err(`flywheel ${name}: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

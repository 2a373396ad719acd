// Sub-command dispatch. Each sub-command is a module exporting `run(args, io): Promise<number>`.

import { EXIT_USAGE, UsageError, type CliIO } from './io';
import { run as check } from './check';

type Command = (args: string[], io: CliIO) => Promise<number>;

const COMMANDS: Record<string, { run: () => Promise<Command>; summary: string }> = {
  check: { run: async () => check, summary: 'check governance files against the policy' },
  owners: { run: async () => (await import('./owners')).run, summary: 'who owns a path, unowned paths, coverage' },
  permissions: { run: async () => (await import('./permissions')).run, summary: 'explain a tool call; the effective permission set' },
  signal: { run: async () => (await import('./signal')).run, summary: 'capture a signal (add); list signals grouped (list)' },
  propose: { run: async () => (await import('./propose')).run, summary: 'route signals into proposals for the owners' },
  proposals: { run: async () => (await import('./proposals')).run, summary: 'list proposals by status or by who may ratify' },
  ratify: { run: async () => (await import('./ratify')).run, summary: 'ratify a proposal (an owner of its target)' },
  reject: { run: async () => (await import('./reject')).run, summary: 'reject a proposal, with the reason' },
  apply: { run: async () => (await import('./apply')).run, summary: 'apply a ratified proposal to its target' },
  ledger: { run: async () => (await import('./ledger')).run, summary: 'verify the tamper-evident ledger (verify)' },
  audit: { run: async () => (await import('./audit')).run, summary: 'export the ledger for a SIEM (export --format jsonl)' },
  signals: { run: async () => (await import('./signals')).run, summary: 'candidate signals mined from agent sessions (scan)' },
  report: { run: async () => (await import('./report')).run, summary: 'is the flywheel turning? (--format md|html|json)' },
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
    if (err instanceof TypeError && /Unknown option|Unexpected argument|requires a value|must be|is ambiguous/.test(err.message)) {
      io.err(`flywheel ${name}: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

// Sub-command dispatch and the CLI's one error boundary. Each sub-command is a module exporting
// `run(args, io): Promise<number>`, loaded only when it runs (`--help` and `--version` load none of them). In the
// bundle each verb is its own file (esbuild.mjs), so a verb pays only for the engine parts it uses.
//
// The boundary: every failure a user can meet ends as one line on stderr and a documented exit code, never a stack
// trace — usage errors (bad flags, arguments) and expected failures (a file that cannot be written) exit 2 with
// their message; anything else is an internal error: a short message and "run with --debug for details".

import { EXIT_USAGE, type CliIO } from './io';
import { VERSION } from './version';

type Command = (args: string[], io: CliIO) => Promise<number>;

export const COMMANDS: Record<string, { run: () => Promise<Command>; summary: string }> = {
  check: { run: async () => (await import('./check')).run, summary: 'check governance files against the policy' },
  owners: { run: async () => (await import('./owners')).run, summary: 'who owns a path, unowned paths, coverage' },
  permissions: {
    run: async () => (await import('./permissions')).run,
    summary: 'explain a tool call; the effective permission set',
  },
  signal: {
    run: async () => (await import('./signal')).run,
    summary: 'capture a signal (add); list signals grouped (list)',
  },
  propose: { run: async () => (await import('./propose')).run, summary: 'route signals into proposals for the owners' },
  proposals: {
    run: async () => (await import('./proposals')).run,
    summary: 'list proposals by status or by who may ratify',
  },
  ratify: { run: async () => (await import('./ratify')).run, summary: 'ratify a proposal (an owner of its target)' },
  reject: { run: async () => (await import('./reject')).run, summary: 'reject a proposal, with the reason' },
  apply: { run: async () => (await import('./apply')).run, summary: 'apply a ratified proposal to its target' },
  ledger: { run: async () => (await import('./ledger')).run, summary: 'verify the tamper-evident ledger (verify)' },
  audit: {
    run: async () => (await import('./audit')).run,
    summary: 'export the ledger for a SIEM (export --format jsonl)',
  },
  signals: {
    run: async () => (await import('./signals')).run,
    summary: 'candidate signals mined from agent sessions (scan)',
  },
  report: {
    run: async () => (await import('./report')).run,
    summary: 'is the flywheel turning? (--format md|html|json)',
  },
};

export { VERSION };

export function usage(): string {
  const lines = ['Usage: flywheel <command> [options]', '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(12)} ${c.summary}`);
  lines.push(
    '',
    'Run `flywheel <command> --help` for its options; add --debug to any command for internal details.',
    '',
  );
  return lines.join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  // --debug is the boundary's own flag, accepted anywhere before a `--`.
  const end = argv.indexOf('--');
  const debug = argv.some((a, i) => a === '--debug' && (end < 0 || i < end));
  const args = debug ? argv.filter((a, i) => a !== '--debug' || (end >= 0 && i > end)) : argv;
  const [name, ...rest] = args;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return 0;
  }
  if (!name) {
    io.err(usage());
    return EXIT_USAGE;
  }
  if (name === '--version' || name === '-v') {
    io.out(VERSION + '\n');
    return 0;
  }
  const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!cmd) {
    io.err(
      `flywheel: unknown command "${oneLine(name)}" (commands: ${Object.keys(COMMANDS).join(', ')}; see flywheel --help)\n`,
    );
    return EXIT_USAGE;
  }
  try {
    return await (
      await cmd.run()
    )(rest, io);
  } catch (err) {
    const expected = describeExpected(err);
    if (expected !== undefined) {
      io.err(`flywheel ${name}: ${expected}\n`);
      return EXIT_USAGE;
    }
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    if (debug) io.err(`flywheel ${name}: internal error: ${err instanceof Error ? (err.stack ?? message) : message}\n`);
    else io.err(`flywheel ${name}: internal error: ${oneLine(message)} (run with --debug for details)\n`);
    return EXIT_USAGE;
  }
}

/** The one-line message of an expected failure, or undefined for an unexpected one (a bug). */
export function describeExpected(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  // By name, not instanceof: a verb's bundle has its own copy of these classes.
  if (err.name === 'UsageError' || err.name === 'CliError' || err.name === 'OutputError') return oneLine(err.message);
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_'))
    return `${parseArgsMessage(err.message)} (see --help)`;
  // A system call refused (a file that cannot be read or written): name the path and the reason, not the stack.
  const sys = err as NodeJS.ErrnoException;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code) && sys.syscall) {
    return `cannot ${sys.syscall}${sys.path ? ` ${sys.path}` : ''}: ${SYSTEM_REASONS[code] ?? code}`;
  }
  return undefined;
}

const SYSTEM_REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
};

/** node:util parseArgs' messages span lines ("… is ambiguous.\nDid you forget …"): keep them to one line. */
function parseArgsMessage(message: string): string {
  const ambiguous = /^Option '(-[^' ]+)(?:[^']*)' argument is ambiguous/.exec(message);
  if (ambiguous) {
    const flag = ambiguous[1] ?? '';
    return `${flag} needs a value; to give one starting with "-", write ${flag}=VALUE`;
  }
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1] ?? ''}`;
  return oneLine(message);
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

// What a CLI command gets: its arguments, where to write, and whether colour is wanted.

import { parseArgs, type ParseArgsConfig } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Colour only on a TTY (and not when NO_COLOR is set). */
  color: boolean;
  cwd: string;
  /** Standard input, for the verbs that read it (`owners --stdin`). */
  stdin?: AsyncIterable<Buffer | string>;
}

/** Exit codes: 0 = clean, 1 = findings over the threshold, 2 = usage error or internal failure. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

// Each verb is its own bundle with its own copy of these classes: the boundary (main.ts) knows them by name.
// UsageError is the flywheel service's (the editor's requests answer it as `usage`).
import { UsageError } from '../node/flywheel-service/errors';

export { UsageError };

/** An expected failure the user can act on (a file that cannot be written, …): one line, exit 2, no stack. */
export class CliError extends Error {
  override name = 'CliError';
}

/**
 * `parseArgs`, strict, plus what it lets through: a string option given an empty value (`--output=`,
 * `--policy ""`) is a usage error, not "not given". Its own errors (unknown flag, missing value) are turned into
 * a UsageError with one line by the boundary in main.ts.
 */
export function parseFlags<const T extends OptionsConfig>(args: string[], options: T) {
  const parsed = parseArgs({ args, options, allowPositionals: true, strict: true, tokens: true });
  // Every occurrence, not only the value kept: `--kind= --kind x` and a repeatable `--file ''` are refused too.
  for (const t of parsed.tokens) {
    if (t.kind === 'option' && t.value === '') throw new UsageError(`--${t.name} needs a value (got an empty one)`);
  }
  return parsed;
}

export const paint = (on: boolean) => ({
  red: (s: string) => (on ? `\x1b[31m${s}\x1b[39m` : s),
  yellow: (s: string) => (on ? `\x1b[33m${s}\x1b[39m` : s),
  blue: (s: string) => (on ? `\x1b[34m${s}\x1b[39m` : s),
  dim: (s: string) => (on ? `\x1b[2m${s}\x1b[22m` : s),
  bold: (s: string) => (on ? `\x1b[1m${s}\x1b[22m` : s),
  underline: (s: string) => (on ? `\x1b[4m${s}\x1b[24m` : s),
});

// What a CLI command gets: its arguments, where to write, and whether colour is wanted.

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Colour only on a TTY (and not when NO_COLOR is set). */
  color: boolean;
  cwd: string;
}

/** Exit codes: 0 = clean, 1 = findings over the threshold, 2 = usage error or internal failure. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

export const paint = (on: boolean) => ({
  red: (s: string) => (on ? `\x1b[31m${s}\x1b[39m` : s),
  yellow: (s: string) => (on ? `\x1b[33m${s}\x1b[39m` : s),
  blue: (s: string) => (on ? `\x1b[34m${s}\x1b[39m` : s),
  dim: (s: string) => (on ? `\x1b[2m${s}\x1b[22m` : s),
  bold: (s: string) => (on ? `\x1b[1m${s}\x1b[22m` : s),
  underline: (s: string) => (on ? `\x1b[4m${s}\x1b[24m` : s),
});

// Bad input from the person (a missing option, a malformed value): exit 2 in the CLI, `usage` in the editor.
// The CLI's boundary (main.ts) knows it by name: each verb bundle has its own copy of the class.

export class UsageError extends Error {
  override name = 'UsageError';
}

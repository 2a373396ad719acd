// Arrays kept for a whole run, at their exact length. V8 gives an array filled by `push` room for 16 more elements
// (and half again as it grows), so a CODEOWNERS file's thousands of one- and two-element lists (owners, bucket lists,
// a directory's candidates) would hold ten times the memory they use. For a one-shot CLI run every kept byte is a
// byte the garbage collector copies and a page the kernel maps (docs/performance.md): kept lists are copied once,
// to their length, when they are complete.

/** `xs` at its exact length (a copy, unless it is empty). */
export function exact<T>(xs: T[]): T[] {
  return xs.length ? xs.slice() : xs;
}

// Guards for JSON parsing. jsonc-parser's parser is recursive, so a file nested 10,000 levels deep would overflow the
// stack: every parse of user JSON checks the depth first with this linear scan.

/** Deeper than this is refused before parsing (real settings and policies nest fewer than 10 levels). */
export const MAX_DEPTH = 256;

/** The deepest nesting of objects/arrays, scanning strings correctly; stops counting past `limit`. */
export function nestingDepth(text: string, limit = MAX_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 125 || c === 93) depth = Math.max(0, depth - 1);
  }
  return max;
}

/**
 * jsonc-parser's errors, one per offset: at one bad character it often reports two (a trailing comma before `}` is
 * "property name expected" and "value expected"; an unterminated object "value expected" and "close brace
 * expected"). One problem, one finding: the first error at an offset is kept.
 */
export function errorsOncePerOffset<E extends { offset: number }>(errors: readonly E[]): E[] {
  const seen = new Set<number>();
  return errors.filter((e) => !seen.has(e.offset) && (seen.add(e.offset), true));
}

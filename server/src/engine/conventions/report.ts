// Small helpers for the conventions rules: ranges from parsed offsets, and the policy's related location.

import type { ResolvedPolicy } from '../policy/types';
import type { Range, RelatedLocation } from '../types';
import type { ParsedConvention, Span } from './parse';

export function rangeOf(p: ParsedConvention, span: Span): Range {
  return p.lines.range(span.start, span.end);
}

/** The first line of a file (where a whole-file finding goes), or its first heading. */
export function headRange(p: ParsedConvention | undefined): Range {
  if (!p) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const h = p.headings[0];
  if (h && h.start < 2000) return rangeOf(p, h);
  return p.lines.lineRange(0);
}

export function policyRelated(policy: ResolvedPolicy, pointer: string, message: string): RelatedLocation[] {
  const o = policy.origin(pointer);
  return o ? [{ ...o, message }] : [];
}

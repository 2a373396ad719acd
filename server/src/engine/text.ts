// Offsets ↔ positions, and small text helpers shared by the parsers.

import type { Position, Range } from './types';

export class LineIndex {
  /** Offset of the first character of each line. Lines end at \n; a preceding \r belongs to the line ending. */
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.lineStarts[lo]! };
  }

  offsetAt(pos: Position): number {
    if (pos.line >= this.lineStarts.length) return this.text.length;
    if (pos.line < 0) return 0;
    return Math.min(this.lineStarts[pos.line]! + pos.character, this.lineEnd(pos.line));
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** Offset just past the line's content (before \r\n or \n). */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1]! - 1 : this.text.length;
    return next > this.lineStarts[line]! && this.text[next - 1] === '\r' && next < this.text.length ? next - 1 : next;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStarts[line], this.lineEnd(line));
  }

  /** The whole line as a range (without its line ending). */
  lineRange(line: number): Range {
    return this.range(this.lineStarts[line]!, this.lineEnd(line));
  }
}

export function range(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

/** The range 0:0-0:0: a finding about a whole file, or about a file that does not exist. */
export const FILE_START: Range = range(0, 0, 0, 0);

/** The line ending a file uses (\r\n when its first line ending is one). */
export function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/** An edit that appends `lines` at the end of a file, adding a line break first when the file lacks one. */
export function appendLinesEdit(text: string, lines: string[]): { range: Range; newText: string } {
  const idx = new LineIndex(text);
  const eol = eolOf(text);
  const end = idx.positionAt(text.length);
  const needsBreak = text.length > 0 && !text.endsWith('\n');
  return { range: { start: end, end }, newText: (needsBreak ? eol : '') + lines.join(eol) + eol };
}

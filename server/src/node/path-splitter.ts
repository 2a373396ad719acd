// Paths from a byte stream, split at a separator byte (NUL as `git ls-files -z` writes them, or a newline): each
// path handed over as soon as it is complete, the stream never held whole.

/** Splits the chunks given to `push` at `sep` and hands each non-empty path to `each`; `end` hands over the last. */
export class PathSplitter {
  /** Paths handed over so far. */
  count = 0;
  private rest: Buffer | undefined;
  private readonly sep: number;
  private readonly each: (path: string) => void;

  constructor(sep: number, each: (path: string) => void) {
    this.sep = sep;
    this.each = each;
  }

  push(chunk: Buffer): void {
    const data = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = undefined;
    let start = 0;
    for (let at = data.indexOf(this.sep, start); at >= 0; at = data.indexOf(this.sep, start)) {
      if (at > start) this.emit(data.toString('utf8', start, at));
      start = at + 1;
    }
    // The incomplete last path: copied, so the chunk it came from is not kept alive.
    if (start < data.length) this.rest = Buffer.from(data.subarray(start));
  }

  /** The end of the stream: a remainder (a last path without its separator) is handed over as it is. */
  end(): void {
    const rest = this.rest;
    this.rest = undefined;
    if (rest?.length) this.emit(rest.toString('utf8'));
  }

  private emit(path: string): void {
    this.each(path);
    this.count++;
  }
}

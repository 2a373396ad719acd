// Line-by-line reading of a transcript that can be any size: a stream in 1 MiB chunks, one line at a time, never
// more than `maxLineBytes` of a line held (a longer line is skipped and reported), stoppable with an AbortSignal.

import * as fs from 'node:fs';

export interface LineReadOptions {
  signal?: AbortSignal;
  /** Longest line kept; a longer one is skipped (default 16 MiB). */
  maxLineBytes?: number;
  /** Give up after this many bytes (default: no limit). */
  maxBytes?: number;
}

export interface LineReadResult {
  lines: number;
  bytes: number;
  /** 1-based numbers of the lines that were too long to read. */
  oversized: number[];
}

export class ScanCancelled extends Error {
  constructor() {
    super('the scan was cancelled');
  }
}

/** Calls `onLine(text, lineNumber)` for every line of `file` (a trailing `\r` removed). */
export async function readLines(
  file: string,
  onLine: (text: string, line: number) => void,
  o: LineReadOptions = {},
): Promise<LineReadResult> {
  const max = o.maxLineBytes ?? 16 * 1024 * 1024;
  const res: LineReadResult = { lines: 0, bytes: 0, oversized: [] };
  let pending: Buffer[] = [];
  let pendingLen = 0;
  let dropping = false;
  const emit = (buf: Buffer) => {
    res.lines++;
    if (dropping) {
      dropping = false;
      if (res.oversized.length < 100) res.oversized.push(res.lines);
      return;
    }
    let s = buf.toString('utf8');
    if (s.endsWith('\r')) s = s.slice(0, -1);
    onLine(s, res.lines);
  };
  const stream = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (o.signal?.aborted) throw new ScanCancelled();
      res.bytes += chunk.length;
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, nl);
        if (!dropping && pendingLen + piece.length <= max) {
          emit(pendingLen ? Buffer.concat([...pending, piece]) : piece);
        } else {
          dropping = true;
          emit(piece);
        }
        pending = [];
        pendingLen = 0;
        start = nl + 1;
        if (o.signal?.aborted) throw new ScanCancelled();
      }
      if (start < chunk.length && !dropping) {
        const rest = chunk.subarray(start);
        if (pendingLen + rest.length > max) {
          dropping = true;
          pending = [];
          pendingLen = 0;
        } else {
          pending.push(Buffer.from(rest));
          pendingLen += rest.length;
        }
      }
      if (o.maxBytes !== undefined && res.bytes >= o.maxBytes) break;
    }
    if (pendingLen || dropping) emit(Buffer.concat(pending));
  } finally {
    stream.destroy();
  }
  return res;
}

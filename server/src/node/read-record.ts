// Recording what the policy loader read, so a later run can tell by replaying the reads whether the policy would load
// the same (and keep the one it has). Moved out of session.ts as it was.

import type { Snapshot } from '../engine/host';
import type { ReadResult } from '../engine/types';

/** One call a loader made on a snapshot, with its answer as a comparable string. */
export interface SnapshotRead {
  method: 'read' | 'readAbsolute' | 'resolvePackageFile' | 'exists' | 'version' | 'listAbsolute';
  arg: string;
  result: string;
}

const REPLAYABLE = new Set<string>(['read', 'readAbsolute', 'resolvePackageFile', 'exists', 'version', 'listAbsolute']);

function answerKey(v: unknown): string {
  if (v === undefined) return 'u';
  if (typeof v === 'string') return 's' + v;
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (Array.isArray(v)) return 'a' + JSON.stringify(v);
  const r = v as ReadResult;
  return r.ok ? `o${r.bom ? 'b' : ''}\0${r.text}` : `n${r.reason}\0${r.message}`;
}

export function replay(snapshot: Snapshot, r: SnapshotRead): string {
  const fn = (snapshot as unknown as Record<string, ((arg: string) => unknown) | undefined>)[r.method];
  return answerKey(fn?.call(snapshot, r.arg));
}

/**
 * A view of `snapshot` that records the answers of its reads. Replayable when the loader only called those with one
 * argument and read no other member than `root` (the session's, fixed): anything else (the file list, …) is not
 * checked by a replay, so it makes the record unusable.
 */
export function recordReads(snapshot: Snapshot, reads: SnapshotRead[]): { snapshot: Snapshot; replayable(): boolean } {
  let ok = true;
  const view = new Proxy(snapshot, {
    get(target, prop) {
      const v: unknown = Reflect.get(target, prop, target);
      if (prop === 'root') return v;
      if (typeof prop === 'string' && REPLAYABLE.has(prop) && typeof v === 'function') {
        return (...args: unknown[]) => {
          const answer: unknown = (v as (...a: unknown[]) => unknown).apply(target, args);
          if (args.length === 1 && typeof args[0] === 'string')
            reads.push({ method: prop as SnapshotRead['method'], arg: args[0], result: answerKey(answer) });
          else ok = false;
          return answer;
        };
      }
      ok = false;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { snapshot: view, replayable: () => ok };
}

// Record ids that never collide across branches or machines: a UTC time stamp (so ids sort by creation) and 8 random
// hex digits (so two people, two branches or two processes creating a record in the same second still differ).
//
//   S-20261206T031307Z-9f2c41ab   (a signal)      P-20261206T031307Z-5d10e3c7   (a proposal)
//   E-20261206T031307123Z-0b7e…   (a ledger event: milliseconds, 12 random hex digits)

import { randomBytes } from 'node:crypto';

export const ID_RE = /^[SPE]-\d{8}T\d{6,9}Z-[0-9a-f]{8,16}$/;

function stamp(d: Date, ms: boolean): string {
  const iso = d.toISOString(); // 2026-12-06T03:13:07.123Z
  const s = iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + 'T' + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19);
  return (ms ? s + iso.slice(20, 23) : s) + 'Z';
}

/** A new id: `prefix-<UTC stamp>-<random hex>`. `random` is for tests (hex digits). */
export function newId(prefix: 'S' | 'P' | 'E', now: Date, random?: string): string {
  const n = prefix === 'E' ? 6 : 4;
  const r = random ?? randomBytes(n).toString('hex');
  return `${prefix}-${stamp(now, prefix === 'E')}-${r}`;
}

/** Whether a string may be used as a record id in a file name (no separators, no `..`). */
export function safeId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/.test(id) && !id.includes('..');
}

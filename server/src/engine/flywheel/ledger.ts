// The ledger: every flywheel event, tamper-evident and merge-friendly.
//
// One JSON file per event, `.governance/ledger/<subject>/<event id>.json`, never rewritten. Each event carries
//   hash — the SHA-256 of its own canonical JSON (keys sorted, no spaces) without `hash`;
//   prev — the hashes of the subject's latest events when it was written (its heads: one, or several after a merge).
// So the events of one subject (a signal or a proposal) form a hash-linked graph, like git's commits:
//   - editing a byte of an event breaks its `hash` (or, when the hash is recomputed, every later event's `prev`);
//   - deleting an event leaves a `prev` that points at nothing;
//   - two branches that each add events create different files (ids are random), so git merges them without a
//     conflict; the graph then has two heads, and the next event names both.
// What the chain alone cannot tell: that the newest events were dropped or rewritten together (no later event
// points at them). The proposal's status must be backed by its events (`flywheel/ledger-mismatch`), and git history
// with signed commits (`flywheel.requireSignedRatification`) plus required code-owner review of `.governance/**`
// are the other half (docs/flywheel.md, "Trust model").

import * as crypto from 'node:crypto';
import { BoundedMap } from '../cache';
import { newId, safeId } from './ids';
import type { ProposalStatus } from './proposal';

export const LEDGER_DIR = '.governance/ledger';
export const ACTIONS = ['captured', 'drafted', 'proposed', 'ratified', 'rejected', 'applied', 'superseded'] as const;
export type Action = (typeof ACTIONS)[number];

export interface LedgerEvent {
  version: 1;
  id: string;
  /** ISO 8601 UTC with milliseconds. */
  time: string;
  /** `via: 'github'` when the person acted as their GitHub sign-in in the editor; absent: git's identity. */
  actor: { email: string; handle?: string; via?: 'github' };
  action: Action;
  /** The signal or proposal id. */
  subject: string;
  /** The target the event is about (proposals), root-relative. */
  target?: string;
  /** Hashes of the subject's heads when the event was written. */
  prev: string[];
  /** `record`: SHA-256 of the signal/proposal file as written with this event; `target:<path>`: of each target. */
  hashes: Record<string, string>;
  reason?: string;
  /** SHA-256 of the canonical JSON of every other field. */
  hash: string;
}

/** JSON with object keys sorted at every level and no whitespace: the bytes that are hashed. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + canonical(v[i]);
    return out + ']';
  }
  if (v && typeof v === 'object') return canonicalObject(v as Record<string, unknown>);
  return JSON.stringify(v) ?? 'null';
}

/** Keys as JSON strings: the same few keys of every event are quoted once, not once per event (bounded: the
 * `hashes` keys name files). */
const QUOTED_KEYS = new BoundedMap<string, string>(4096);

function quotedKey(k: string): string {
  let q = QUOTED_KEYS.get(k);
  if (q === undefined) QUOTED_KEYS.set(k, (q = JSON.stringify(k)));
  return q;
}

/** `canonical` of an object, leaving out the key `omit` (the event's own hash, without copying the event). */
function canonicalObject(o: Record<string, unknown>, omit?: string): string {
  const keys = Object.keys(o).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const x = o[k];
    if (x === undefined || k === omit) continue;
    out += (first ? '' : ',') + quotedKey(k) + ':' + canonical(x);
    first = false;
  }
  return out + '}';
}

export function eventHash(e: Omit<LedgerEvent, 'hash'> & { hash?: string }): string {
  const text = canonicalObject(e, 'hash');
  // `crypto.hash` (Node 20.12+): one call per event instead of a Hash object each; the same digest. Read here, not
  // when the module loads, so that the verbs' bundles (whose node:crypto loads on first use) load it only to hash.
  const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
  return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

export function eventPath(subject: string, id: string): string {
  return `${LEDGER_DIR}/${subject}/${id}.json`;
}

/** A new event after `heads` (the subject's current heads); `random` for tests. */
export function makeEvent(
  f: {
    now: Date;
    actor: { email: string; handle?: string; via?: 'github' };
    action: Action;
    subject: string;
    target?: string;
    hashes?: Record<string, string>;
    reason?: string;
  },
  heads: readonly string[],
  random?: string,
): { event: LedgerEvent; path: string; text: string } {
  const base: Omit<LedgerEvent, 'hash'> = {
    version: 1,
    id: newId('E', f.now, random),
    time: f.now.toISOString(),
    actor: {
      email: f.actor.email,
      ...(f.actor.handle ? { handle: f.actor.handle } : {}),
      ...(f.actor.via ? { via: f.actor.via } : {}),
    },
    action: f.action,
    subject: f.subject,
    ...(f.target !== undefined ? { target: f.target } : {}),
    prev: [...heads].sort(),
    hashes: f.hashes ?? {},
    ...(f.reason !== undefined ? { reason: f.reason } : {}),
  };
  const event: LedgerEvent = { ...base, hash: eventHash(base) };
  return { event, path: eventPath(f.subject, event.id), text: JSON.stringify(event, null, 2) + '\n' };
}

export interface LedgerProblem {
  path: string;
  eventId?: string;
  message: string;
}

export type EventParse = { ok: true; event: LedgerEvent } | { ok: false; message: string };

export function parseEvent(text: string): EventParse {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `not JSON: ${(err as Error).message}` };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { ok: false, message: 'not a JSON object' };
  const e = v as Record<string, unknown>;
  const actor = e.actor as Record<string, unknown> | undefined;
  if (
    e.version !== 1 ||
    typeof e.id !== 'string' ||
    !safeId(e.id) ||
    typeof e.time !== 'string' ||
    Number.isNaN(Date.parse(e.time)) ||
    !actor ||
    typeof actor !== 'object' ||
    typeof actor.email !== 'string' ||
    typeof e.action !== 'string' ||
    !(ACTIONS as readonly string[]).includes(e.action) ||
    typeof e.subject !== 'string' ||
    !Array.isArray(e.prev) ||
    !e.prev.every((x) => typeof x === 'string') ||
    !e.hashes ||
    typeof e.hashes !== 'object' ||
    typeof e.hash !== 'string'
  ) {
    return {
      ok: false,
      message: 'not a ledger event (version 1: id, time, actor.email, action, subject, prev, hashes, hash)',
    };
  }
  return { ok: true, event: e as unknown as LedgerEvent };
}

export interface SubjectChain {
  subject: string;
  /** Valid events in causal order (a parent before its children; ties by time, then id). */
  events: LedgerEvent[];
  /** Hashes no other event names in `prev`. */
  heads: string[];
  problems: LedgerProblem[];
}

/** Verify the events of one subject (their files' paths and texts). */
export function verifyChain(subject: string, files: readonly { path: string; text: string }[]): SubjectChain {
  const problems: LedgerProblem[] = [];
  const events: LedgerEvent[] = [];
  const paths = new Map<string, string>();
  for (const f of files) {
    const p = parseEvent(f.text);
    if (!p.ok) {
      const name = /([^/]+)\.json$/.exec(f.path)?.[1];
      problems.push({
        path: f.path,
        ...(name ? { eventId: name } : {}),
        message: `event ${name ?? f.path} is broken (${p.message})`,
      });
      continue;
    }
    const e = p.event;
    if (eventHash(e) !== e.hash) {
      problems.push({
        path: f.path,
        eventId: e.id,
        message: `event ${e.id} was edited after it was recorded: its content no longer hashes to ${e.hash.slice(0, 12)}…`,
      });
      continue;
    }
    if (e.subject !== subject || f.path !== eventPath(subject, e.id)) {
      problems.push({
        path: f.path,
        eventId: e.id,
        message: `event ${e.id} is filed under the wrong subject or name (it says subject ${e.subject})`,
      });
      continue;
    }
    events.push(e);
    paths.set(e.hash, f.path);
  }
  // Most subjects (every signal) have one event: the same answer as the graph walk below, without its maps.
  if (events.length <= 1) return loneEventChain(subject, events[0], paths, problems);
  const byHash = new Map(events.map((e) => [e.hash, e]));
  const roots = events.filter((e) => e.prev.length === 0);
  if (events.length && roots.length !== 1) {
    for (const r of roots.slice(1))
      problems.push({
        path: paths.get(r.hash)!,
        eventId: r.id,
        message: `event ${r.id} starts a second history for ${subject}`,
      });
  }
  const named = new Set<string>();
  for (const e of events) {
    for (const h of e.prev) {
      named.add(h);
      if (!byHash.has(h)) {
        problems.push({
          path: paths.get(e.hash)!,
          eventId: e.id,
          message: `event ${e.id} follows an event (${h.slice(0, 12)}…) that is missing or was changed`,
        });
      }
    }
  }
  // Causal order: Kahn's algorithm, ready events by time then id.
  const order: LedgerEvent[] = [];
  const pending = new Map(events.map((e) => [e.hash, e.prev.filter((h) => byHash.has(h)).length]));
  const children = new Map<string, LedgerEvent[]>();
  for (const e of events) for (const h of e.prev) if (byHash.has(h)) children.set(h, [...(children.get(h) ?? []), e]);
  const ready = events.filter((e) => pending.get(e.hash) === 0);
  const cmp = (a: LedgerEvent, b: LedgerEvent) =>
    a.time < b.time ? -1 : a.time > b.time ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  while (ready.length) {
    ready.sort(cmp);
    const e = ready.shift()!;
    order.push(e);
    for (const c of children.get(e.hash) ?? []) {
      const n = (pending.get(c.hash) ?? 1) - 1;
      pending.set(c.hash, n);
      if (n === 0) ready.push(c);
    }
  }
  if (order.length < events.length) {
    for (const e of events)
      if (!order.includes(e))
        problems.push({ path: paths.get(e.hash)!, eventId: e.id, message: `event ${e.id} is part of a cycle` });
  }
  const heads = events
    .filter((e) => !named.has(e.hash))
    .map((e) => e.hash)
    .sort();
  return { subject, events: order, heads, problems };
}

/** `verifyChain`'s answer for a subject with at most one valid event (`problems` holds those of its files). */
function loneEventChain(
  subject: string,
  e: LedgerEvent | undefined,
  paths: ReadonlyMap<string, string>,
  problems: LedgerProblem[],
): SubjectChain {
  if (!e) return { subject, events: [], heads: [], problems };
  const path = paths.get(e.hash)!;
  // No `prev` can name the event itself (its hash covers `prev`): each one names an event that is not there.
  for (const h of e.prev)
    problems.push({
      path,
      eventId: e.id,
      message: `event ${e.id} follows an event (${h.slice(0, 12)}…) that is missing or was changed`,
    });
  return { subject, events: [e], heads: [e.hash], problems };
}

const STATUS_OF: Partial<Record<Action, ProposalStatus>> = {
  drafted: 'draft',
  proposed: 'proposed',
  ratified: 'ratified',
  rejected: 'rejected',
  applied: 'applied',
  superseded: 'superseded',
};

/** The status the ledger backs for a proposal: that of its last status event in causal order. */
export function ledgerStatus(chain: SubjectChain): ProposalStatus | undefined {
  let s: ProposalStatus | undefined;
  for (const e of chain.events) {
    // A `ratified` event after `applied` is a review (the owners re-ratify the applied rule): it stays applied.
    if (s === 'applied' && e.action === 'ratified') continue;
    s = STATUS_OF[e.action] ?? s;
  }
  return s;
}

/** The events of every subject from a list of ledger files (root-relative paths). */
export function groupLedgerFiles<T extends { path: string }>(files: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const f of files) {
    const m = /^\.governance\/ledger\/([^/]+)\/[^/]+\.json$/.exec(f.path);
    if (!m) continue;
    const list = out.get(m[1]!);
    if (list) list.push(f);
    else out.set(m[1]!, [f]);
  }
  return out;
}

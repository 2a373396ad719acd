// Everything the flywheel knows about a workspace, read from its files and memoised: signals, proposals, the
// ledger's chains, and the groups of near-duplicate signals. Used by the CLI verbs and by the flywheel/* rules.

import { createHash } from 'node:crypto';
import type { AnalysisCache } from '../cache';
import type { Snapshot } from '../host';
import { groupLedgerFiles, ledgerStatus, verifyChain, type SubjectChain } from './ledger';
import { isLedgerFile } from './ledger-files';
import { parseProposalRecord, type ProposalRecord, type ProposalStatus } from './proposal';
import { groupKey, parseSignal, SIGNAL_DIR, type Signal } from './signal';

export interface InvalidRecord {
  path: string;
  message: string;
  /** 1-based. */
  line: number;
}

export interface FlywheelState {
  signals: { path: string; signal: Signal }[];
  proposals: { path: string; proposal: ProposalRecord; body: string }[];
  invalid: InvalidRecord[];
  readonly chains: Map<string, SubjectChain>;
  /** groupKey → the signals of the group, oldest first. */
  groups: Map<string, Signal[]>;
  /** Signal id → its group (the same array as in `groups`). */
  groupOf: Map<string, Signal[]>;
  signalById: Map<string, Signal>;
  proposalById: Map<string, { path: string; proposal: ProposalRecord; body: string }>;
  /** Proposals that name each signal. */
  proposalsOfSignal: Map<string, string[]>;
}

export function ledgerFiles(snapshot: Snapshot): string[] {
  return snapshot.files.filter(isLedgerFile);
}

const PER_SNAPSHOT = new WeakMap<Snapshot, FlywheelState>();

/**
 * The key of a set of records: their paths and texts. The records are read anyway (to build the state, or by the
 * snapshot's read cache), so hashing their text costs less than asking the file system for a version of each of
 * thousands of files, and it is exact.
 */
function textsKey(snapshot: Snapshot, ...lists: (readonly string[])[]): string {
  const h = createHash('sha1');
  for (const paths of lists) {
    for (const p of paths) {
      const r = snapshot.read(p);
      // One update per record (the same bytes as four): each call into the hash costs more than the concatenation.
      h.update(r.ok ? p + '\0' + r.text + '\0' : p + '\u0001' + r.reason + '\0');
    }
    // Between the lists (no path holds a control character): a record moving from one list to the other changes it.
    h.update('\u0002');
  }
  return h.digest('hex');
}

/** The state of a snapshot: computed once per snapshot object, and kept in the cache while no record changes. */
export function flywheelState(snapshot: Snapshot, cache: AnalysisCache): FlywheelState {
  const known = PER_SNAPSHOT.get(snapshot);
  if (known) return known;
  const signalPaths: string[] = [];
  const proposalPaths: string[] = [];
  for (const g of snapshot.governance) {
    if (g.symlinkTo) continue;
    if (g.kind === 'governance-signal' && g.path.startsWith(SIGNAL_DIR + '/') && g.path.endsWith('.md'))
      signalPaths.push(g.path);
    else if (g.kind === 'governance-proposal') proposalPaths.push(g.path);
  }
  // The ledger has its own key, computed when the chains are first used (listing signals never reads the ledger).
  // A one-shot cache (a CLI run) never hashes the records for it.
  const key = () => textsKey(snapshot, signalPaths, proposalPaths);
  const base = cache.memo('flywheel:state', key, () => build(snapshot, signalPaths, proposalPaths));
  let chains: Map<string, SubjectChain> | undefined;
  const st: FlywheelState = {
    ...base,
    // The ledger is read and verified on first use only (listing signals never needs it), and again only when one
    // of its files changed.
    get chains() {
      return (chains ??= ledgerChains(snapshot, cache));
    },
  };
  PER_SNAPSHOT.set(snapshot, st);
  return st;
}

function ledgerChains(snapshot: Snapshot, cache: AnalysisCache): Map<string, SubjectChain> {
  const ledger = ledgerFiles(snapshot);
  return cache.memo(
    'flywheel:chains',
    () => textsKey(snapshot, ledger),
    () => {
      const out = new Map<string, SubjectChain>();
      const files = ledger.map((path) => ({ path, text: readText(snapshot, path) }));
      for (const [subject, list] of groupLedgerFiles(files)) out.set(subject, verifyChain(subject, list));
      return out;
    },
  );
}

function build(snapshot: Snapshot, signalPaths: string[], proposalPaths: string[]): Omit<FlywheelState, 'chains'> {
  const st: Omit<FlywheelState, 'chains'> = {
    signals: [],
    proposals: [],
    invalid: [],
    groups: new Map(),
    groupOf: new Map(),
    signalById: new Map(),
    proposalById: new Map(),
    proposalsOfSignal: new Map(),
  };
  for (const path of signalPaths) {
    const r = snapshot.read(path);
    if (!r.ok) continue;
    const p = parseSignal(r.text);
    if (!p.ok) {
      st.invalid.push({ path, message: p.message, line: p.line });
      continue;
    }
    if (st.signalById.has(p.signal.id)) {
      st.invalid.push({ path, message: `signal id ${p.signal.id} is used by another file too`, line: 2 });
      continue;
    }
    st.signals.push({ path, signal: p.signal });
    st.signalById.set(p.signal.id, p.signal);
  }
  st.signals.sort((a, b) => (a.signal.id < b.signal.id ? -1 : 1));
  for (const { signal } of st.signals) {
    const k = groupKey(signal);
    let g = st.groups.get(k);
    if (g) g.push(signal);
    else st.groups.set(k, (g = [signal]));
    st.groupOf.set(signal.id, g);
  }
  for (const path of proposalPaths) {
    const r = snapshot.read(path);
    if (!r.ok) continue;
    const p = parseProposalRecord(r.text);
    if (!p.ok) {
      st.invalid.push({ path, message: p.message, line: p.line });
      continue;
    }
    if (st.proposalById.has(p.proposal.id)) {
      st.invalid.push({ path, message: `proposal id ${p.proposal.id} is used by another file too`, line: 2 });
      continue;
    }
    const entry = { path, proposal: p.proposal, body: p.body };
    st.proposals.push(entry);
    st.proposalById.set(p.proposal.id, entry);
    for (const s of p.proposal.signals) {
      const list = st.proposalsOfSignal.get(s);
      if (list) list.push(p.proposal.id);
      else st.proposalsOfSignal.set(s, [p.proposal.id]);
    }
  }
  st.proposals.sort((a, b) => (a.proposal.id < b.proposal.id ? -1 : 1));
  return st;
}

function readText(snapshot: Snapshot, path: string): string {
  const r = snapshot.read(path);
  return r.ok ? r.text : '';
}

/** How many signals share a signal's group (1 when alone). */
export function recurrence(st: FlywheelState, s: Signal): number {
  return (st.groupOf.get(s.id) ?? st.groups.get(groupKey(s)))?.length ?? 1;
}

/** The status the ledger backs for a proposal (undefined: no events). */
export function backedStatus(st: FlywheelState, id: string): ProposalStatus | undefined {
  const c = st.chains.get(id);
  return c ? ledgerStatus(c) : undefined;
}

// Load the policy: the team's `.governance/policy.json` (JSON with comments), its `extends` floors (paths, npm
// package files, `flywheel:baseline`, optionally pinned by sha256), validated against schemas/policy.schema.json and
// merged tighten-only. With no policy file at all, the embedded baseline applies.

import AjvModule, { type ErrorObject } from 'ajv';
import { createHash } from 'node:crypto';
import { posix as pathPosix } from 'node:path';
import * as jsonc from 'jsonc-parser';
import schemaJson from '../../../../schemas/policy.schema.json';
import type { Snapshot } from '../host';
import { errorsOncePerOffset, MAX_DEPTH, nestingDepth } from '../json';
import { LineIndex } from '../text';
import type { Range, RelatedLocation } from '../types';
import baselineJson from './baseline.json';
import { encodePointer, isObject, mergeValue, type Json, type Loosening, type Schema } from './merge';
import type { PolicyProblem, PolicySections, PolicySource, ResolvedPolicy } from './types';
import { POLICY_SECTIONS } from '../surfaces';

export const DEFAULT_POLICY_PATH = '.governance/policy.json';
export const BASELINE_NAME = 'flywheel:baseline';

const schema = schemaJson as unknown as Schema;
type AjvCtor = new (opts: Record<string, unknown>) => {
  compile(s: unknown): ((d: unknown) => boolean) & { errors?: ErrorObject[] | null };
  addKeyword(k: string): void;
};
let validator: (((d: unknown) => boolean) & { errors?: ErrorObject[] | null }) | undefined;
function validate(): ((d: unknown) => boolean) & { errors?: ErrorObject[] | null } {
  if (!validator) {
    // Looked up only here: the CLI's bundles load ajv from its own bundle when a policy file is validated, not at
    // start-up (esbuild.mjs); the embedded baseline is never validated at run time.
    const Ajv = (AjvModule as unknown as { default?: AjvCtor }).default ?? AjvModule;
    // validateSchema: false — the schema is ours, checked against its meta-schema by the tests; compiling the
    // meta-schema on every run cost as much as compiling the schema.
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
    validator = ajv.compile(schema);
  }
  return validator;
}

/** A parsed policy file. */
interface Source {
  meta: PolicySource;
  /** Absolute path (or `flywheel:baseline`). */
  abs: string;
  text: string;
  tree: jsonc.Node | undefined;
  value: Record<string, Json>;
  lines: LineIndex;
}

export interface LoadOptions {
  /** The team policy: root-relative or absolute. Default `.governance/policy.json`. */
  policyPath?: string;
}

function displayPath(snapshot: Snapshot, abs: string): string {
  const root = snapshot.root.replace(/\\/g, '/').replace(/\/$/, '');
  const a = abs.replace(/\\/g, '/');
  if (a.startsWith(root + '/')) return a.slice(root.length + 1);
  // Near the root (an org floor beside the repo): relative; far away (a machine path): absolute.
  const rel = pathPosix.relative(root, a);
  return rel.startsWith('../../../') ? a : rel;
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
}

function joinAbs(dir: string, rel: string): string {
  const d = dir.replace(/\\/g, '/');
  return pathPosix.normalize(pathPosix.join(d, rel.replace(/\\/g, '/')));
}

function dirOf(abs: string): string {
  return pathPosix.dirname(abs.replace(/\\/g, '/'));
}

export function baselinePolicyText(): string {
  return JSON.stringify(baselineJson, null, 2) + '\n';
}

export function loadPolicy(snapshot: Snapshot, options: LoadOptions = {}): ResolvedPolicy {
  const problems: PolicyProblem[] = [];
  const rel = options.policyPath ?? DEFAULT_POLICY_PATH;
  const teamAbs = isAbsolute(rel) ? rel.replace(/\\/g, '/') : joinAbs(snapshot.root, rel);
  const teamRead = snapshot.readAbsolute(teamAbs);
  const sources: Source[] = [];

  if (!teamRead.ok && teamRead.reason === 'missing') {
    if (options.policyPath) {
      problems.push({
        ruleId: 'policy/invalid',
        messageId: 'unreadable',
        data: { file: displayPath(snapshot, teamAbs), reason: teamRead.message },
        file: displayPath(snapshot, teamAbs),
        range: zero(),
      });
    }
    const base = parseSource(
      snapshot,
      { kind: 'baseline', path: BASELINE_NAME },
      BASELINE_NAME,
      baselinePolicyText(),
      problems,
    );
    sources.push(base);
    return finish(snapshot, sources, base.value, [], problems);
  }

  const teamMeta: PolicySource = { kind: 'team', path: displayPath(snapshot, teamAbs) };
  if (!teamRead.ok) {
    problems.push({
      ruleId: 'policy/invalid',
      messageId: 'unreadable',
      data: { file: teamMeta.path, reason: teamRead.message },
      file: teamMeta.path,
      range: zero(),
    });
    const base = parseSource(
      snapshot,
      { kind: 'baseline', path: BASELINE_NAME },
      BASELINE_NAME,
      baselinePolicyText(),
      problems,
    );
    sources.push(base);
    return finish(snapshot, sources, base.value, [], problems);
  }

  const team = parseSource(snapshot, teamMeta, teamAbs, teamRead.text, problems);
  const floorValue = loadFloors(snapshot, team, problems, sources, new Set([teamAbs]), 0);
  const loosenings: Loosening[] = [];
  const { extends: _ext, $schema: _s, ...teamRest } = team.value;
  const merged =
    floorValue === undefined
      ? (teamRest as Record<string, Json>)
      : (mergeValue(floorValue, teamRest, schema, schema, '', loosenings) as Record<string, Json>);
  sources.unshift(team);
  for (const l of loosenings) {
    const floorLoc = originIn(sources.slice(1), l.floorPointer, snapshot);
    problems.push({
      ruleId: 'policy/loosens-floor',
      messageId: 'loosens',
      data: { pointer: l.pointer || '/', detail: l.detail, floor: floorLoc?.file ?? 'the floor' },
      file: team.meta.path,
      range: rangeOf(team, l.pointer, true),
      ...(floorLoc ? { related: [floorLoc] } : {}),
    });
  }
  return finish(snapshot, sources, merged, loosenings, problems);
}

/** Load and merge the floors that `src` extends (recursively); returns the merged floor value or undefined. */
function loadFloors(
  snapshot: Snapshot,
  src: Source,
  problems: PolicyProblem[],
  sources: Source[],
  seen: Set<string>,
  depth: number,
): Record<string, Json> | undefined {
  const ext = src.value.extends;
  if (ext === undefined) return undefined;
  const entries = Array.isArray(ext) ? ext : [ext];
  let combined: Record<string, Json> | undefined;
  entries.forEach((entry, i) => {
    const pointer = Array.isArray(ext) ? `/extends/${i}` : '/extends';
    const spec = typeof entry === 'string' ? entry : isObject(entry) ? (entry.path as string) : undefined;
    const pin = isObject(entry) && typeof entry.sha256 === 'string' ? entry.sha256.toLowerCase() : undefined;
    if (typeof spec !== 'string') return;
    const bad = (messageId: string, data: Record<string, string>) =>
      problems.push({ ruleId: 'policy/invalid', messageId, data, file: src.meta.path, range: rangeOf(src, pointer) });

    let abs: string;
    let text: string;
    if (spec === BASELINE_NAME) {
      abs = BASELINE_NAME;
      text = baselinePolicyText();
    } else {
      let resolved: string | undefined;
      if (spec.startsWith('.') || isAbsolute(spec)) {
        resolved = isAbsolute(spec) ? spec.replace(/\\/g, '/') : joinAbs(dirOf(src.abs), spec);
      } else {
        resolved = snapshot.resolvePackageFile?.(spec)?.replace(/\\/g, '/');
        if (!resolved) {
          bad('extendsPackage', { spec });
          return;
        }
      }
      abs = resolved;
      const r = snapshot.readAbsolute(abs);
      if (!r.ok) {
        bad('extendsUnreadable', { spec, reason: r.message });
        return;
      }
      text = r.bom ? '\uFEFF' + r.text : r.text;
    }
    if (pin) {
      const actual = createHash('sha256').update(text, 'utf8').digest('hex');
      if (actual !== pin) {
        bad('pinMismatch', { spec, expected: pin, actual });
        return;
      }
    }
    if (seen.has(abs)) {
      bad('extendsCycle', { spec });
      return;
    }
    if (depth > 16) {
      bad('extendsDepth', { spec });
      return;
    }
    const floor = parseSource(
      snapshot,
      {
        kind: abs === BASELINE_NAME ? 'baseline' : 'floor',
        path: abs === BASELINE_NAME ? BASELINE_NAME : displayPath(snapshot, abs),
      },
      abs,
      text,
      problems,
    );
    sources.push(floor);
    const below = loadFloors(snapshot, floor, problems, sources, new Set([...seen, abs]), depth + 1);
    const { extends: _e, $schema: _s, ...rest } = floor.value;
    const own = below === undefined ? rest : (mergeValue(below, rest, schema, schema, '', []) as Record<string, Json>);
    // Several floors: each one's requirements hold, so they are merged as tightenings of each other.
    combined =
      combined === undefined ? own : (mergeValue(combined, own, schema, schema, '', []) as Record<string, Json>);
  });
  return combined;
}

function parseSource(
  snapshot: Snapshot,
  meta: PolicySource,
  abs: string,
  text: string,
  problems: PolicyProblem[],
): Source {
  const errors: jsonc.ParseError[] = [];
  const clean = text.replace(/^\uFEFF/, '');
  const lines = new LineIndex(clean);
  if (nestingDepth(clean) > MAX_DEPTH) {
    problems.push({
      ruleId: 'policy/invalid',
      messageId: 'tooDeep',
      data: { max: MAX_DEPTH },
      file: meta.path,
      range: lines.range(0, Math.min(1, clean.length)),
    });
    return { meta, abs, text: clean, tree: undefined, value: {}, lines };
  }
  const options: jsonc.ParseOptions = { allowTrailingComma: true, disallowComments: false };
  if (meta.kind === 'baseline') {
    // The embedded baseline is ours, plain JSON (written by JSON.stringify): its value is read by JSON.parse, and its
    // syntax tree — asked for only to show where a value was set — is built when asked. A verb that never asks
    // (`flywheel owners` without a policy file) never runs the JSONC parser.
    let tree: jsonc.Node | undefined;
    const src: Source = {
      meta,
      abs,
      text: clean,
      get tree() {
        return (tree ??= jsonc.parseTree(clean, [], options));
      },
      value: JSON.parse(clean) as Record<string, Json>,
      lines,
    };
    return postValidate(src, problems);
  }
  const tree = jsonc.parseTree(clean, errors, options);
  const src: Source = { meta, abs, text: clean, tree, value: {}, lines };
  for (const e of errorsOncePerOffset(errors).slice(0, 20)) {
    problems.push({
      ruleId: 'policy/invalid',
      messageId: 'syntax',
      data: { error: jsonc.printParseErrorCode(e.error) },
      file: meta.path,
      range: lines.range(e.offset, e.offset + Math.max(e.length, 1)),
    });
  }
  const value = tree ? (jsonc.getNodeValue(tree) as Json) : undefined;
  if (!isObject(value)) {
    if (tree && errors.length === 0) {
      problems.push({
        ruleId: 'policy/invalid',
        messageId: 'notObject',
        file: meta.path,
        range: lines.range(tree.offset, tree.offset + tree.length),
      });
    }
    return src;
  }
  // (The embedded baseline, returned above, is ours and tested against the schema (test/engine/policy.test.ts): never
  // checked at run time.)
  const check = validate();
  if (!check(value) && check.errors) {
    const drop: string[] = [];
    for (const err of dedupeErrors(check.errors)) {
      let pointer = err.instancePath;
      let atKey = false;
      if (err.keyword === 'additionalProperties') {
        pointer = `${pointer}/${encodePointer(String(err.params.additionalProperty))}`;
        atKey = true;
      } else if (err.keyword === 'propertyNames') {
        pointer = `${pointer}/${encodePointer(String(err.params.propertyName))}`;
        atKey = true;
      }
      drop.push(pointer);
      problems.push({
        ruleId: 'policy/invalid',
        messageId: 'schema',
        data: { pointer: pointer || '/', error: describeError(err) },
        file: meta.path,
        range: rangeOfTree(tree, lines, pointer, atKey),
      });
    }
    src.value = dropPointers(value, drop);
  } else {
    src.value = value;
  }
  void snapshot;
  return postValidate(src, problems);
}

/** Checks JSON Schema cannot express (RE2 syntax of patterns …): each invalid value is reported and dropped. */
function postValidate(src: Source, problems: PolicyProblem[]): Source {
  const extra = postValidators.flatMap((v) => v(src.value));
  if (extra.length) {
    for (const p of extra) {
      problems.push({
        ruleId: 'policy/invalid',
        messageId: 'schema',
        data: { pointer: p.pointer, error: p.error },
        file: src.meta.path,
        range: rangeOfTree(src.tree, src.lines, p.pointer),
      });
    }
    src.value = dropPointers(
      src.value,
      extra.map((p) => p.drop ?? p.pointer),
    );
  }
  return src;
}

/** A check of a policy file's (schema-valid) value beyond JSON Schema. `drop` = the pointer to remove (default
 * `pointer`), e.g. the whole list entry whose pattern is invalid. */
export type PolicyPostValidator = (value: Record<string, Json>) => { pointer: string; error: string; drop?: string }[];
const postValidators: PolicyPostValidator[] = [];

/** Register a post-validation check (surfaces call this when their module loads). */
export function addPolicyPostValidator(v: PolicyPostValidator): void {
  if (!postValidators.includes(v)) postValidators.push(v);
}

/** How many post-validation checks are registered: a policy loaded with fewer is not the same policy. */
export function policyPostValidatorCount(): number {
  return postValidators.length;
}

/** ajv reports every branch of a oneOf; keep the most specific error per path. */
function dedupeErrors(errors: ErrorObject[]): ErrorObject[] {
  const byPath = new Map<string, ErrorObject>();
  for (const e of errors) {
    // A bad property name comes as its own error (the name's, e.g. enum) and the propertyNames error: keep the latter.
    if (e.propertyName !== undefined) continue;
    const key =
      e.keyword === 'additionalProperties'
        ? `${e.instancePath}/${String(e.params.additionalProperty)}`
        : e.keyword === 'propertyNames'
          ? `${e.instancePath}/${String(e.params.propertyName)}`
          : e.instancePath;
    const prev = byPath.get(key);
    if (!prev || (prev.keyword === 'oneOf' && e.keyword !== 'oneOf')) byPath.set(key, e);
  }
  // Drop a parent's oneOf error when a child has its own.
  return [...byPath.values()];
}

function describeError(err: ErrorObject): string {
  switch (err.keyword) {
    case 'additionalProperties':
      return `unknown key "${String(err.params.additionalProperty)}"`;
    case 'propertyNames':
      return `unknown rule "${String(err.params.propertyName)}"`;
    case 'enum':
      return `must be one of ${(err.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `must be ${String(err.params.type)}`;
    default:
      return err.message ?? err.keyword;
  }
}

function dropPointers(value: Record<string, Json>, pointers: string[]): Record<string, Json> {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, Json>;
  // Deepest first, array indices from the end, so earlier removals do not shift later ones.
  const sorted = [...new Set(pointers)].sort((a, b) => b.split('/').length - a.split('/').length || (b < a ? -1 : 1));
  for (const p of sorted) {
    if (!p) continue;
    const parts = p
      .slice(1)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop()!;
    let cur: Json | undefined = copy;
    for (const part of parts) cur = isObject(cur) ? cur[part] : Array.isArray(cur) ? cur[Number(part)] : undefined;
    if (Array.isArray(cur)) cur.splice(Number(last), 1);
    else if (isObject(cur)) delete cur[last];
  }
  return copy;
}

function segments(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function rangeOfTree(tree: jsonc.Node | undefined, lines: LineIndex, pointer: string, atKey = false): Range {
  if (!tree) return zero();
  let node = jsonc.findNodeAtLocation(tree, segments(pointer));
  let segs = segments(pointer);
  while (!node && segs.length) {
    segs = segs.slice(0, -1);
    node = jsonc.findNodeAtLocation(tree, segs);
  }
  if (!node) return zero();
  if (atKey || node.parent?.type === 'property') {
    const prop = node.parent?.type === 'property' ? node.parent : undefined;
    if (prop && atKey)
      return lines.range(prop.children![0]!.offset, prop.children![0]!.offset + prop.children![0]!.length);
  }
  return lines.range(node.offset, node.offset + node.length);
}

function rangeOf(src: Source, pointer: string, atKey = false): Range {
  return rangeOfTree(src.tree, src.lines, pointer, atKey);
}

function zero(): Range {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

/** The location in the first source (in order) that has a value at `pointer`. */
function originIn(sources: Source[], pointer: string, _snapshot: Snapshot): RelatedLocation | undefined {
  const segs = segments(pointer);
  for (const s of sources) {
    if (!s.tree) continue;
    const node = jsonc.findNodeAtLocation(s.tree, segs);
    if (node)
      return {
        file: s.meta.path,
        range: s.lines.range(node.offset, node.offset + node.length),
        message: `set by ${s.meta.kind === 'team' ? 'the team policy' : s.meta.kind === 'baseline' ? 'the baseline policy' : 'the org floor'}`,
      };
  }
  return undefined;
}

function finish(
  snapshot: Snapshot,
  sources: Source[],
  merged: Record<string, Json>,
  _loosenings: Loosening[],
  problems: PolicyProblem[],
): ResolvedPolicy {
  // Hashed on first use: `flywheel owners` never asks, and never loads node:crypto for it.
  let version: string | undefined;
  const section = (k: string) => (isObject(merged[k]) ? (merged[k] as Record<string, unknown>) : {});
  const mergedRoot = merged;
  return {
    sources: sources.map((s) => s.meta),
    rules: section('rules') as ResolvedPolicy['rules'],
    ...(Object.fromEntries(POLICY_SECTIONS.map((k) => [k, section(k)])) as unknown as PolicySections),
    origin(pointer: string) {
      const segs = segments(pointer);
      const idx = segs[segs.length - 1];
      // A list entry's index in the merged list differs from its index in its source: match by value.
      if (typeof idx !== 'number') return originIn(sources, pointer, snapshot);
      let cur: Json | undefined = mergedRoot;
      for (const s of segs) cur = isObject(cur) ? cur[s as string] : Array.isArray(cur) ? cur[s as number] : undefined;
      if (cur === undefined) return undefined;
      const parentSegs = segs.slice(0, -1);
      for (const s of sources) {
        if (!s.tree) continue;
        const list = jsonc.findNodeAtLocation(s.tree, parentSegs);
        const child = list?.children?.find((c) => JSON.stringify(jsonc.getNodeValue(c)) === JSON.stringify(cur));
        if (child)
          return {
            file: s.meta.path,
            range: s.lines.range(child.offset, child.offset + child.length),
            message: `set by ${s.meta.kind === 'team' ? 'the team policy' : s.meta.kind === 'baseline' ? 'the baseline policy' : 'the org floor'}`,
          };
      }
      return originIn(sources, pointer, snapshot);
    },
    get version() {
      return (version ??= createHash('sha1')
        .update(sources.map((s) => s.abs + '\0' + s.text).join('\0\0'))
        .digest('hex')
        .slice(0, 16));
    },
    problems,
  };
}

export { POLICY_SECTIONS };

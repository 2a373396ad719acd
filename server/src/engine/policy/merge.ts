// Tighten-only merge, driven by the `x-merge` annotations of schemas/policy.schema.json.
// A team policy may add requirements, add deny rules and raise severities; anything that would remove, weaken or
// switch off what the floor sets is ignored and reported.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Schema = Record<string, unknown>;

export interface Loosening {
  /** JSON pointer of the team's offending value. */
  pointer: string;
  /** What the team tried and what the floor keeps. */
  detail: string;
  /** JSON pointer of the floor's value that wins. */
  floorPointer: string;
}

export function resolveRef(schema: Schema, rootSchema: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 8 && typeof s.$ref === 'string'; i++) {
    const ref = s.$ref;
    if (!ref.startsWith('#/')) break;
    let cur: unknown = rootSchema;
    for (const part of ref.slice(2).split('/')) cur = (cur as Record<string, unknown>)?.[decodePointer(part)];
    s = { ...(cur as Schema), ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== '$ref')) };
  }
  return s;
}

function decodePointer(p: string): string {
  return p.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function encodePointer(p: string): string {
  return p.replace(/~/g, '~0').replace(/\//g, '~1');
}

function strategyOf(schema: Schema, value: Json): string {
  const x = schema['x-merge'];
  if (typeof x === 'string') return x;
  if (Array.isArray(value)) return 'union';
  if (typeof value === 'boolean') return 'stricter-true';
  if (value !== null && typeof value === 'object')
    return schema.additionalProperties && !schema.properties ? 'map' : 'object';
  return 'fixed';
}

const same = (a: Json, b: Json) => JSON.stringify(a) === JSON.stringify(b);

function show(v: Json): string {
  const s = JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '…' : s;
}

/**
 * Merge `team` onto `floor` under `schema`. Returns the merged value; every loosening attempt is pushed onto
 * `out` and the floor's value kept.
 */
export function mergeValue(
  floor: Json | undefined,
  team: Json | undefined,
  schema: Schema,
  rootSchema: Schema,
  pointer: string,
  out: Loosening[],
): Json | undefined {
  if (team === undefined) return floor;
  if (floor === undefined) return team;
  const s = resolveRef(schema, rootSchema);
  const strategy = strategyOf(s, floor);
  const loosen = (detail: string, at = pointer) => out.push({ pointer: at, detail, floorPointer: pointer });

  switch (strategy) {
    case 'none':
      return team;
    case 'object': {
      if (!isObject(floor) || !isObject(team)) return floor;
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const result: Record<string, Json> = { ...floor };
      for (const [k, v] of Object.entries(team)) {
        const merged = mergeValue(floor[k], v, props[k] ?? {}, rootSchema, `${pointer}/${encodePointer(k)}`, out);
        if (merged !== undefined) result[k] = merged;
      }
      return result;
    }
    case 'map': {
      if (!isObject(floor) || !isObject(team)) return floor;
      const valueSchema = (typeof s.additionalProperties === 'object' ? s.additionalProperties : {}) as Schema;
      const result: Record<string, Json> = { ...floor };
      for (const [k, v] of Object.entries(team)) {
        const merged = mergeValue(floor[k], v, valueSchema, rootSchema, `${pointer}/${encodePointer(k)}`, out);
        if (merged !== undefined) result[k] = merged;
      }
      return result;
    }
    case 'union': {
      if (!Array.isArray(floor) || !Array.isArray(team)) return floor;
      const result = [...floor];
      for (const v of team) if (!result.some((f) => same(f, v))) result.push(v);
      return result;
    }
    case 'union-by-id': {
      if (!Array.isArray(floor) || !Array.isArray(team)) return floor;
      const key = (s['x-key'] as string) ?? 'id';
      const result = [...floor];
      team.forEach((v, i) => {
        const id = isObject(v) ? v[key] : undefined;
        const existing = floor.find((f) => isObject(f) && f[key] === id);
        if (existing === undefined) result.push(v);
        else if (!same(existing, v)) {
          loosen(`changes the floor's entry "${String(id)}"; only the floor's owner can change it`, `${pointer}/${i}`);
        }
      });
      return result;
    }
    case 'subset': {
      if (!Array.isArray(floor) || !Array.isArray(team)) return floor;
      const result: Json[] = [];
      team.forEach((v, i) => {
        if (floor.some((f) => same(f, v))) result.push(v);
        else loosen(`adds ${show(v)}, which the floor's allow-list does not have`, `${pointer}/${i}`);
      });
      return result;
    }
    case 'stricter-true':
    case 'stricter-false': {
      const strict = strategy === 'stricter-true';
      if (floor === strict && team !== strict) {
        loosen(`sets ${show(team)} where the floor requires ${show(floor)}`);
        return floor;
      }
      return team === strict ? team : floor;
    }
    case 'min':
    case 'max': {
      if (typeof floor !== 'number' || typeof team !== 'number') return floor;
      const looser = strategy === 'min' ? team < floor : team > floor;
      if (looser) {
        loosen(`sets ${team}, looser than the floor's ${floor}`);
        return floor;
      }
      return team;
    }
    case 'order': {
      const order = (s['x-order'] as Json[]) ?? [];
      const fi = order.findIndex((o) => same(o, floor));
      const ti = order.findIndex((o) => same(o, team));
      if (ti < fi) {
        loosen(`sets ${show(team)}, less strict than the floor's ${show(floor)}`);
        return floor;
      }
      return team;
    }
    case 'teams-only': {
      if (floor === true) {
        if (team !== true) loosen(`sets ${show(team)} where the floor requires teams everywhere (true)`);
        return true;
      }
      if (team === true) return true;
      if (team === false) {
        if (Array.isArray(floor) && floor.length)
          loosen(`sets false where the floor requires teams for ${show(floor)}`);
        return floor;
      }
      if (Array.isArray(floor) && Array.isArray(team)) {
        const result = [...floor];
        for (const v of team) if (!result.some((f) => same(f, v))) result.push(v);
        return result;
      }
      return team ?? floor;
    }
    case 'fixed':
    default: {
      if (!same(floor, team)) {
        loosen(`sets ${show(team)} where the floor fixed ${show(floor)}`);
        return floor;
      }
      return floor;
    }
  }
}

export function isObject(v: unknown): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// Shadowing: a rule that another rule always beats.

import type { Effective, PermRule } from './effective';
import { ruleMatches, type CallContext, type RuleList } from './rules';

/** Does rule `b` match every call that rule `a` matches? Decided on representative samples of `a`. */
export function covers(e: Effective, b: PermRule, a: PermRule): boolean {
  const bm = b.parsed.matcher;
  const am = a.parsed.matcher;
  const list = b.list;
  if (bm.kind === 'all-tools') return true;
  const samples = sampleCalls(e, a);
  if (samples.length === 0) return false;
  return (
    samples.every((s) => ruleMatches(b.parsed, list, { ...s, anchor: b.file.anchor })) &&
    (am.kind !== 'tool' || bm.kind === 'tool' || bm.kind === 'tool-glob' || bm.kind === 'mcp-server')
  );
}

function sampleCalls(e: Effective, a: PermRule): Omit<CallContext, 'anchor'>[] {
  const m = a.parsed.matcher;
  const base = { cwd: e.cwd, home: e.home };
  switch (m.kind) {
    case 'tool':
      return [{ ...base, tool: m.tool, arg: '*' }];
    case 'mcp-server':
      return [{ ...base, tool: `mcp__${m.server}__*` }];
    case 'tool-glob':
      return [{ ...base, tool: m.glob }];
    case 'bash':
      return m.pattern.all
        ? [{ ...base, tool: a.parsed.tool, arg: '*' }]
        : m.pattern.prefix
          ? [
              { ...base, tool: a.parsed.tool, arg: m.pattern.body },
              { ...base, tool: a.parsed.tool, arg: m.pattern.body + ' *' },
            ]
          : [{ ...base, tool: a.parsed.tool, arg: m.pattern.body }];
    case 'path': {
      const root = m.base === 'root' ? '' : m.base === 'home' ? e.home : m.base === 'anchor' ? a.file.anchor : e.cwd;
      const concrete = (p: string) => p.replace(/\*\*/g, 'x1').replace(/\*/g, 'x2').replace(/\?/g, 'x');
      const tool = m.access === 'read' ? 'Read' : 'Edit';
      const paths = m.anyDepth
        ? [`${root}/${concrete(m.pattern)}`, `${root}/d/${concrete(m.pattern)}/f`]
        : [`${root}${concrete(m.pattern)}`];
      return paths.map((p) => ({ ...base, tool, path: p }));
    }
    case 'domain':
      return [{ ...base, tool: 'WebFetch', arg: `https://${m.domain.replace(/\*/g, 'x')}/` }];
    case 'spec':
      return [{ ...base, tool: m.tool, arg: m.glob }];
    default:
      return [];
  }
}

const MAX_CANDIDATES = 2000;

/** Mark allow rules beaten by a deny or ask, and ask rules beaten by a deny, as overridden (with `by`). */
export function computeShadows(e: Effective): void {
  if (e.shadowsComputed) return;
  e.shadowsComputed = true;
  const index = (list: RuleList) => {
    const byKey = new Map<string, PermRule[]>();
    for (const r of e.byList[list]) {
      if (r.status === 'dead') continue;
      for (const k of keysOf(r)) {
        let l = byKey.get(k);
        if (!l) byKey.set(k, (l = []));
        l.push(r);
      }
    }
    return byKey;
  };
  const deny = index('deny');
  const ask = index('ask');
  const check = (a: PermRule, idx: Map<string, PermRule[]>) => {
    const seen = new Set<PermRule>();
    let n = 0;
    for (const k of lookupKeys(a)) {
      for (const b of idx.get(k) ?? []) {
        if (seen.has(b) || n++ > MAX_CANDIDATES) continue;
        seen.add(b);
        if (covers(e, b, a)) return b;
      }
    }
    return undefined;
  };
  for (const a of [...e.byList.ask, ...e.byList.allow]) {
    if (a.status === 'dead') continue;
    const b = check(a, deny) ?? (a.list === 'allow' ? check(a, ask) : undefined);
    if (b) {
      a.status = 'overridden';
      a.by = b;
      a.reason = `${b.list} rule ${b.text} in ${b.file.file} (${b.scope}, line ${b.line}) matches every call this rule matches, and ${b.list} is checked before ${a.list}`;
    }
  }
}

/** Literal path segments before the first wildcard, and whether the pattern has none at all. */
function pathLiteral(pattern: string): string[] {
  const segs = pattern.split('/').filter(Boolean);
  const out: string[] = [];
  for (const seg of segs) {
    if (/[*?[]/.test(seg)) break;
    out.push(seg);
  }
  return out;
}

/**
 * Index keys under which a (deny/ask) rule is filed. A rule can cover another only if its literal part is a
 * prefix of the other's (commands by words, paths by segments), so each rule is filed under its full literal part
 * and a candidate looks up each prefix of its own: linear in the number of rules. Rules with a wildcard inside
 * their literal part go to a per-tool "generic" bucket.
 */
function keysOf(r: PermRule): string[] {
  const m = r.parsed.matcher;
  switch (m.kind) {
    case 'all-tools':
    case 'tool-glob':
      return ['*'];
    case 'bash': {
      if (m.pattern.all) return [`tool:${r.parsed.tool}`];
      if (m.pattern.caseInsensitive || m.pattern.body.includes('*')) return [`bash*:${r.parsed.tool}`];
      return [`bash:${r.parsed.tool}|${m.pattern.body}`];
    }
    case 'tool':
      return [`tool:${m.tool}`];
    case 'mcp-server':
      return [`mcp:${m.server}`];
    case 'path': {
      if (m.anyDepth) return /[*?[]/.test(m.pattern) ? [`path*:${m.access}`] : [`seg:${m.access}|${m.pattern}`];
      const lit = pathLiteral(m.pattern);
      return lit.length ? [`path:${m.access}|${m.base}|${lit.join('/')}`] : [`path*:${m.access}`];
    }
    case 'domain':
      return m.domain.includes('*') ? ['domain*'] : [`domain:${m.domain}`];
    case 'spec':
      return [`spec:${m.tool}`];
    default:
      return [];
  }
}

/** Keys to look up for the rules that could cover rule `a`. */
function lookupKeys(a: PermRule): string[] {
  const m = a.parsed.matcher;
  const keys = ['*'];
  const accessKeys = (access: 'read' | 'edit') => (access === 'read' ? ['read'] : ['edit', 'read']);
  switch (m.kind) {
    case 'bash': {
      keys.push(`tool:${a.parsed.tool}`, `bash*:${a.parsed.tool}`);
      if (!m.pattern.all) {
        const star = m.pattern.body.indexOf('*');
        const lit = (star === -1 ? m.pattern.body : m.pattern.body.slice(0, star)).split(' ').filter(Boolean);
        for (let i = 1; i <= lit.length; i++) keys.push(`bash:${a.parsed.tool}|${lit.slice(0, i).join(' ')}`);
      }
      break;
    }
    case 'tool':
      keys.push(`tool:${m.tool}`);
      if (m.tool.startsWith('mcp__')) keys.push(`mcp:${m.tool.slice(5).split('__')[0]}`);
      if (m.tool === 'Edit') keys.push('tool:Read');
      break;
    case 'mcp-server':
      keys.push(`mcp:${m.server}`);
      break;
    case 'path': {
      const tools = m.access === 'read' ? ['Read'] : ['Edit', 'Read'];
      for (const t of tools) keys.push(`tool:${t}`);
      for (const acc of accessKeys(m.access)) {
        keys.push(`path*:${acc}`);
        const lit = m.anyDepth ? [m.pattern] : pathLiteral(m.pattern);
        for (const seg of lit) keys.push(`seg:${acc}|${seg}`);
        if (!m.anyDepth)
          for (let i = 1; i <= lit.length; i++) keys.push(`path:${acc}|${m.base}|${lit.slice(0, i).join('/')}`);
      }
      break;
    }
    case 'domain':
      keys.push('tool:WebFetch', 'domain*', `domain:${m.domain}`);
      break;
    case 'spec':
      keys.push(`tool:${m.tool}`, `spec:${m.tool}`);
      break;
    case 'tool-glob':
      break;
  }
  return keys;
}

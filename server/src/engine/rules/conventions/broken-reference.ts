// conventions/broken-reference: a reference in a convention file that leads nowhere — an `@import` (Claude,
// Gemini, Cursor), a `.cursorrules` import line, a Markdown link or image to a local file, a literal path in
// frontmatter (`globs`, `applyTo`, `paths`), an `npm run <script>` the package does not define — or one that
// leaves the repository (reported, never read).
// Not references: `@scope/pkg` npm names, `@pytest.mark.x` decorators, `@user` mentions, e-mail addresses and
// anything in code spans, code blocks or HTML comments (agents skip those too).

import type { Rule, RuleContext } from '../../rule';
import { scriptRunsOf } from '../../conventions/commands';
import { importGraph } from '../../conventions/graph';
import {
  frontmatterValues,
  parseConvention,
  perChunk,
  type LinkFact,
  type ParsedConvention,
} from '../../conventions/parse';
import { resolveLink } from '../../conventions/refs';
import { rangeOf } from '../../conventions/report';
import { conventionFiles, scopeDir } from '../../conventions/text';

const GLOB_MAGIC = /[*?[\]{}!]/;

/** The scripts of the nearest package.json at or above `dir`, memoised by its version; undefined without one (or
 * when it has no `scripts` object or cannot be parsed: nothing to check against). */
function packageScripts(ctx: RuleContext, dir: string): { pkg: string; scripts: string[] } | undefined {
  for (let d = dir; ; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
    const pkg = d ? `${d}/package.json` : 'package.json';
    if (ctx.snapshot.fileSet.has(pkg)) {
      return ctx.cache.memo('conventions:scripts:' + pkg, ctx.snapshot.version(pkg), () => {
        const r = ctx.snapshot.read(pkg);
        if (!r.ok) return undefined;
        try {
          const j = JSON.parse(r.text) as { scripts?: unknown };
          return j.scripts && typeof j.scripts === 'object' && !Array.isArray(j.scripts)
            ? { pkg, scripts: Object.keys(j.scripts) }
            : undefined;
        } catch {
          return undefined;
        }
      });
    }
    if (!d) return undefined;
  }
}

function checkScripts(ctx: RuleContext, path: string, p: ParsedConvention): void {
  const runs = scriptRunsOf(p);
  if (!runs.length) return;
  const pkg = packageScripts(ctx, scopeDir(path));
  if (!pkg) return;
  for (const r of runs) {
    if (pkg.scripts.includes(r.script)) continue;
    const near = pkg.scripts.find((s) => s.toLowerCase() === r.script.toLowerCase() || s.startsWith(r.script + ':'));
    ctx.report({
      messageId: 'missingScript',
      data: {
        manager: r.manager,
        script: r.script,
        pkg: pkg.pkg,
        count: pkg.scripts.length,
        near: near ? `; did you mean \`${near}\`?` : '',
      },
      file: path,
      range: rangeOf(p, r),
      severity: 'warning',
    });
  }
}

export const rule: Rule = {
  meta: {
    id: 'conventions/broken-reference',
    surface: 'conventions',
    defaultSeverity: 'error',
    description:
      'An @import, .cursorrules import line, Markdown link or frontmatter path points to a file that does not exist or lies outside the repository',
    fixable: false,
    messages: {
      missingImport:
        '@{spec} imports {target}, which does not exist. The agent silently loads nothing in its place; fix the path (imports are relative to this file) or remove the line.',
      globImport: '@{spec} is a glob, but imports name one file each; nothing is loaded. List the files one by one.',
      missingLink:
        'The link to {target} leads nowhere: the file does not exist. Agents that follow it (and readers) find nothing; fix the path (relative to this file) or remove the link.',
      missingPath:
        'The frontmatter path {target} does not exist, so this rule never applies to it. Fix the path or use a glob that matches.',
      missingScript:
        '`{manager} run {script}` names a script that {pkg} does not define (it has {count} scripts{near}). Agents run the commands this file lists and fail here; fix the name or add the script.',
      outside:
        '{spec} points outside the repository. It was not read (nothing outside the workspace is); agents on other machines load something else or nothing. Move the file into the repository.',
      home: "@{spec} imports a file from the user's home folder: it exists only on machines that have it and was not checked. Keep shared conventions in the repository.",
    },
  },
  check(ctx) {
    const graph = importGraph(ctx.snapshot, ctx.cache);
    for (const path of graph.nodes) {
      const p = parseConvention(ctx.snapshot, ctx.cache, path);
      if (!p) continue;
      for (const e of graph.edges.get(path) ?? []) {
        const r = e.resolution;
        const range = rangeOf(p, e.fact);
        if (r.status === 'home') {
          ctx.report({ messageId: 'home', data: { spec: e.fact.spec }, file: path, range, severity: 'info' });
        } else if (r.status === 'outside') {
          if (e.fact.pathLike)
            ctx.report({
              messageId: 'outside',
              data: { spec: '@' + e.fact.spec },
              file: path,
              range,
              severity: 'warning',
            });
        } else if (r.status === 'inside' && !r.exists) {
          if (/[*?]/.test(e.fact.spec))
            ctx.report({
              messageId: 'globImport',
              data: { spec: e.fact.spec },
              file: path,
              range,
              severity: 'warning',
            });
          else if (e.fact.pathLike)
            ctx.report({
              messageId: 'missingImport',
              data: { spec: e.fact.spec, target: r.target },
              file: path,
              range,
            });
        }
      }
    }
    for (const g of conventionFiles(ctx.snapshot)) {
      const p = parseConvention(ctx.snapshot, ctx.cache, g.path);
      if (!p) continue;
      // Resolving thousands of links is memoised per chunk and file list: an edit re-resolves one chunk's links.
      type Bad = LinkFact & { messageId: string; data: Record<string, string> };
      const bad = perChunk<Bad>(
        p,
        'badlinks',
        (_chunk, facts) =>
          facts.links.flatMap((l): Bad[] => {
            const r = resolveLink(ctx.snapshot, g.path, l.url);
            if (r.status === 'outside') return [{ ...l, messageId: 'outside', data: { spec: l.url } }];
            if (r.status === 'inside' && !r.exists)
              return [{ ...l, messageId: 'missingLink', data: { target: r.target } }];
            return [];
          }),
        ctx.snapshot.filesVersion,
      );
      for (const b of bad)
        ctx.report({ messageId: b.messageId, data: b.data, file: g.path, range: rangeOf(p, b), severity: 'warning' });
      checkScripts(ctx, g.path, p);
      if (!p.frontmatter || !['cursor-mdc', 'copilot-scoped-instructions', 'claude-rules'].includes(g.kind)) continue;
      const fm = frontmatterValues(p);
      const base = g.kind === 'cursor-mdc' ? scopeDir(g.path) : g.kind === 'claude-rules' ? scopeDir(g.path) : '';
      for (const key of ['globs', 'applyTo', 'paths']) {
        const v = fm[key];
        const items =
          typeof v === 'string'
            ? v.split(',')
            : Array.isArray(v)
              ? v.filter((x): x is string => typeof x === 'string')
              : [];
        for (const raw of items) {
          const item = raw.trim().replace(/^\.\//, '');
          if (!item || GLOB_MAGIC.test(item)) continue;
          const target = base ? `${base}/${item}` : item;
          if (ctx.snapshot.fileSet.has(target) || ctx.snapshot.exists(target)) continue;
          const at = p.text.indexOf(raw.trim(), p.frontmatter.yaml.start);
          const span =
            at !== -1 && at < p.frontmatter.yaml.end ? { start: at, end: at + raw.trim().length } : p.frontmatter.block;
          ctx.report({
            messageId: 'missingPath',
            data: { target },
            file: g.path,
            range: rangeOf(p, span),
            severity: 'warning',
          });
        }
      }
    }
  },
};

// conventions/broken-reference: a reference in a convention file that leads nowhere — an `@import` (Claude,
// Gemini, Cursor), a `.cursorrules` import line, a Markdown link or image to a local file, a literal path in
// frontmatter (`globs`, `applyTo`, `paths`), an `npm run <script>` the package does not define — or one that
// leaves the repository (reported, never read).
// Not references: `@scope/pkg` npm names, `@pytest.mark.x` decorators, `@user` mentions, e-mail addresses and
// anything in code spans, code blocks or HTML comments (agents skip those too).

import type { Rule, RuleContext } from '../../rule';
import { scriptRunsOf } from '../../conventions/commands';
import { importGraph } from '../../conventions/graph';
import { markersOf, proposals } from '../../conventions/ratified';
import {
  frontmatterValues,
  parseConvention,
  perChunk,
  type LinkFact,
  type ParsedConvention,
} from '../../conventions/parse';
import { allPackages, nearestPackage, readPackage, type PackageScripts } from '../../conventions/packages';
import { resolveLink } from '../../conventions/refs';
import { rangeOf } from '../../conventions/report';
import { conventionFiles, scopeDir } from '../../conventions/text';

const GLOB_MAGIC = /[*?[\]{}!]/;

const HEADING = /^#{1,6}[ \t].*$/gm;

/** The headings of a text (offset and text, ascending), found once per text: a file with thousands of commands
 * must not be scanned from the top for each of them. */
const headingsCache = new WeakMap<ParsedConvention, { at: number; text: string }[]>();
function headingsOf(p: ParsedConvention): { at: number; text: string }[] {
  let hs = headingsCache.get(p);
  if (!hs) {
    hs = [];
    HEADING.lastIndex = 0;
    for (let m = HEADING.exec(p.text); m; m = HEADING.exec(p.text)) hs.push({ at: m.index, text: m[0] });
    headingsCache.set(p, hs);
  }
  return hs;
}

/** The text that says where a command runs: its own line and the heading of its section. */
function contextOf(p: ParsedConvention, at: number): string {
  const text = p.text;
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at);
  // The last heading that starts before the command's line.
  const hs = headingsOf(p);
  let lo = 0;
  let hi = hs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (hs[mid]!.at < lineStart) lo = mid + 1;
    else hi = mid;
  }
  const heading = lo > 0 ? hs[lo - 1]!.text : '';
  return heading + '\n' + text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
}

function mentions(context: string, word: string): boolean {
  for (let i = context.indexOf(word); i !== -1; i = context.indexOf(word, i + 1)) {
    const before = context[i - 1];
    const after = context[i + word.length];
    if ((before === undefined || !/[\w@/.-]/.test(before)) && (after === undefined || !/[\w-]/.test(after)))
      return true;
  }
  return false;
}

/**
 * Does a package the command can plausibly reach define the script? Agents run commands from the repository root,
 * from the folder of the file, or from the folder the text names ("from `apps/vscode`", `cd clients/web && …`, a
 * section headed "VS Code extension (`apps/vscode`, package `claude-dev`)"). A script none of those define is
 * reported; one defined only in a package the text never points to is too (the file describes a layout the
 * repository no longer has).
 */
function reachable(ctx: RuleContext, p: ParsedConvention, at: number, script: string, near: PackageScripts): boolean {
  if (near.scripts.includes(script)) return true;
  const root = ctx.snapshot.fileSet.has('package.json') ? readPackage(ctx, 'package.json') : undefined;
  if (root?.scripts.includes(script)) return true;
  const context = contextOf(p, at);
  for (const pkg of allPackages(ctx)) {
    const p = readPackage(ctx, pkg);
    if (!p || !p.dir || !p.scripts.includes(script)) continue;
    if (mentions(context, p.dir) || (p.name !== undefined && mentions(context, p.name))) return true;
  }
  return false;
}

/**
 * The spans of the ratified rules in a file whose scripts flywheel/stale-rule checks: the text after a marker of an
 * applied convention proposal that targets this file. A script missing there is one problem with one remedy (update
 * the rule through a proposal; editing ratified text by hand breaks its marker), so it is stale-rule's finding.
 */
function ratifiedSpans(ctx: RuleContext, path: string, p: ParsedConvention): { start: number; end: number }[] {
  const markers = markersOf(p).filter((m) => m.textSpan);
  if (!markers.length) return [];
  const applied = new Set(
    proposals(ctx.snapshot, ctx.cache)
      .filter(
        (q) =>
          q.status === 'applied' &&
          (q.route ?? 'convention') === 'convention' &&
          q.rule !== undefined &&
          q.retires === undefined &&
          q.target === path,
      )
      .map((q) => q.id),
  );
  return markers.filter((m) => applied.has(m.id)).map((m) => m.textSpan!);
}

function checkScripts(ctx: RuleContext, path: string, p: ParsedConvention): void {
  const runs = scriptRunsOf(p);
  if (!runs.length) return;
  const pkg = nearestPackage(ctx, scopeDir(path));
  if (!pkg) return;
  const ratified = ratifiedSpans(ctx, path, p);
  for (const r of runs) {
    if (reachable(ctx, p, r.start, r.script, pkg)) continue;
    if (ratified.some((s) => r.start >= s.start && r.start < s.end)) continue; // flywheel/stale-rule's
    const near = pkg.scripts.find((s) => s.toLowerCase() === r.script.toLowerCase() || s.startsWith(r.script + ':'));
    // Defined elsewhere but never pointed to: say where, so the fix is to name the folder (or a workspace flag).
    const elsewhere = allPackages(ctx).filter((f) => f !== pkg.pkg && readPackage(ctx, f)?.scripts.includes(r.script));
    const hint = elsewhere.length
      ? `; only ${elsewhere.slice(0, 2).join(', ')}${elsewhere.length > 2 ? ` and ${elsewhere.length - 2} more` : ''} define${elsewhere.length === 1 ? 's' : ''} it, and this text does not say to run it there`
      : near
        ? `; did you mean \`${near}\`?`
        : '';
    ctx.report({
      messageId: 'missingScript',
      data: { manager: r.manager, script: r.script, pkg: pkg.pkg, count: pkg.scripts.length, near: hint },
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
      // Broken YAML is conventions/frontmatter's one finding: what the values are is anyone's guess.
      if (p.frontmatter.doc.errors.length) continue;
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

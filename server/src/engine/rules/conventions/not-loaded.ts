// conventions/not-loaded: a file that looks like a convention file but that no agent will load — an
// `.github/instructions/*.md` without the `.instructions.md` suffix, a `.md` file in `.cursor/rules` (Cursor reads
// `.mdc`), an `.mdc` directly in `.cursor/` (not under `rules/`), a misspelt or wrongly cased name (`claude.md`,
// `AGENT.md`), a nested `.cursorrules` or `copilot-instructions.md` outside `.github/`, a file the loader settings
// switch off (`claudeMdExcludes`, Gemini's `context.fileName`), or a scoped rule whose globs match no file in the
// repository.

import { posix } from 'node:path';
import * as jsonc from 'jsonc-parser';
import { MAX_DEPTH, nestingDepth } from '../../json';
import picomatch from 'picomatch';
import type { Rule, RuleContext } from '../../rule';
import { FILE_START } from '../../text';
import { frontmatterValues, parseConvention } from '../../conventions/parse';
import { rangeOf } from '../../conventions/report';
import { conventionFiles, scopeDir } from '../../conventions/text';

const CANONICAL = ['CLAUDE.md', 'AGENTS.md', 'GEMINI.md', 'CLAUDE.local.md'];

/** A case variant of a name agents look for (`Claude.md`, `AGENTS.MD`), or the singular `AGENT.md`. An all-lower-case
 * `agents.md`/`agent.md` below the root is usually a document *about* agents (docs/agent.md), so only the root's
 * counts. */
function misnamed(path: string, base: string): boolean {
  const lower = base.toLowerCase();
  if (base === 'AGENT.md') return true;
  if (!CANONICAL.some((c) => c.toLowerCase() === lower) || CANONICAL.includes(base)) return false;
  return base !== lower || !path.includes('/');
}

export const rule: Rule = {
  meta: {
    id: 'conventions/not-loaded',
    surface: 'conventions',
    defaultSeverity: 'warning',
    description:
      'A file looks like a convention file, but no agent loads it (wrong name, suffix or place, or globs that match nothing)',
    fixable: false,
    messages: {
      noSuffix:
        '{path} is in .github/instructions/ but its name does not end in `.instructions.md`, so Copilot never loads it. Rename it to {suggested}.',
      outsideInstructions:
        '{path} is an instructions file outside .github/instructions/, where Copilot looks by default, so it is not loaded (unless `chat.instructionsFilesLocations` lists its folder). Move it there.',
      cursorMdcOutsideRules:
        '{path} sits directly in .cursor/; Cursor loads project rules only from .cursor/rules/, so it is never loaded. Move it to {suggested}.',
      cursorMd:
        '{path} is a plain `.md` file in .cursor/rules/; Cursor reads rule files ending in `.mdc`, so it is probably ignored. Rename it to {suggested} and add its frontmatter.',
      misnamed:
        '{path} is not a name agents look for (they read {expected}, and file names are case-sensitive on Linux and in CI), so it is never loaded. Rename it to {expected}.',
      nestedCursorrules:
        '{path}: Cursor reads only the `.cursorrules` at the root of the workspace, so this one is not loaded. Move its rules to a `.cursor/rules/*.mdc` file in {dir}.',
      misplacedCopilot:
        '{path}: Copilot reads repository instructions only from `.github/copilot-instructions.md`, so this file is not loaded. Move it there (or to `.github/instructions/*.instructions.md` with `applyTo`).',
      excluded:
        '{path} matches `{pattern}` in `claudeMdExcludes` of {settings}, so Claude Code never loads it. If that is intended, nothing to do; otherwise narrow the pattern.',
      geminiFileName:
        '{path}: {settings} sets `context.fileName` to {names}, so Gemini CLI reads those files instead and never loads this one. Add `GEMINI.md` to the list, or move its content.',
      noMatch:
        'The {key} of this rule ({patterns}) match no file in the repository, so {agent} never applies it. Fix the patterns (they are relative to {base}).',
    },
    dependsOn: [
      'files',
      'cursor-mdc',
      'copilot-scoped-instructions',
      'claude-rules',
      'claude-settings',
      'claude-settings-local',
      'gemini-settings',
    ],
  },
  check(ctx) {
    const files = ctx.snapshot.files;
    for (const f of files) {
      const base = posix.basename(f);
      const lower = base.toLowerCase();
      if (/^\.github\/instructions\/.+\.md$/i.test(f) && !/\.instructions\.md$/.test(f)) {
        ctx.report({
          messageId: 'noSuffix',
          data: { path: f, suggested: f.replace(/(\.instructions)?\.md$/i, '.instructions.md') },
          file: f,
          range: FILE_START,
        });
      } else if (
        /\.instructions\.md$/.test(f) &&
        !f.startsWith('.github/instructions/') &&
        !f.includes('/node_modules/')
      ) {
        ctx.report({ messageId: 'outsideInstructions', data: { path: f }, file: f, range: FILE_START });
      } else if (/(^|\/)\.cursor\/[^/]+\.mdc$/.test(f)) {
        ctx.report({
          messageId: 'cursorMdcOutsideRules',
          data: { path: f, suggested: f.replace(/\.cursor\/([^/]+)$/, '.cursor/rules/$1') },
          file: f,
          range: FILE_START,
        });
      } else if (/(^|\/)\.cursor\/rules\/.+\.md$/.test(f)) {
        ctx.report({
          messageId: 'cursorMd',
          data: { path: f, suggested: f.replace(/\.md$/, '.mdc') },
          file: f,
          range: FILE_START,
        });
      } else if (misnamed(f, base)) {
        const expected = base === 'AGENT.md' ? 'AGENTS.md' : CANONICAL.find((c) => c.toLowerCase() === lower)!;
        ctx.report({ messageId: 'misnamed', data: { path: f, expected }, file: f, range: FILE_START });
      } else if (base === '.cursorrules' && f !== '.cursorrules') {
        ctx.report({
          messageId: 'nestedCursorrules',
          data: { path: f, dir: posix.dirname(f) },
          file: f,
          range: FILE_START,
        });
      } else if (lower === 'copilot-instructions.md' && f !== '.github/copilot-instructions.md') {
        ctx.report({ messageId: 'misplacedCopilot', data: { path: f }, file: f, range: FILE_START });
      }
    }
    settingsExclusions(ctx);
    // Scoped rules whose globs match nothing.
    for (const g of conventionFiles(ctx.snapshot)) {
      if (g.kind !== 'cursor-mdc' && g.kind !== 'copilot-scoped-instructions' && g.kind !== 'claude-rules') continue;
      const p = parseConvention(ctx.snapshot, ctx.cache, g.path);
      // Broken YAML is conventions/frontmatter's one finding: what the values are is anyone's guess.
      if (!p?.frontmatter || p.frontmatter.doc.errors.length) continue;
      const fm = frontmatterValues(p);
      if (g.kind === 'cursor-mdc' && fm.alwaysApply === true) continue;
      const key = g.kind === 'cursor-mdc' ? 'globs' : g.kind === 'claude-rules' ? 'paths' : 'applyTo';
      const v = fm[key];
      const patterns = (
        typeof v === 'string'
          ? v.split(',')
          : Array.isArray(v)
            ? v.filter((x): x is string => typeof x === 'string')
            : []
      )
        .map((s) => s.trim())
        .filter((s) => s && !s.startsWith('!'));
      if (!patterns.length) continue;
      const base = g.kind === 'copilot-scoped-instructions' ? '' : scopeDir(g.path);
      // Matching every file of a large repository is memoised until the rule or the file list changes.
      const matches = ctx.cache.memo(
        'conventions:globmatch:' + g.path,
        ctx.snapshot.version(g.path) + '|' + ctx.snapshot.filesVersion,
        () => {
          const under = base
            ? files.filter((f) => f.startsWith(base + '/')).map((f) => f.slice(base.length + 1))
            : files;
          const matchers = patterns.map((pat) =>
            picomatch(pat.replace(/^\.\//, '').replace(/^\//, ''), { dot: true, basename: !pat.includes('/') }),
          );
          return under.some((f) => matchers.some((m) => m(f)));
        },
      );
      if (matches) continue;
      // A literal path that does not exist is conventions/broken-reference's finding.
      if (patterns.every((s) => !/[*?[\]{}]/.test(s))) continue;
      const keyLine = new RegExp(`^${key}\\s*:`, 'm').exec(
        p.text.slice(p.frontmatter.yaml.start, p.frontmatter.yaml.end),
      );
      const span = keyLine
        ? {
            start: p.frontmatter.yaml.start + keyLine.index,
            end: p.frontmatter.yaml.start + keyLine.index + key.length,
          }
        : p.frontmatter.block;
      ctx.report({
        messageId: 'noMatch',
        data: {
          key,
          patterns: patterns.join(', '),
          agent: g.kind === 'cursor-mdc' ? 'Cursor' : g.kind === 'claude-rules' ? 'Claude Code' : 'Copilot',
          base: base || 'the repository root',
        },
        file: g.path,
        range: rangeOf(p, span),
      });
    }
  },
};

function settingsJson(ctx: RuleContext, path: string): Record<string, unknown> | undefined {
  if (!ctx.snapshot.fileSet.has(path)) return undefined;
  return ctx.cache.memo('conventions:settings:' + path, ctx.snapshot.version(path), () => {
    const r = ctx.snapshot.read(path);
    if (!r.ok || nestingDepth(r.text) > MAX_DEPTH) return undefined; // settings/invalid reports it
    const v = jsonc.parse(r.text, [], { allowTrailingComma: true }) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  });
}

/** Loader settings that switch convention files off: Claude Code's `claudeMdExcludes` (globs matched against
 * absolute paths; formats §1.5) and Gemini CLI's `context.fileName` (formats §2.2). */
function settingsExclusions(ctx: RuleContext): void {
  const root = ctx.snapshot.root.replace(/\\/g, '/').replace(/\/$/, '');
  for (const settings of ['.claude/settings.json', '.claude/settings.local.json']) {
    const excl = settingsJson(ctx, settings)?.claudeMdExcludes;
    if (!Array.isArray(excl)) continue;
    const pats = excl.filter((x): x is string => typeof x === 'string' && x.length > 0);
    for (const g of ctx.snapshot.byKind('claude-md', 'claude-local-md', 'claude-rules')) {
      const abs = `${root}/${g.path}`;
      const hit = pats.find((pat) => picomatch(pat, { dot: true })(abs) || picomatch(pat, { dot: true })(g.path));
      if (hit)
        ctx.report({
          messageId: 'excluded',
          data: { path: g.path, pattern: hit, settings },
          file: g.path,
          range: FILE_START,
          severity: 'info',
        });
    }
  }
  const ctxSetting = (settingsJson(ctx, '.gemini/settings.json')?.context as Record<string, unknown> | undefined)
    ?.fileName;
  const names =
    typeof ctxSetting === 'string'
      ? [ctxSetting]
      : Array.isArray(ctxSetting)
        ? ctxSetting.filter((x): x is string => typeof x === 'string')
        : undefined;
  if (names && names.length && !names.includes('GEMINI.md')) {
    for (const g of ctx.snapshot.byKind('gemini-md')) {
      ctx.report({
        messageId: 'geminiFileName',
        data: { path: g.path, settings: '.gemini/settings.json', names: names.map((n) => `\`${n}\``).join(', ') },
        file: g.path,
        range: FILE_START,
      });
    }
  }
}

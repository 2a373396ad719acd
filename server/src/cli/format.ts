// Output formats of `flywheel check`: text (grouped by file like ESLint's stylish), JSON (a contract), SARIF 2.1.0.

import { pathToFileURL } from 'node:url';
import type { Finding, Severity } from '../engine/index';
import { docsUrl, type Rule } from '../engine/rule';
import { VERSION } from './version';
import { paint } from './io';

/** What `flywheel check` found in one folder (checkFolder's result; the formats' input). */
export interface CheckResult {
  root: string;
  findings: Finding[];
  policySources: string[];
  filesChecked: number;
}

export function formatText(result: CheckResult, findings: Finding[], color: boolean, maxWarnings: number): string {
  const c = paint(color);
  const lines: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  const sevWord: Record<Severity, string> = {
    error: c.red('error'),
    warning: c.yellow('warning'),
    info: c.blue('info'),
  };
  for (const [file, fs] of byFile) {
    // `.` is the repository as a whole (a finding about a file that does not exist yet): no line, no column.
    const root = file === '.';
    lines.push('', c.underline(root ? '. (the repository)' : file));
    const rows = fs.map(
      (f) =>
        [
          root ? '-' : `${f.range.start.line + 1}:${f.range.start.character + 1}`,
          f.severity,
          f.message,
          f.ruleId,
        ] as const,
    );
    const posW = Math.max(...rows.map((r) => r[0].length));
    const sevW = Math.max(...rows.map((r) => r[1].length));
    for (const [pos, sev, msg, id] of rows) {
      lines.push(`  ${c.dim(pos.padEnd(posW))}  ${sevWord[sev]}${' '.repeat(sevW - sev.length)}  ${msg}  ${c.dim(id)}`);
    }
  }
  const e = findings.filter((f) => f.severity === 'error').length;
  const w = findings.filter((f) => f.severity === 'warning').length;
  const i = findings.filter((f) => f.severity === 'info').length;
  const total = e + w + i;
  lines.push('');
  if (total === 0 && result.filesChecked === 0) {
    lines.push(c.bold(`✔ nothing to check: no governance files under ${result.root}`));
  } else if (total === 0) {
    lines.push(
      c.bold(`✔ no problems in ${result.filesChecked} governance file${result.filesChecked === 1 ? '' : 's'}`),
    );
  } else {
    const summary = `✖ ${total} problem${total === 1 ? '' : 's'} (${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}, ${i} info${i === 1 ? '' : 's'}) in ${result.filesChecked} governance files`;
    lines.push(c.bold(e ? c.red(summary) : c.yellow(summary)));
  }
  if (maxWarnings >= 0 && w > maxWarnings)
    lines.push(c.red(`Too many warnings (${w}); the maximum allowed is ${maxWarnings}.`));
  lines.push(c.dim(`policy: ${result.policySources.join(' ← ')}`));
  return lines.join('\n') + '\n';
}

/** The JSON contract: {"version":1,"root","policy":{"sources"},"findings":[…],"summary":{…}}. 1-based positions. */
export function formatJson(result: CheckResult, findings: Finding[]): string {
  const out = {
    version: 1,
    root: result.root,
    policy: { sources: result.policySources },
    findings: findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      surface: f.surface,
      file: f.file,
      line: f.range.start.line + 1,
      column: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
      message: f.message,
      ...(f.messageId ? { messageId: f.messageId } : {}),
      ...(f.related?.length
        ? {
            related: f.related.map((r) => ({
              file: r.file,
              line: r.range.start.line + 1,
              column: r.range.start.character + 1,
              message: r.message,
            })),
          }
        : {}),
      ...(f.fixes?.length
        ? {
            fixes: f.fixes.map((x) => ({
              title: x.title,
              kind: x.kind ?? 'quickfix',
              ...(x.proposal ? { proposal: x.proposal } : {}),
            })),
          }
        : {}),
    })),
    summary: {
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      infos: findings.filter((f) => f.severity === 'info').length,
      filesChecked: result.filesChecked,
    },
  };
  return JSON.stringify(out, null, 2) + '\n';
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

function isAbs(file: string): boolean {
  return file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file);
}

function artifact(file: string) {
  if (isAbs(file)) return { uri: pathToFileURL(file).href };
  return { uri: encodeURI(file === '.' ? '' : file), uriBaseId: '%SRCROOT%' };
}

function region(r: Finding['range']) {
  return {
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  };
}

/** SARIF 2.1.0 for code scanning: rule metadata with help links to the rule docs, results with locations and fixes. */
export function formatSarif(result: CheckResult, findings: Finding[], rules: readonly Rule[]): string {
  const index = new Map(rules.map((r, i) => [r.meta.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Governance Flywheel',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: 'https://github.com/governance-flywheel/governance-flywheel',
            rules: rules.map((r) => ({
              id: r.meta.id,
              name: r.meta.id.replace(/[/-](\w)/g, (_m, ch: string) => ch.toUpperCase()),
              shortDescription: { text: r.meta.description },
              fullDescription: { text: r.meta.description },
              helpUri: docsUrl(r.meta.id),
              help: { text: `${r.meta.description}. See ${docsUrl(r.meta.id)}` },
              defaultConfiguration: { level: LEVEL[r.meta.defaultSeverity] },
              properties: { surface: r.meta.surface, fixable: r.meta.fixable, tags: ['governance', r.meta.surface] },
            })),
          },
        },
        originalUriBaseIds: {
          '%SRCROOT%': { uri: pathToFileURL(result.root.endsWith('/') ? result.root : result.root + '/').href },
        },
        results: findings.map((f) => ({
          ruleId: f.ruleId,
          ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
          level: LEVEL[f.severity],
          message: { text: f.message },
          // The repository root (`.`) is a location without a region.
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifact(f.file),
                ...(f.file === '.' ? {} : { region: region(f.range) }),
              },
            },
          ],
          ...(f.related?.length
            ? {
                relatedLocations: f.related.map((r, i) => ({
                  id: i,
                  message: { text: r.message },
                  physicalLocation: { artifactLocation: artifact(r.file), region: region(r.range) },
                })),
              }
            : {}),
          ...(f.fixes?.some((x) => x.edits.every((e) => !e.create))
            ? {
                fixes: f.fixes
                  .filter((x) => x.edits.every((e) => !e.create))
                  .map((x) => {
                    const byFile = new Map<string, typeof x.edits>();
                    for (const e of x.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
                    return {
                      description: { text: x.title },
                      artifactChanges: [...byFile].map(([file, edits]) => ({
                        artifactLocation: artifact(file),
                        replacements: edits.map((e) => ({
                          deletedRegion: region(e.range),
                          insertedContent: { text: e.newText },
                        })),
                      })),
                    };
                  }),
              }
            : {}),
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

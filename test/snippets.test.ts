// Every snippet the extension contributes expands to content that passes our own rules: the policy skeletons are
// valid policies, the CODEOWNERS blocks and the convention-file sections raise no finding on their lines, and a file
// composed of them raises none at all.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { AnalysisCache, check, type Finding } from '../server/src/engine/index';
import { loadPolicy } from '../server/src/engine/policy/load';
import { openWorkspace } from '../server/src/node/discovery';
import { REPO_ROOT, tempWorkspace } from './helpers';

interface Snippet {
  prefix: string;
  body: string | string[];
  description?: string;
}

/** Expand a snippet as VS Code does with every placeholder left at its default (choices: the first). */
export function expandSnippet(body: string | string[]): string {
  const src = Array.isArray(body) ? body.join('\n') : body;
  const defaults = new Map<string, string>();
  const REF = (n: string) => `\u0000${n}\u0000`;
  const parse = (i: number, inBraces: boolean): [string, number] => {
    let out = '';
    while (i < src.length) {
      const c = src[i]!;
      if (c === '\\' && i + 1 < src.length) {
        out += src[i + 1];
        i += 2;
        continue;
      }
      if (inBraces && c === '}') return [out, i];
      if (c === '$') {
        const rest = src.slice(i);
        let m = /^\$(\d+)/.exec(rest) ?? /^\$\{(\d+)\}/.exec(rest);
        if (m) {
          out += REF(m[1]!);
          i += m[0].length;
          continue;
        }
        m = /^\$\{(\d+)\|([^|]*)\|\}/.exec(rest);
        if (m) {
          const v = m[2]!.split(',')[0]!;
          if (!defaults.has(m[1]!)) defaults.set(m[1]!, v);
          out += v;
          i += m[0].length;
          continue;
        }
        m = /^\$\{(\d+):/.exec(rest);
        if (m) {
          const [inner, end] = parse(i + m[0].length, true);
          // The first placeholder with an index sets its text; later ones with the same index mirror it.
          if (defaults.has(m[1]!)) out += REF(m[1]!);
          else {
            defaults.set(m[1]!, inner);
            out += inner;
          }
          i = end + 1;
          continue;
        }
        m = /^\$\{[A-Z_]+(?::[^}]*)?\}/.exec(rest) ?? /^\$[A-Z_]+/.exec(rest);
        if (m) {
          i += m[0].length; // variables (TM_FILENAME …) expand to nothing here
          continue;
        }
      }
      out += c;
      i++;
    }
    return [out, i];
  };
  let [text] = parse(0, false);
  // NUL brackets the placeholders: no snippet text can contain it.
  // eslint-disable-next-line no-control-regex
  const placeholder = /\u0000(\d+)\u0000/g;
  for (let k = 0; k < 8 && text.includes('\u0000'); k++)
    text = text.replace(placeholder, (_, n: string) => defaults.get(n) ?? '');
  return text;
}

function readSnippets(file: string): [string, Snippet][] {
  return Object.entries(
    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'snippets', file), 'utf8')) as Record<string, Snippet>,
  );
}

function run(files: Record<string, string>): Finding[] {
  const ws = tempWorkspace(files);
  try {
    const snapshot = openWorkspace(ws.dir, { git: false, managedSettingsPath: null, userSettingsPath: null });
    return check(snapshot, loadPolicy(snapshot), new AnalysisCache());
  } finally {
    ws.cleanup();
  }
}

const show = (fs: Finding[]) =>
  fs.map((f) => `${f.file}:${f.range.start.line + 1} ${f.ruleId}: ${f.message}`).join('\n');
/** Findings inside lines [from, to) of a file, leaving out whole-file findings (0:0-0:0). */
const within = (found: Finding[], file: string, from: number, to: number) =>
  found.filter(
    (f) =>
      f.file === file &&
      !(
        f.range.start.line === 0 &&
        f.range.end.line === 0 &&
        f.range.start.character === 0 &&
        f.range.end.character === 0
      ) &&
      f.range.start.line >= from &&
      f.range.start.line < to,
  );

describe('snippet expansion', () => {
  test('placeholders, references, choices, escapes', () => {
    assert.equal(
      expandSnippet(['${1:@org/team} $1', '${2:${1:x}}', '${3|error,off|}', '\\$4 $0']),
      '@org/team @org/team\n@org/team\nerror\n$4 ',
    );
  });
});

describe('snippets/policy.json', () => {
  for (const [name, s] of readSnippets('policy.json')) {
    test(`"${name}" is a valid policy`, () => {
      const text = expandSnippet(s.body);
      const policy = text.trimStart().startsWith('{')
        ? text
        : /^"[a-z]+\/[a-z-]+"/.test(text)
          ? `{ "rules": { ${text} } }`
          : `{\n${text}\n}`;
      // Findings about the policy itself (a finding about a missing file is shown at the policy that requires it).
      const found = run({ '.governance/policy.json': policy + '\n' }).filter(
        (f) => f.file === '.governance/policy.json' && f.ruleId.startsWith('policy/'),
      );
      assert.deepEqual(found, [], `${policy}\n${show(found)}`);
    });
  }
});

const OWNED_TREE = {
  '.governance/policy.json':
    '{ "ownership": { "knownOwners": ["@org/platform", "@org/maintainers", "@org/payments"] } }\n',
  'CLAUDE.md': '# Project\n',
  'AGENTS.md': '# Project\n',
  '.claude/settings.json': '{}\n',
  '.mcp.json': '{ "mcpServers": {} }\n',
  'services/payments/index.ts': 'export {};\n',
  'src/index.ts': 'export {};\n',
};

describe('snippets/codeowners.json', () => {
  const snippets = readSnippets('codeowners.json');
  for (const [name, s] of snippets) {
    test(`"${name}" raises no finding on its lines`, () => {
      const text = expandSnippet(s.body) + '\n';
      const gitlab = /^\^?\[/m.test(text);
      const file = gitlab ? '.gitlab/CODEOWNERS' : '.github/CODEOWNERS';
      const found = within(run({ ...OWNED_TREE, [file]: text }), file, 0, text.split('\n').length);
      assert.deepEqual(found, [], `${text}\n${show(found)}`);
    });
  }
  test('a CODEOWNERS made of the GitHub snippets, catch-all first, passes every rule', () => {
    const order = ['Catch-all owner', 'Governance files block', 'Directory owner'];
    const text = order.map((n) => expandSnippet(snippets.find(([k]) => k === n)![1].body)).join('\n\n') + '\n';
    const found = run({
      ...OWNED_TREE,
      '.github/CODEOWNERS': text,
      '.github/pull_request_template.md': '## Summary\n\n**Author of record:** @someone\n',
    }).filter((f) => f.file === '.github/CODEOWNERS');
    assert.deepEqual(found, [], `${text}\n${show(found)}`);
  });
});

describe('snippets/convention-sections.json', () => {
  const snippets = readSnippets('convention-sections.json');
  const CODEOWNERS =
    '* @org/maintainers\n/.governance/ @org/platform\n/.github/CODEOWNERS @org/platform\nAGENTS.md @org/platform\nCLAUDE.md @org/platform\n';
  for (const [name, s] of snippets) {
    test(`"${name}" raises no finding on its lines`, () => {
      const head = '# Project\n\n';
      const text = head + expandSnippet(s.body) + '\n';
      const found = within(
        run({ ...OWNED_TREE, '.github/CODEOWNERS': CODEOWNERS, 'AGENTS.md': text }),
        'AGENTS.md',
        2,
        text.split('\n').length,
      );
      assert.deepEqual(found, [], `${text}\n${show(found)}`);
    });
  }
});

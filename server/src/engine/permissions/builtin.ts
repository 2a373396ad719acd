// What Claude Code allows with no rule at all (class 7 of issue 16), pinned to the version the decision table was
// checked against. Both lists come from that version's behaviour (checked with cc-oracle) and can change with any
// release: docs/permissions.md lists them as version-dependent.

import type { CommandPart } from './bash';

/** The Claude Code version these built-in allowances were read from and checked against. */
export const BUILTIN_VERSION = '2.1.330';

/** Hosts (or host/path prefixes) whose pages WebFetch fetches without asking. */
export const PREAPPROVED_FETCH = [
  'platform.claude.com',
  'code.claude.com',
  'claude.dev',
  'www.claude.dev',
  'claude.com/docs',
  'modelcontextprotocol.io',
  'github.com/anthropics',
  'github.com/anthropic-experimental',
  'raw.githubusercontent.com/anthropics',
  'raw.githubusercontent.com/anthropic-experimental',
  'agentskills.io',
  'docs.python.org',
  'en.cppreference.com',
  'docs.oracle.com',
  'learn.microsoft.com',
  'developer.mozilla.org',
  'go.dev/doc',
  'go.dev/ref',
  'www.php.net',
  'docs.swift.org',
  'kotlinlang.org',
  'ruby-doc.org',
  'doc.rust-lang.org',
  'www.typescriptlang.org',
  'react.dev',
  'angular.io',
  'vuejs.org',
  'nextjs.org',
  'expressjs.com',
  'nodejs.org',
  'bun.sh',
  'jquery.com',
  'getbootstrap.com',
  'tailwindcss.com',
  'd3js.org',
  'threejs.org',
  'redux.js.org',
  'webpack.js.org',
  'jestjs.io',
  'reactrouter.com',
  'docs.djangoproject.com',
  'flask.palletsprojects.com',
  'fastapi.tiangolo.com',
  'pandas.pydata.org',
  'numpy.org',
  'www.tensorflow.org',
  'pytorch.org',
  'scikit-learn.org',
  'matplotlib.org',
  'requests.readthedocs.io',
  'jupyter.org',
  'laravel.com',
  'symfony.com',
  'wordpress.org/documentation',
  'docs.spring.io',
  'hibernate.org',
  'tomcat.apache.org',
  'gradle.org',
  'maven.apache.org',
  'asp.net',
  'dotnet.microsoft.com',
  'blazor.net',
  'reactnative.dev',
  'docs.flutter.dev',
  'developer.apple.com',
  'developer.android.com',
  'keras.io',
  'spark.apache.org',
  'huggingface.co/docs',
  'www.kaggle.com/docs',
  'www.mongodb.com',
  'redis.io',
  'www.postgresql.org',
  'dev.mysql.com',
  'www.sqlite.org',
  'graphql.org',
  'prisma.io',
  'docs.getdbt.com',
  'docs.aws.amazon.com',
  'cloud.google.com',
  'kubernetes.io',
  'www.docker.com',
  'www.terraform.io',
  'www.ansible.com',
  'vercel.com/docs',
  'docs.stripe.com',
  'docs.netlify.com',
  'devcenter.heroku.com',
  'dev.wix.com/docs',
  'cypress.io',
  'selenium.dev',
  'docs.unity.com',
  'docs.unrealengine.com',
  'git-scm.com',
  'nginx.org',
  'httpd.apache.org',
];

const preapproved = new Set(PREAPPROVED_FETCH);

/** Whether a WebFetch of `url` is pre-approved by Claude Code. */
export function preapprovedFetch(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return false;
  if (preapproved.has(u.hostname)) return true;
  const segs = u.pathname.split('/').filter(Boolean);
  for (let i = 1; i <= segs.length; i++) {
    if (preapproved.has(`${u.hostname}/${segs.slice(0, i).join('/')}`)) return true;
  }
  return false;
}

/** Read-only commands that run with no rule (any arguments but a path outside the working folders). */
const READ_ONLY = new Set([
  'docker ps',
  'docker images',
  'pwd',
  'whoami',
  'date',
  'echo',
  'printf',
  'true',
  'false',
  'id',
  'uname',
  'which',
  'nproc',
  'basename',
  'dirname',
  'realpath',
  'seq',
  'cal',
  'uptime',
  'groups',
  'locale',
  'cat',
  'head',
  'tail',
  'wc',
  'stat',
  'strings',
  'hexdump',
  'od',
  'nl',
  'cut',
  'paste',
  'tr',
  'column',
  'tac',
  'rev',
  'fold',
  'comm',
  'cmp',
  'diff',
  'readlink',
  'ls',
  'grep',
  'egrep',
  'fgrep',
  'find',
  'du',
  'df',
  'free',
  'cd',
]);
/** Arguments that echo/printf take as text, not paths. */
const TEXT_ONLY = new Set(['echo', 'printf', 'seq', 'true', 'false', 'date', 'cal', 'which', 'basename', 'dirname']);
const GIT_READ_ONLY = new Set(['status', 'log', 'diff', 'show', 'rev-parse', 'ls-files']);
/** find actions that run commands or change files. */
const FIND_ACTIONS = /^-(delete|rm|exec|execdir|ok|okdir|fprint|fprint0|fls|fprintf|files0-from)$/;

/**
 * Whether Claude Code runs this part with no rule: a read-only command whose arguments hold no expansion and whose
 * paths are inside the working folders (`inside`).
 */
export function readOnlyBuiltin(p: CommandPart, inside: (arg: string) => boolean): boolean {
  const [cmd, ...args] = p.argv;
  if (!cmd || p.dynamic || p.envNames.length || p.stripped !== p.text) return false;
  if (p.redirects.some((r) => !/^(\/dev\/null|&?\d+)$/.test(r.target.value))) return false;
  if (args.some((a) => /[$`{}]/.test(a))) return false;
  const version = args.length === 1 && (args[0] === '--version' || args[0] === '-v');
  if (version && /^(node|npm|python3?|git|go|cargo|rustc|java|deno|bun)$/.test(cmd)) return true;
  if (cmd === 'git') {
    const sub = args[0];
    return sub !== undefined && GIT_READ_ONLY.has(sub) && !args.some((a) => /^--(output|ext-diff)/.test(a));
  }
  if (cmd === 'docker') return args.length >= 1 && READ_ONLY.has(`docker ${args[0]}`) && args.length === 1;
  if (!READ_ONLY.has(cmd)) return false;
  if (cmd === 'find' && args.some((a) => FIND_ACTIONS.test(a))) return false;
  if (TEXT_ONLY.has(cmd)) return true;
  return args.filter((a) => !a.startsWith('-')).every(inside);
}

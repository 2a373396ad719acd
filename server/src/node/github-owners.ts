// The opt-in online check of CODEOWNERS owners through the GitHub REST API (`flywheel owners --online`). Never run
// by default: the engine works offline against `ownership.knownOwners`. Checks what GitHub itself requires of an
// owner: a user exists and has write access to the repository; a team exists, is visible to the token, and has
// explicit write access to the repository (GitHub: "make sure the team @org/x exists, is publicly visible, and has
// write access to the repository"). E-mail owners cannot be checked and are reported as such.

export type OnlineStatus = 'ok' | 'unknown' | 'no-write-access' | 'not-checked' | 'error';

export interface OnlineResult {
  owner: string;
  status: OnlineStatus;
  message: string;
}

export interface OnlineOptions {
  /** `owner/name` of the repository on GitHub. */
  repo: string;
  token: string;
  /** Default https://api.github.com (GitHub Enterprise Server: https://HOST/api/v3). */
  apiUrl?: string;
  /** Injected for tests; default the global fetch. */
  fetch?: (
    url: string,
    init: { headers: Record<string, string> },
  ) => Promise<{ status: number; json(): Promise<unknown> }>;
}

const WRITE = new Set(['admin', 'maintain', 'write', 'push']);

export async function checkOwnersOnline(owners: readonly string[], options: OnlineOptions): Promise<OnlineResult[]> {
  const api = (options.apiUrl ?? 'https://api.github.com').replace(/\/$/, '');
  const doFetch = options.fetch ?? ((url, init) => fetch(url, init));
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${options.token}`,
    'x-github-api-version': '2022-11-28',
  };
  const get = async (path: string, accept?: string) => {
    const r = await doFetch(api + path, { headers: accept ? { ...headers, accept } : headers });
    let body: unknown;
    try {
      body = r.status === 204 ? undefined : await r.json();
    } catch {
      body = undefined;
    }
    return { status: r.status, body };
  };
  const [repoOwner, repoName] = options.repo.split('/');
  const seen = new Set<string>();
  const out: OnlineResult[] = [];
  for (const owner of owners) {
    const key = owner.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      out.push(await checkOne(owner, get, repoOwner!, repoName!));
    } catch (err) {
      out.push({ owner, status: 'error', message: `the GitHub API could not be reached: ${(err as Error).message}` });
    }
  }
  return out;
}

async function checkOne(
  owner: string,
  get: (path: string, accept?: string) => Promise<{ status: number; body: unknown }>,
  repoOwner: string,
  repoName: string,
): Promise<OnlineResult> {
  const enc = encodeURIComponent;
  if (!owner.startsWith('@'))
    return { owner, status: 'not-checked', message: 'e-mail owners cannot be checked through the API' };
  const name = owner.slice(1);
  const slash = name.indexOf('/');
  if (slash === -1) {
    const user = await get(`/users/${enc(name)}`);
    if (user.status === 404)
      return { owner, status: 'unknown', message: `make sure ${owner} exists and has write access to the repository` };
    if (user.status !== 200) return { owner, status: 'error', message: `GET /users/${name} answered ${user.status}` };
    const perm = await get(`/repos/${enc(repoOwner)}/${enc(repoName)}/collaborators/${enc(name)}/permission`);
    const level = (perm.body as { permission?: string } | undefined)?.permission;
    if (perm.status === 200 && level && WRITE.has(level)) return { owner, status: 'ok', message: `${level} access` };
    if (perm.status === 200 || perm.status === 404)
      return {
        owner,
        status: 'no-write-access',
        message: `${owner} has ${level ?? 'no'} access; code owners need write access`,
      };
    return { owner, status: 'error', message: `GET …/collaborators/${name}/permission answered ${perm.status}` };
  }
  const org = name.slice(0, slash);
  const slug = name.slice(slash + 1).toLowerCase();
  const team = await get(`/orgs/${enc(org)}/teams/${enc(slug)}`);
  if (team.status === 404)
    return {
      owner,
      status: 'unknown',
      message: `make sure the team ${owner} exists, is publicly visible, and has write access to the repository`,
    };
  if (team.status !== 200)
    return { owner, status: 'error', message: `GET /orgs/${org}/teams/${slug} answered ${team.status}` };
  // With this media type the answer carries the permissions the team grants (else 204 for any access, read too).
  const access = await get(
    `/orgs/${enc(org)}/teams/${enc(slug)}/repos/${enc(repoOwner)}/${enc(repoName)}`,
    'application/vnd.github.v3.repository+json',
  );
  const perms = (access.body as { permissions?: Record<string, boolean> } | undefined)?.permissions;
  if (access.status === 200 && perms && (perms.push || perms.maintain || perms.admin))
    return { owner, status: 'ok', message: 'explicit write access' };
  if (access.status === 200 || access.status === 404)
    return {
      owner,
      status: 'no-write-access',
      message: `the team ${owner} has no explicit write access to ${repoOwner}/${repoName}`,
    };
  return { owner, status: 'error', message: `GET …/teams/${slug}/repos answered ${access.status}` };
}

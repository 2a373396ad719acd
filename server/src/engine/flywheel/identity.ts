// Who is acting: git's identity (an email) mapped to handles by the policy (`flywheel.people`, `flywheel.teams`) —
// or, when the person granted it in the editor, the GitHub account they signed in with — and whether that person is
// an owner of a target (a CODEOWNERS owner, a member of an owning team, or named by email).

import type { FlywheelPolicy } from './policy';

export interface Actor {
  email: string;
  /** The handle `flywheel.people` maps the email to; absent for an unmapped actor. */
  handle?: string;
  /** Where the identity came from when it was not git's: `github` (the editor's GitHub sign-in). */
  via?: 'github';
}

const lower = (s: string) => s.toLowerCase();

export function actorOf(email: string, fp: FlywheelPolicy): Actor {
  const e = lower(email.trim());
  for (const [handle, emails] of Object.entries(fp.people)) {
    if (emails.some((x) => lower(x) === e)) return { email: e, handle };
  }
  return { email: e };
}

/**
 * The actor a GitHub sign-in names: the login is the handle (`@login`, spelled as `flywheel.people` spells it when it
 * lists it), its email the first `flywheel.people` gives that handle, else git's email, else GitHub's no-reply
 * address. CODEOWNERS names GitHub handles, so an authenticated login is an owner wherever its handle is, even when
 * the policy does not list it.
 */
export function actorFromGitHub(login: string, fp: FlywheelPolicy, gitEmail?: string): Actor {
  const bare = login.trim().replace(/^@/, '');
  const wanted = lower(`@${bare}`);
  const listed = Object.keys(fp.people).find((h) => lower(h) === wanted || lower(h) === lower(bare));
  const handle = listed ?? `@${bare}`;
  const email = (listed ? fp.people[listed]?.[0] : undefined) ?? gitEmail ?? `${bare}@users.noreply.github.com`;
  return { email: lower(email.trim()), handle, via: 'github' };
}

/** How an actor is named in records: the handle, else the email. */
export function actorName(a: Actor): string {
  return a.handle ?? a.email;
}

/** The names an actor answers to: the email, the handle, and every team whose members include the handle. */
export function namesOf(a: Actor, fp: FlywheelPolicy): Set<string> {
  const out = new Set<string>([lower(a.email)]);
  if (a.handle) {
    out.add(lower(a.handle));
    for (const [team, members] of Object.entries(fp.teams))
      if (members.some((m) => lower(m) === lower(a.handle!))) out.add(lower(team));
  }
  return out;
}

/** Whether the actor is one of `owners` (handles, team handles or emails). */
export function isOwner(a: Actor, owners: readonly string[], fp: FlywheelPolicy): boolean {
  const names = namesOf(a, fp);
  return owners.some((o) => names.has(lower(o)));
}

/** Whether a record's `author` (a handle or an email) is this actor. */
export function isAuthor(a: Actor, author: string, authorEmail: string | undefined): boolean {
  const l = lower(author);
  return (
    l === lower(a.email) ||
    (a.handle !== undefined && l === lower(a.handle)) ||
    (authorEmail !== undefined && lower(authorEmail) === lower(a.email))
  );
}

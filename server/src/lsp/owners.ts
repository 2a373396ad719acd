// The `flywheel/owners` request: who owns a file and which CODEOWNERS line decides.

import type { OwnersResult } from './protocol';
import type { Located } from './workspaces';

export function ownersOfFile(at: Located | undefined): OwnersResult {
  if (!at) return { available: false, owners: [], message: 'This file is outside every workspace folder the server checks.' };
  return { available: false, path: at.rel, owners: [], message: 'The ownership surface is not available in this build.' };
}

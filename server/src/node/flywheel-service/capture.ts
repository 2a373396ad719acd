// Capture a signal (`flywheel signal add`, the editor's Capture Signal and Log Incident, an accepted session
// candidate): secrets redacted, a new file under a fresh id, and its `captured` ledger event.

import { sha256 } from '../../engine/flywheel/change';
import { actorName, type Actor } from '../../engine/flywheel/identity';
import { makeEvent } from '../../engine/flywheel/ledger';
import { createSignal, type SignalInput } from '../../engine/flywheel/signal';
import { createExclusive } from '../flywheel';

/**
 * Write a new signal and its `captured` ledger event: the file is created exclusively under a fresh id (so concurrent
 * captures never overwrite each other). Throws SignalError on input that cannot make a signal.
 */
export function captureSignal(root: string, input: SignalInput, actor: Actor): ReturnType<typeof createSignal> {
  for (let i = 0; i < 5; i++) {
    const m = createSignal(input, { now: new Date(), capturedBy: actorName(actor) });
    if (!createExclusive(root, m.path, m.text)) continue;
    const e = makeEvent(
      { now: new Date(), actor, action: 'captured', subject: m.signal.id, hashes: { record: sha256(m.text) } },
      [],
    );
    createExclusive(root, e.path, e.text);
    return m;
  }
  throw new Error('could not create a signal file with a fresh id');
}

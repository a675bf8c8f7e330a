// What a node does when it hears that another node ended or renewed a session: its own subscribers hear it once.
import type { EndReason, ExpiredDeadline } from '../../shared/reasons.js';
import type { DeadlineTimers } from './deadlines.js';
import type { LifecycleEvents } from './lifecycle-events.js';
import type { SessionStore } from './store.js';

export interface RemoteNotesDeps {
  store: Pick<SessionStore, 'tombstones' | 'onEndedElsewhere'>;
  timers: Pick<DeadlineTimers, 'unwatch'>;
  emit: LifecycleEvents['emit'];
}

/**
 * `noteEnded` / `noteRenewed` for another node's message; the same for what a store read learned
 * (the store records that tombstone itself and tells each ID once). Either way the tombstone
 * decides: whichever comes first is heard, origin `elsewhere`, and the other changes nothing.
 * @example const { noteEnded } = createRemoteNotes({ store, timers, emit: events.emit });
 */
export function createRemoteNotes({ store, timers, emit }: RemoteNotesDeps) {
  const { tombstones } = store;
  const toldEnded = (sessionId: string, reason: EndReason, deadline?: ExpiredDeadline): void => {
    timers.unwatch(sessionId);
    emit('ended', { sessionId, reason, ...(deadline ? { deadline } : {}), origin: 'elsewhere' });
  };
  const toldRenewed = (sessionId: string, to?: string): void => {
    timers.unwatch(sessionId);
    emit('renewed', { from: sessionId, to: to ?? '', origin: 'elsewhere' });
  };
  store.onEndedElsewhere?.((sessionId, reason, successor) => (reason === 'renewed' ? toldRenewed(sessionId, successor) : toldEnded(sessionId, reason)));
  return {
    noteEnded(sessionId: string, reason: EndReason, deadline?: ExpiredDeadline): void {
      if (tombstones.get(sessionId)) return;
      tombstones.add(sessionId, reason);
      toldEnded(sessionId, reason, deadline);
    },
    noteRenewed(sessionId: string, to?: string): void {
      if (tombstones.get(sessionId)) return;
      tombstones.add(sessionId, 'renewed', to);
      toldRenewed(sessionId, to);
    },
  };
}

// What the lifecycle tells its subscribers: a session started, ended, renewed, was active; a user's list changed.
import type { Deadlines } from '../../shared/events.js';
import type { EndReason, ExpiredDeadline } from '../../shared/reasons.js';

/** Where a transition was decided: on this node, or on another one that told us. */
export type Origin = 'here' | 'elsewhere';

export interface SessionEnded {
  sessionId: string;
  reason: EndReason;
  /** With `expired`: which deadline passed, when known. */
  deadline?: ExpiredDeadline;
  origin: Origin;
}

export interface SessionRenewed {
  from: string;
  to: string;
  origin: Origin;
}

export interface SessionStarted {
  sessionId: string;
  userId: string;
  handle: string;
  createdAt: number;
  userAgent: string;
  ip: string;
}

export interface SessionActive {
  sessionId: string;
  deadlines: Deadlines;
  /** The socket whose `session:touch` this was (it learns the deadlines from its ack). */
  fromSocketId?: string;
}

export interface LifecycleEventMap {
  ended: SessionEnded;
  renewed: SessionRenewed;
  started: SessionStarted;
  active: SessionActive;
  /** A user's set of sessions changed (one started, ended or was renewed). */
  listChanged: { userId: string };
}

type Listener<T> = (event: T) => void;

/**
 * A tiny typed emitter; listeners run synchronously, in order, and one that throws does not stop
 * the others (ending the sockets of a session must not depend on an unrelated subscriber).
 * @example const events = createLifecycleEvents(log); const off = events.on('ended', (e) => …);
 */
export function createLifecycleEvents(onError: (error: unknown) => void) {
  const listeners: { [K in keyof LifecycleEventMap]: Array<Listener<LifecycleEventMap[K]>> } = { ended: [], renewed: [], started: [], active: [], listChanged: [] };
  return {
    on<K extends keyof LifecycleEventMap>(name: K, listener: Listener<LifecycleEventMap[K]>): () => void {
      const list = listeners[name] as Array<Listener<LifecycleEventMap[K]>>;
      list.push(listener);
      return () => {
        const at = list.indexOf(listener);
        if (at >= 0) list.splice(at, 1);
      };
    },
    emit<K extends keyof LifecycleEventMap>(name: K, event: LifecycleEventMap[K]): void {
      for (const listener of [...(listeners[name] as Array<Listener<LifecycleEventMap[K]>>)]) {
        try {
          listener(event);
        } catch (error) {
          onError(error);
        }
      }
    },
  };
}

export type LifecycleEvents = ReturnType<typeof createLifecycleEvents>;

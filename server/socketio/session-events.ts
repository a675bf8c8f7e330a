// The session's own socket events: `session:touch`.
import { touchPayloadSchema } from '../../shared/events.js';
import type { SessionLifecycle } from '../sessions/lifecycle.js';
import { SocketError, type SocketRouter } from './router.js';

/** `session:touch` marks the user active and acks the new deadlines. */
export function routeSessionEvents(router: SocketRouter, lifecycle: Pick<SessionLifecycle, 'touch'>): void {
  router.on('session:touch', touchPayloadSchema, async (_payload, socket) => {
    const deadlines = await lifecycle.touch(socket.data.sessionId, { fromSocketId: socket.id });
    if (!deadlines) throw new SocketError('session_ended', 'this session has ended');
    return { ok: true, ...deadlines };
  });
}

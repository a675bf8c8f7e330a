// The session's own socket events: `session:touch`.
import { touchPayloadSchema } from '../../shared/events.js';
import type { SessionCore } from '../sessions/core.js';
import { SocketError, type SocketRouter } from './router.js';

/** `session:touch` marks the user active and acks the new deadlines. */
export function routeSessionEvents(router: SocketRouter, core: SessionCore): void {
  router.on('session:touch', touchPayloadSchema, async (_payload, socket) => {
    const deadlines = await core.touch(socket.data.sessionId, socket.id);
    if (!deadlines) throw new SocketError('session_ended', 'this session has ended');
    return { ok: true, ...deadlines };
  });
}

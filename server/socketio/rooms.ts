// The typed Socket.IO server the session binding works on, and the rooms it keeps per session and user.
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../shared/events.js';

export type TetherServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type TetherSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export const sessionRoom = (sessionId: string): string => `session:${sessionId}`;
export const userRoom = (userId: string): string => `user:${userId}`;

/** This node's sockets of a session, found without any I/O. */
export function localSocketsOf(io: TetherServer, room: string): TetherSocket[] {
  const nsp = io.of('/');
  const ids = nsp.adapter.rooms.get(room);
  if (!ids) return [];
  return [...ids].flatMap((id) => {
    const socket = nsp.sockets.get(id);
    return socket ? [socket] : [];
  });
}

export function localSocketCount(io: TetherServer, room: string): number {
  return io.of('/').adapter.rooms.get(room)?.size ?? 0;
}

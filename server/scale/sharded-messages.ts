// The messages nodes on a Redis Cluster exchange (socket.io-adapter's cluster format over SPUBLISH), for a process that is no node.
import { randomBytes } from 'node:crypto';
import type { RedisKeys } from './keys.js';
import type { RedisCluster } from './redis-cluster.js';

// socket.io-adapter's MessageType (a const enum there) and socket.io-parser's PacketType.EVENT.
export const BROADCAST = 3;
export const SERVER_SIDE_EMIT = 9;
const EVENT_PACKET = 2;

/** The channel every node of a namespace SSUBSCRIBEs to (static subscription mode). */
export const shardedChannel = (keys: RedisKeys, nsp = '/'): string => `${keys.adapter}#${nsp}#`;

export interface ShardedEmitter {
  /** `io.serverSideEmit(event, ...args)` as a node would: every node's handler runs. */
  serverSideEmit(event: string, ...args: unknown[]): Promise<void>;
  /** `io.to(room).emit(event, ...args)`: every node's sockets in the room get it. */
  emitToRoom(room: string, event: string, ...args: unknown[]): Promise<void>;
}

/**
 * @socket.io/redis-emitter speaks the classic adapter's protocol over PUBLISH only, which nodes on
 * the sharded adapter (SSUBSCRIBE) never hear. This publishes what the sharded adapter itself
 * publishes: JSON `{uid, nsp, type, data}` on the namespace's channel, with an ID of its own so
 * every node (none ignores it as its own) acts on it. Arguments must be JSON (no binary).
 * @example const emitter = createShardedEmitter({ pub: cluster, keys }); await emitter.serverSideEmit('tether:end', sid, 'revoked');
 */
export function createShardedEmitter({ pub, keys, nsp = '/' }: { pub: RedisCluster; keys: RedisKeys; nsp?: string }): ShardedEmitter {
  const uid = `emitter-${randomBytes(6).toString('hex')}`;
  const channel = shardedChannel(keys, nsp);
  const publish = async (type: number, data: unknown): Promise<void> => {
    await pub.sPublish(channel, JSON.stringify({ uid, nsp, type, data }));
  };
  return {
    serverSideEmit: (event, ...args) => publish(SERVER_SIDE_EMIT, { packet: [event, ...args] }),
    emitToRoom: (room, event, ...args) => publish(BROADCAST, { packet: { type: EVENT_PACKET, data: [event, ...args], nsp }, opts: { rooms: [room], except: [], flags: {} } }),
  };
}

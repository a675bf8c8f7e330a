// Topic messages for live views: delivered to this node's subscribers and, clustered, to the others'.
import type { Server } from 'socket.io';
import type { TetherServer } from '../socketio/index.js';

export type TopicListener = (topic: string, message: unknown) => void;

export interface Topics {
  subscribe(topic: string, listener: TopicListener): () => void;
  /** Delivers here at once, then to the other nodes through the Socket.IO adapter. */
  publish(topic: string, message: unknown): void;
  /** Delivers on this node only (e.g. this node's own status). */
  publishLocal(topic: string, message: unknown): void;
  readonly size: number;
}

/**
 * @example const topics = createTopics(io, clustered); const off = topics.subscribe('board', fn);
 */
export function createTopics(server: Server | TetherServer, clustered: boolean): Topics {
  // The app's own Server (its event maps) or the binding's typed one: only `live:info` is used here.
  const io = server as unknown as TetherServer;
  const listeners = new Map<string, Set<TopicListener>>();
  const deliver = (topic: string, message: unknown): void => {
    for (const listener of [...(listeners.get(topic) ?? [])]) listener(topic, message);
  };
  if (clustered) io.on('live:info', (topic, message) => typeof topic === 'string' && deliver(topic, message));
  return {
    subscribe(topic, listener) {
      const set = listeners.get(topic) ?? new Set<TopicListener>();
      set.add(listener);
      listeners.set(topic, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(topic);
      };
    },
    publish(topic, message) {
      deliver(topic, message);
      if (clustered) io.serverSideEmit('live:info', topic, message);
    },
    publishLocal: deliver,
    get size() {
      return listeners.size;
    },
  };
}

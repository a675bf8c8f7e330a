// Runs live views per socket: mount on join, events and topic messages in order, patches of changed keys.
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { safeParse } from 'zod/mini';
import { noMetrics, type MetricsHooks } from '../sessions/metrics-hooks.js';
import type { SessionLifecycle } from '../sessions/lifecycle.js';
import type { Logger } from '../sessions/logger.js';
import { SocketError, sessionRoom, type TetherServer, type TetherSocket } from '../socketio/index.js';
import type { Server } from 'socket.io';
import type { Topics } from './topics.js';
import type { AnyLiveView, LiveContext } from './types.js';

interface Instance {
  view: AnyLiveView;
  ctx: LiveContext;
  state: Record<string, unknown>;
  rev: number;
  /** Work on one instance runs in order, so a slow event cannot be overtaken by a later one. */
  queue: Promise<void>;
  unsubscribe: Array<() => void>;
  closed: boolean;
}

export interface LiveRuntimeOptions {
  /** The app's Socket.IO server (its own event maps, or the binding's typed one). */
  io: Server | TetherServer;
  /** The session's state: ended or not, and its app data. */
  lifecycle: Pick<SessionLifecycle, 'isEnded' | 'readApp' | 'writeApp' | 'get' | 'isFresh'>;
  /** Where the live events are registered (the Socket.IO binding's `on`). */
  router: { on: SocketRouterOn };
  topics: Topics;
  log: Logger;
  views: readonly AnyLiveView[];
  /** The username of a user id (for the context); cached by the caller. */
  username(userId: string): Promise<string>;
  /** Live-view joins and patches are counted here (a no-op by default). */
  metrics?: Pick<MetricsHooks, 'liveJoin' | 'livePatch'>;
}

type SocketRouterOn = import('../socketio/router.js').SocketRouter['on'];

export const liveRoom = (view: string): string => `live:${view}`;
export const sessionTopic = (sessionId: string): string => `session:${sessionId}`;

/** The envelopes; each view's own schemas check its payloads (any view, so names are plain strings). */
const liveJoinSchema = z.strictObject({ view: z.string().min(1).max(64) });
const liveEventEnvelopeSchema = z.strictObject({ view: z.string().min(1).max(64), event: z.string().min(1).max(64), payload: z.unknown().optional() });

/** Only the keys whose values changed. */
function diff(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) if (!isDeepStrictEqual(before[key], value)) changes[key] = value;
  return changes;
}

/**
 * @example createLiveRuntime({ io, lifecycle, router: sockets, topics, log, views: [presenceView, boardView], username });
 */
export function createLiveRuntime({ io, lifecycle, router, topics, log, views, username, metrics = noMetrics }: LiveRuntimeOptions) {
  const byName = new Map<string, AnyLiveView>();
  for (const view of views) {
    if (byName.has(view.name)) throw new TypeError(`two live views are named ${JSON.stringify(view.name)}`);
    byName.set(view.name, view);
  }
  const instances = new Map<string, Map<string, Instance>>();

  const apply = (socket: TetherSocket, instance: Instance, changes: object | undefined | void): void => {
    if (!changes || instance.closed) return;
    const next = { ...instance.state, ...changes };
    const changed = diff(instance.state, next);
    instance.state = next;
    if (Object.keys(changed).length === 0) return;
    instance.rev += 1;
    socket.emit('live:patch', { view: instance.view.name, rev: instance.rev, changes: changed });
    metrics.livePatch(instance.view.name);
  };

  const enqueue = (socket: TetherSocket, instance: Instance, work: () => Promise<object | undefined | void> | object | undefined | void): Promise<void> => {
    const run = instance.queue.then(async () => {
      if (instance.closed || lifecycle.isEnded(socket.data.sessionId)) return;
      apply(socket, instance, await work());
    });
    // One failing handler must not stop the instance's later work.
    instance.queue = run.catch((error: unknown) => log.error({ err: error, view: instance.view.name }, 'live view handler failed'));
    return run;
  };

  const close = (instance: Instance): void => {
    if (instance.closed) return;
    instance.closed = true;
    for (const off of instance.unsubscribe) off();
    instance.view.unmount?.(instance.ctx);
    topics.publish(liveRoom(instance.view.name), { type: 'left', userId: instance.ctx.user.id });
  };

  const contextFor = async (socket: TetherSocket): Promise<LiveContext> => {
    const { sessionId, userId } = socket.data;
    return {
      user: { id: userId, username: await username(userId) },
      session: {
        read: () => lifecycle.readApp(sessionId),
        write: async (patch) => {
          const saved = await lifecycle.writeApp(sessionId, patch);
          if (saved) topics.publish(sessionTopic(sessionId), { type: 'session-written', patch });
          return saved;
        },
        topic: sessionTopic(sessionId),
      },
      publish: (topic, message) => topics.publish(topic, message),
    };
  };

  router.on('live:join', liveJoinSchema, async ({ view: name }, socket) => {
    const view = byName.get(name);
    if (!view) throw new SocketError('invalid_input', `no live view named ${name}`);
    let own = instances.get(socket.id);
    if (!own) {
      own = new Map<string, Instance>();
      instances.set(socket.id, own);
      // Registered with the socket's first view rather than at connect: a tab that never joins a
      // view carries no listener (bench/README.md). The router drops packets of a disconnected
      // socket, so a join always starts on a connected one and the cleanup cannot be missed.
      socket.once('disconnect', () => {
        for (const instance of instances.get(socket.id)?.values() ?? []) close(instance);
        instances.delete(socket.id);
      });
    }
    const existing = own.get(name);
    if (existing) return { ok: true, view: name, state: existing.state, rev: existing.rev };
    const ctx = await contextFor(socket);
    // States are objects by their schema's type; kept as records here to diff them key by key.
    const state = (await view.mount(ctx)) as Record<string, unknown>;
    if (!socket.connected || lifecycle.isEnded(socket.data.sessionId)) throw new SocketError('session_ended', 'this session has ended');
    const instance: Instance = { view, ctx, state, rev: 0, queue: Promise.resolve(), unsubscribe: [], closed: false };
    own.set(name, instance);
    socket.join(liveRoom(name));
    metrics.liveJoin(name);
    // Views that show who is there (presence) hear joins and leaves on their room's topic.
    topics.publish(liveRoom(name), { type: 'joined', userId: socket.data.userId });
    for (const topic of view.topics?.(ctx) ?? []) {
      instance.unsubscribe.push(
        topics.subscribe(topic, (t, message) => {
          const handle = view.handleInfo;
          if (handle) void enqueue(socket, instance, () => handle.call(view, t, message, ctx, instance.state));
        }),
      );
    }
    return { ok: true, view: name, state: instance.state, rev: instance.rev };
  });

  router.on('live:leave', liveJoinSchema, ({ view: name }, socket) => {
    const instance = instances.get(socket.id)?.get(name);
    if (instance) {
      close(instance);
      instances.get(socket.id)?.delete(name);
      socket.leave(liveRoom(name));
    }
    return { ok: true };
  });

  router.on('live:event', liveEventEnvelopeSchema, async ({ view: name, event, payload }, socket) => {
    const instance = instances.get(socket.id)?.get(name);
    if (!instance) throw new SocketError('invalid_input', `join the ${name} view first`);
    const { view } = instance;
    // Own keys only: `__proto__` or `toString` is no event of any view.
    const schema = Object.hasOwn(view.schemas.events, event) ? view.schemas.events[event] : undefined;
    if (!schema) throw new SocketError('unknown_event', `the ${name} view has no event ${JSON.stringify(event)}`);
    // zod/mini's safeParse takes any zod schema (mini or full): both build on zod's core.
    const parsed = safeParse(schema, payload ?? {});
    if (!parsed.success) throw new SocketError('invalid_input', parsed.error.issues[0]?.message ?? 'invalid payload');
    const handle = view.handleEvent;
    if (!handle) throw new SocketError('unknown_event', `the ${name} view takes no events`);
    if (view.freshEvents?.includes(event)) {
      const record = await lifecycle.get(socket.data.sessionId);
      if (!record || !lifecycle.isFresh(record)) throw new SocketError('reauthentication_required', 'confirm your password first (POST /api/reauthenticate)');
    }
    await enqueue(socket, instance, () => handle.call(view, { event, payload: parsed.data }, instance.ctx, instance.state));
    return { ok: true };
  });

  return {
    /** Live instances on this node (for stats and leak checks). */
    get size(): number {
      let n = 0;
      for (const own of instances.values()) n += own.size;
      return n;
    },
    /** Sockets of a session on this node with a given view joined (for tests). */
    joined: (sessionId: string, view: string): number =>
      [...((io as TetherServer).of('/').adapter.rooms.get(sessionRoom(sessionId)) ?? [])].filter((id) => instances.get(id)?.has(view)).length,
  };
}

export type LiveRuntime = ReturnType<typeof createLiveRuntime>;

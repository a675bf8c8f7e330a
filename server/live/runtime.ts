// Runs live views per socket: mount on join, events and topic messages in order, patches of changed keys.
import { isDeepStrictEqual } from 'node:util';
import { liveEventEnvelopeSchema, liveEventSchemas, liveJoinSchema, type LiveStates, type LiveViewName } from '../../shared/live.js';
import type { SessionLifecycle } from '../sessions/lifecycle.js';
import type { Logger } from '../sessions/logger.js';
import { noMetrics, type MetricsHooks } from '../sessions/metrics-hooks.js';
import { SocketError, sessionRoom, type TetherServer, type TetherSocket } from '../socketio/index.js';
import type { Topics } from './topics.js';
import type { AnyLiveView, Changes, LiveContext, LiveView } from './types.js';

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
  io: TetherServer;
  /** The session's state: ended or not, and its app data. */
  lifecycle: Pick<SessionLifecycle, 'isEnded' | 'readApp' | 'writeApp' | 'get' | 'isFresh'>;
  /** Where the live events are registered (the Socket.IO binding's `on`). */
  router: { on: SocketRouterOn };
  topics: Topics;
  log: Logger;
  views: readonly AnyLiveView[];
  /** The username of a user id (for the context); cached by the caller. */
  username(userId: string): Promise<string>;
  /** Live-view joins and patches (server/sessions/metrics-hooks.ts); none by default. */
  metrics?: Pick<MetricsHooks, 'liveJoin' | 'livePatch'>;
}

type SocketRouterOn = import('../socketio/router.js').SocketRouter['on'];

export const liveRoom = (view: LiveViewName): string => `live:${view}`;
export const sessionTopic = (sessionId: string): string => `session:${sessionId}`;

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
  const byName = new Map<string, AnyLiveView>(views.map((v) => [v.name, v]));
  const instances = new Map<string, Map<LiveViewName, Instance>>();

  const apply = (socket: TetherSocket, instance: Instance, changes: Changes<LiveViewName>): void => {
    if (!changes || instance.closed) return;
    const next = { ...instance.state, ...changes };
    const changed = diff(instance.state, next);
    instance.state = next;
    if (Object.keys(changed).length === 0) return;
    instance.rev += 1;
    socket.emit('live:patch', { view: instance.view.name, rev: instance.rev, changes: changed } as Parameters<typeof socket.emit<'live:patch'>>[1]);
    metrics.livePatch(instance.view.name);
  };

  const enqueue = (socket: TetherSocket, instance: Instance, work: () => Promise<Changes<LiveViewName>> | Changes<LiveViewName>): Promise<void> => {
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
      own = new Map<LiveViewName, Instance>();
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
    const state = (await (view as LiveView<LiveViewName>).mount(ctx)) as unknown as Record<string, unknown>;
    if (!socket.connected || lifecycle.isEnded(socket.data.sessionId)) throw new SocketError('session_ended', 'this session has ended');
    const instance: Instance = { view, ctx, state, rev: 0, queue: Promise.resolve(), unsubscribe: [], closed: false };
    own.set(name, instance);
    socket.join(liveRoom(name));
    metrics.liveJoin(name);
    // Views that show who is there (presence) hear joins and leaves on their room's topic.
    topics.publish(liveRoom(name), { type: 'joined', userId: socket.data.userId });
    for (const topic of view.topics(ctx)) {
      instance.unsubscribe.push(
        topics.subscribe(topic, (t, message) => {
          const handle = (view as LiveView<LiveViewName>).handleInfo;
          if (handle) void enqueue(socket, instance, () => handle.call(view, t, message, ctx, instance.state as unknown as LiveStates[LiveViewName]));
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
    const schemas: Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: Array<{ message: string }> } } }> = liveEventSchemas[name];
    const schema = Object.hasOwn(schemas, event) ? schemas[event] : undefined;
    if (!schema) throw new SocketError('unknown_event', `the ${name} view has no event ${JSON.stringify(event)}`);
    const parsed = schema.safeParse(payload ?? {});
    if (!parsed.success) throw new SocketError('invalid_input', parsed.error?.issues[0]?.message ?? 'invalid payload');
    const handle = (instance.view as LiveView<LiveViewName>).handleEvent;
    if (!handle) throw new SocketError('unknown_event', `the ${name} view takes no events`);
    if ((instance.view.freshEvents as readonly string[] | undefined)?.includes(event)) {
      const record = await lifecycle.get(socket.data.sessionId);
      if (!record || !lifecycle.isFresh(record)) throw new SocketError('reauthentication_required', 'confirm your password first (POST /api/reauthenticate)');
    }
    await enqueue(socket, instance, () => handle.call(instance.view, event as never, parsed.data as never, instance.ctx, instance.state as unknown as LiveStates[LiveViewName]));
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
    joined: (sessionId: string, view: LiveViewName): number =>
      [...(io.of('/').adapter.rooms.get(sessionRoom(sessionId)) ?? [])].filter((id) => instances.get(id)?.has(view)).length,
  };
}

export type LiveRuntime = ReturnType<typeof createLiveRuntime>;

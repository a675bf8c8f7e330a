// Dispatches client events: refuses after a session ended, rate-limits, validates with zod, acks.
import type { z } from 'zod';
import type { Ack } from '../../shared/events.js';
import type { SocketErrorCode } from '../../shared/reasons.js';
import type { Clock } from '../sessions/clock.js';
import type { Logger } from '../sessions/logger.js';
import type { TetherSocket } from './rooms.js';
import { StoreUnavailableError } from '../sessions/store.js';
import { createTokenBucket, type TokenBucket } from './token-bucket.js';

export interface SocketRouterOptions {
  clock: Clock;
  log: Logger;
  isEnded(sessionId: string): boolean;
  /** For events registered with `{ fresh: true }`: whether the session's authentication is recent (step-up). */
  isFresh?(sessionId: string): Promise<boolean>;
  ratePerSecond?: number;
  burst?: number;
  /** Events refused for rate within one flood before the socket is disconnected. */
  maxRefusedInFlood?: number;
}

/** How an event is handled beyond its schema. */
export interface SocketEventOptions {
  /** Step-up: refused with `reauthentication_required` unless the session signed in or confirmed its password recently. */
  fresh?: boolean;
}

type Handler<S extends z.ZodType> = (payload: z.infer<S>, socket: TetherSocket) => Promise<Ack<object>> | Ack<object>;

/** A handler's way to answer with an error code. */
export class SocketError extends Error {
  constructor(
    readonly code: SocketErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const fail = (code: SocketErrorCode, message: string): Ack => ({ ok: false, error: { code, message } });

/**
 * Socket.IO silently drops events without a handler, so every event goes through one catch-all
 * (`socket.use`) that answers unknown events with an error ack.
 * @example const router = createSocketRouter({ clock, log, isEnded }); router.on('x', schema, fn); io.on('connection', router.bind);
 */
export function createSocketRouter({ clock, log, isEnded, isFresh = async () => false, ratePerSecond = 20, burst = 40, maxRefusedInFlood = 200 }: SocketRouterOptions) {
  const routes = new Map<string, { schema: z.ZodType; handler: Handler<z.ZodType>; fresh: boolean }>();
  const counters = { unknownEvents: 0, invalidInput: 0, rateLimited: 0, floodDisconnects: 0 };

  const dispatch = async (socket: TetherSocket, event: string, args: unknown[]): Promise<Ack<object>> => {
    const route = routes.get(event);
    if (!route) {
      counters.unknownEvents += 1;
      return fail('unknown_event', `no event named ${JSON.stringify(event.slice(0, 64))}`);
    }
    // `emit(event, ack)` and `emit(event, {}, ack)` both mean "no payload".
    if (args.length > 1) return fail('invalid_input', 'send one payload object at most');
    const parsed = route.schema.safeParse(args[0]);
    if (!parsed.success) {
      counters.invalidInput += 1;
      const issue = parsed.error.issues[0];
      return fail('invalid_input', `${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}`);
    }
    try {
      if (route.fresh && !(await isFresh(socket.data.sessionId))) return fail('reauthentication_required', 'confirm your password first (POST /api/reauthenticate)');
      return await route.handler(parsed.data, socket);
    } catch (error) {
      if (error instanceof SocketError) return fail(error.code, error.message);
      if (error instanceof StoreUnavailableError) return fail('unavailable', 'the session store is unavailable; retry');
      log.error({ err: error, event }, 'socket handler failed');
      return fail('unavailable', 'the server could not handle this event; retry');
    }
  };

  return {
    counters,
    /** Registers a handler; its payload is parsed with `schema` first (and, with `fresh`, the session's freshness checked). */
    on<S extends z.ZodType>(event: string, schema: S, handler: Handler<S>, options: SocketEventOptions = {}): void {
      routes.set(event, { schema, handler: handler as Handler<z.ZodType>, fresh: Boolean(options.fresh) });
    },
    bind(socket: TetherSocket): void {
      // Made at the socket's first event: most tabs sit idle, and an idle socket then carries no
      // bucket (a quarter of a KiB each at 5,000 sockets; bench/README.md).
      let bucket: TokenBucket | undefined;
      let refused = 0;
      let lastRefusedAt = 0;
      socket.use((packet, _next) => {
        // Packets decoded in the same read as the one that got the socket disconnected still come
        // through here afterwards: drop them, or one flood would be counted (and logged) thousands of times.
        if (!socket.connected) return;
        const [rawEvent, ...rest] = packet as unknown[];
        const ack = typeof rest.at(-1) === 'function' ? (rest.pop() as (res: Ack<object>) => void) : undefined;
        const reply = (res: Ack<object>): void => {
          if (ack && socket.connected) ack(res);
        };
        if (isEnded(socket.data.sessionId)) return reply(fail('session_ended', 'this session has ended'));
        bucket ??= createTokenBucket({ ratePerSecond, burst, now: () => clock.now() });
        if (!bucket.take()) {
          counters.rateLimited += 1;
          // A flood is refusals without a quiet second between them.
          if (clock.now() - lastRefusedAt > 1000) refused = 0;
          lastRefusedAt = clock.now();
          refused += 1;
          if (refused > maxRefusedInFlood) {
            counters.floodDisconnects += 1;
            log.warn({ userId: socket.data.userId }, 'socket disconnected for flooding');
            socket.disconnect(true);
            return;
          }
          return reply(fail('rate_limited', 'too many events; slow down'));
        }
        const event = typeof rawEvent === 'string' ? rawEvent : '';
        void dispatch(socket, event, rest).then(reply);
      });
    },
  };
}

export type SocketRouter = ReturnType<typeof createSocketRouter>;

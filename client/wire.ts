// Schemas for what the server sends (HTTP bodies, socket payloads), checked before the page trusts it.
// zod/mini rather than shared/api.ts's full zod: the same checks at a fraction of the bundle size.
import * as z from 'zod/mini';
import type { PasswordChanged, SessionList, SessionState, SignedIn } from '../shared/api.js';
import type { Deadlines, TouchAck } from '../shared/events.js';
import { END_REASONS, EXPIRED_DEADLINES, SOCKET_ERROR_CODES } from '../shared/reasons.js';
import { themeSchema } from './live/wire.js';

const user = z.object({ id: z.string(), username: z.string() });

export const sessionStateSchema: z.ZodMiniType<SessionState> = z.object({
  user: z.nullable(user),
  csrfToken: z.string(),
  idleExpiresAt: z.nullable(z.number()),
  absoluteExpiresAt: z.nullable(z.number()),
  idleTimeoutMs: z.number(),
  preferences: z.optional(z.object({ theme: themeSchema })),
});

export const signedInSchema: z.ZodMiniType<SignedIn> = z.object({ user, csrfToken: z.string() });

export const sessionListSchema: z.ZodMiniType<SessionList> = z.object({
  sessions: z.array(
    z.object({
      id: z.string(),
      current: z.boolean(),
      createdAt: z.number(),
      lastSeenAt: z.number(),
      userAgent: z.string(),
      ip: z.string(),
      sockets: z.number(),
    }),
  ),
});

export const passwordChangedSchema: z.ZodMiniType<PasswordChanged> = z.object({ csrfToken: z.string() });

/** Codes are kept as plain strings: a code this client does not know yet is still an error. */
export const apiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const deadlinesSchema: z.ZodMiniType<Deadlines> = z.object({ idleExpiresAt: z.number(), absoluteExpiresAt: z.number() });

/** A deadline this client does not know is dropped (the sentence is then inferred), never the reason with it. */
export const endedSchema = z.object({ reason: z.enum(END_REASONS), deadline: z.catch(z.optional(z.enum(EXPIRED_DEADLINES)), undefined) });

export const touchAckSchema: z.ZodMiniType<TouchAck> = z.union([
  z.object({ ok: z.literal(true), idleExpiresAt: z.number(), absoluteExpiresAt: z.number() }),
  z.object({
    ok: z.literal(false),
    error: z.object({ code: z.enum(SOCKET_ERROR_CODES), message: z.string() }),
  }),
]);

/** Messages between tabs: never a token, never a name. */
export const tabMessageSchema = z.union([
  z.object({ type: z.literal('signed-in') }),
  z.object({ type: z.literal('renewed') }),
  z.object({ type: z.literal('ended'), reason: z.enum(END_REASONS) }),
]);
export type TabMessage = z.infer<typeof tabMessageSchema>;

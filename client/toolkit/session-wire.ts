// Schemas for the session socket's pushes and acks, and tab messages, checked before the page trusts them.
// zod/mini rather than full zod: the same checks at a fraction of the bundle size.
import * as z from 'zod/mini';
import type { Deadlines, TouchAck } from '../../shared/events.js';
import { END_REASONS, EXPIRED_DEADLINES, HANDSHAKE_REFUSALS, SOCKET_ERROR_CODES, type EndReason, type HandshakeRefusal } from '../../shared/reasons.js';

export const isEndReason = (value: unknown): value is EndReason => (END_REASONS as readonly unknown[]).includes(value);
export const isHandshakeRefusal = (value: unknown): value is HandshakeRefusal => (HANDSHAKE_REFUSALS as readonly unknown[]).includes(value);

export const errorAckSchema = z.object({ ok: z.literal(false), error: z.object({ code: z.enum(SOCKET_ERROR_CODES), message: z.string() }) });

export const deadlinesSchema: z.ZodMiniType<Deadlines> = z.object({ idleExpiresAt: z.number(), absoluteExpiresAt: z.number() });

/** A deadline this client does not know is dropped (the sentence is then inferred), never the reason with it. */
export const endedSchema = z.object({ reason: z.enum(END_REASONS), deadline: z.catch(z.optional(z.enum(EXPIRED_DEADLINES)), undefined) });

export const touchAckSchema: z.ZodMiniType<TouchAck> = z.union([z.object({ ok: z.literal(true), idleExpiresAt: z.number(), absoluteExpiresAt: z.number() }), errorAckSchema]);

/** Messages between tabs: never a token, never a name. */
export const tabMessageSchema = z.union([
  z.object({ type: z.literal('signed-in') }),
  z.object({ type: z.literal('renewed') }),
  z.object({ type: z.literal('ended'), reason: z.enum(END_REASONS) }),
]);
export type TabMessage = z.infer<typeof tabMessageSchema>;

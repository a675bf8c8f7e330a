// Schemas for the dashboard's HTTP bodies, checked before the page trusts it.
// zod/mini rather than shared/api.ts's full zod: the same checks at a fraction of the bundle size.
import * as z from 'zod/mini';
import type { PasswordChanged, SessionList, SessionState, SignedIn } from '../shared/api.js';
import { themeSchema } from '../shared/views/prefs.js';

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

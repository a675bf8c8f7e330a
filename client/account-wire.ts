// Schemas for the "Beyond" payloads the server sends (sign-in notices, activity pages, reauthentication), checked at the edge.
import * as z from 'zod/mini';
import { ACTIVITY_KINDS, type ActivityPage, type Reauthenticated, type SignInNotice } from '../shared/account.js';

export const signInNoticeSchema: z.ZodMiniType<SignInNotice> = z.object({ id: z.string(), userAgent: z.string(), ip: z.string(), at: z.number() });

export const activityPageSchema: z.ZodMiniType<ActivityPage> = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(ACTIVITY_KINDS),
      at: z.number(),
      ip: z.string(),
      userAgent: z.string(),
      detail: z.record(z.string(), z.union([z.string(), z.number()])),
    }),
  ),
  next: z.nullable(z.string()),
});

export const reauthenticatedSchema: z.ZodMiniType<Reauthenticated> = z.object({ csrfToken: z.string(), freshUntil: z.number() });

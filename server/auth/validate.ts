// Parses a request body with a zod schema from shared/: a bad body is 400 invalid_input.
import type { Request } from 'express';
import type { z } from 'zod';
import { HttpError } from '../http/errors.js';

/** Returns the parsed body or throws a 400 naming the first problem. */
export function parseBody<T extends z.ZodType>(schema: T, req: Request): z.infer<T> {
  const result = schema.safeParse(req.body ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new HttpError(400, 'invalid_input', `${where}${issue?.message ?? 'invalid body'}`);
  }
  return result.data;
}

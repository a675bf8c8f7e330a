// The shape of every socket acknowledgement: `{ok: true, …}` or `{ok: false, error: {code, message}}`.
import type { SocketErrorCode } from './reasons.js';

export type Ack<T extends object = Record<never, never>> =
  | ({ ok: true } & T)
  | { ok: false; error: { code: SocketErrorCode; message: string } };

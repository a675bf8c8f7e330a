// The IPC between the bench (the load-generating client) and a server under test in a child process.
import type { Runtime, RuntimeLaunch } from './launch.js';

export type TargetKind = 'plain' | 'recipe' | 'tether';

export const TARGET_LABELS: Readonly<Record<TargetKind, string>> = {
  tether: 'tether',
  plain: 'plain Socket.IO',
  recipe: 'express-session recipe',
};

/** What a child starts: which server, and the environment tether reads its config from. */
export interface ServerSpec {
  kind: TargetKind;
  env?: Record<string, string>;
  /** Port to listen on (default 0); a restarted node takes its old port again. */
  port?: number;
}

/** What the parent adds before forking: how tether is loaded (file:// URLs of its modules). */
export interface ChildSpec extends ServerSpec {
  runtime: Runtime;
  modules: RuntimeLaunch['modules'];
}

export interface ServerUsage {
  /** Process CPU (user + system) since start, in microseconds. */
  cpuUs: number;
  heapUsed: number;
  rss: number;
  external: number;
  arrayBuffers: number;
  /** Connected Socket.IO sockets on this server. */
  sockets: number;
  /** Open TCP connections (a closing connection still holds its objects until its close completes). */
  tcp: number;
}

export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/** Each operation's request arguments and reply. */
export interface Ops {
  usage: { args: Record<never, never>; reply: ServerUsage };
  /** Forces full GCs first (the child runs with --expose-gc). */
  heap: { args: Record<never, never>; reply: ServerUsage };
  eldStart: { args: { resolutionMs: number }; reply: Record<never, never> };
  eldStop: { args: Record<never, never>; reply: LoopDelay };
  /** Writes a V8 heap snapshot (for finding what a socket retains); replies with its path. */
  snapshot: { args: { path: string }; reply: { path: string } };
  close: { args: Record<never, never>; reply: Record<never, never> };
}

export type OpName = keyof Ops;

export type ParentMessage = { [K in OpName]: { id: number; op: K; args: Ops[K]['args'] } }[OpName];

export type ChildMessage =
  | { type: 'ready'; port: number }
  | { type: 'failed'; message: string }
  | { type: 'reply'; id: number; value: unknown }
  | { type: 'error'; id: number; message: string };

export function isParentMessage(value: unknown): value is ParentMessage {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'number' && typeof (value as { op?: unknown }).op === 'string';
}

export function isChildMessage(value: unknown): value is ChildMessage {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  return type === 'ready' || type === 'failed' || type === 'reply' || type === 'error';
}

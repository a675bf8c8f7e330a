// Environment → typed, validated configuration. Pure: main.ts passes process.env in.
import { z } from 'zod';

export type Env = Readonly<Record<string, string | undefined>>;

export interface RateLimitConfig {
  /** Failed sign-ins per username + IP within the window before 429. */
  loginFailuresPerUser: number;
  /** Failed sign-ins per IP (any username) within the window before 429. */
  loginFailuresPerIp: number;
  loginWindowMs: number;
  /** Registrations per IP within the window before 429. */
  registrationsPerIp: number;
  registerWindowMs: number;
}

export interface SocketLimitConfig {
  /** Socket handshakes per client IP per second, sustained; past it `connect_error rate_limited`. */
  handshakesPerIpPerSecond: number;
  /** Handshakes per client IP at once. */
  handshakeBurstPerIp: number;
  /** Events per socket per second, sustained; past it `rate_limited` acks, then a disconnect. */
  eventsPerSecond: number;
  eventBurst: number;
}

export interface Config {
  port: number;
  host: string;
  publicUrl: URL;
  secureCookies: boolean;
  cookieName: string;
  allowedOrigins: ReadonlySet<string>;
  dataDir: string;
  /** Undefined when SESSION_SECRET is unset: a secret is then generated into dataDir. */
  sessionSecrets: readonly string[] | undefined;
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  /** Step-up: how long a sign-in or password confirmation counts as fresh (SESSION_FRESH_MS). */
  freshMs: number;
  /** How long the activity history keeps an entry, in days (ACTIVITY_RETENTION_DAYS). */
  activityRetentionDays: number;
  sessionStore: 'memory' | 'redis';
  redisUrl: string;
  redisPrefix: string;
  databaseUrl: string | undefined;
  trustProxy: boolean | number | string | undefined;
  rateLimits: RateLimitConfig;
  /** Cap on open sockets per session and per user; past it the handshake is refused. */
  maxSocketsPerSession: number;
  maxSocketsPerUser: number;
  socketLimits: SocketLimitConfig;
  /** Longest an HTTP request may take to arrive, headers and body (slow-body attacks); then 408. */
  httpRequestTimeoutMs: number;
  /**
   * Longest a connection may sit without a complete request head: a fresh connection that sends
   * nothing or half a request line, or a keep-alive connection between requests; then it is closed.
   */
  httpIdleTimeoutMs: number;
  logLevel: string;
  /** Bearer token that /metrics requires; unset: /metrics only when PUBLIC_URL is localhost. */
  metricsToken: string | undefined;
  /** On SIGTERM, open sockets are moved to other nodes over this window. */
  drainMs: number;
}

/** Variables whose value is a secret: a config error names them but never echoes the value. */
const SECRET_VARIABLES: ReadonlySet<string> = new Set(['SESSION_SECRET']);
/** Variables that are URLs and may carry a password: echoed with the password masked. */
const URL_VARIABLES: ReadonlySet<string> = new Set(['REDIS_URL', 'DATABASE_URL']);

/** The value as a config error may show it: secrets hidden, URL passwords masked. */
function shownValue(variable: string, value: string): string {
  if (SECRET_VARIABLES.has(variable)) return '(hidden)';
  if (!URL_VARIABLES.has(variable)) return JSON.stringify(value);
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return JSON.stringify(url.href);
  } catch {
    // Unparsable: where a password would be cannot be told, so none of it is shown.
    return '(hidden)';
  }
}

/** A bad environment variable: its message is the one line printed at start (never a secret). */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    expected: string,
    value: string,
  ) {
    super(`${variable}=${shownValue(variable, value)} is invalid: expected ${expected}`);
    this.name = 'ConfigError';
  }
}

function read<T>(env: Env, name: string, fallback: T, schema: z.ZodType<T>, expected: string): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(name, expected, raw);
  return parsed.data;
}

const positiveInt = z.coerce.number().int().positive().max(2 ** 31 - 1);
const port = z.coerce.number().int().min(0).max(65535);
const originOf = (raw: string): string => {
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  return url.origin;
};
const httpUrl = z.string().transform((raw, ctx) => {
  try {
    originOf(raw);
    return new URL(raw);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not an http(s) URL' });
    return z.NEVER;
  }
});
const urlWithProtocols = (protocols: string[]) =>
  z.string().refine((raw) => {
    try {
      return protocols.includes(new URL(raw).protocol);
    } catch {
      return false;
    }
  });
/** `redis+cluster://[user:pass@]host:port,host:port` (or `rediss+cluster://`): seed nodes of a Redis Cluster. */
const clusterUrl = z.string().regex(/^rediss?\+cluster:\/\/(?:[^@/]*@)?(?:(?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5},?)+\/?$/);
const originList = z.string().transform((raw, ctx) => {
  const origins: string[] = [];
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    try {
      const origin = originOf(part);
      if (origin !== part.replace(/\/$/, '')) throw new Error('not an origin');
      origins.push(origin);
    } catch {
      ctx.addIssue({ code: 'custom', message: `${part} is not an origin` });
      return z.NEVER;
    }
  }
  if (origins.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'empty' });
    return z.NEVER;
  }
  return origins;
});
const secretList = z.string().transform((raw, ctx) => {
  const secrets = raw.split(',').map((s) => s.trim());
  if (secrets.some((s) => s.length < 16)) {
    ctx.addIssue({ code: 'custom', message: 'short' });
    return z.NEVER;
  }
  return secrets;
});
const trustProxy = z.string().transform((raw): boolean | number | string => {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
});

/**
 * Parses the environment once into a Config; throws ConfigError naming the first bad variable.
 * @example const config = parseConfig(process.env);
 */
export function parseConfig(env: Env): Config {
  const portValue = read(env, 'PORT', 3000, port, 'a port number 0-65535');
  const host = read(env, 'HOST', '127.0.0.1', z.string().min(1), 'a host name or address');
  const publicUrl = read(env, 'PUBLIC_URL', new URL(`http://localhost:${portValue}`), httpUrl, 'an http(s) URL');
  const defaultOrigins = [publicUrl.origin, `http://localhost:${portValue}`, `http://127.0.0.1:${portValue}`];
  const allowedOrigins = read(env, 'ALLOWED_ORIGINS', defaultOrigins, originList, 'a comma list of origins like https://app.example.com');
  const secureCookies = publicUrl.protocol === 'https:';
  const idleTimeoutMs = read(env, 'SESSION_IDLE_TIMEOUT_MS', 1_800_000, positiveInt, 'a positive whole number of milliseconds');
  const absoluteTimeoutMs = read(env, 'SESSION_ABSOLUTE_TIMEOUT_MS', 28_800_000, positiveInt, 'a positive whole number of milliseconds');
  return {
    port: portValue,
    host,
    publicUrl,
    secureCookies,
    cookieName: secureCookies ? '__Host-sid' : 'sid',
    allowedOrigins: new Set(allowedOrigins),
    dataDir: read(env, 'DATA_DIR', './data', z.string().min(1), 'a directory path'),
    sessionSecrets: read<string[] | undefined>(env, 'SESSION_SECRET', undefined, secretList, 'a comma list of secrets, each at least 16 characters'),
    idleTimeoutMs,
    absoluteTimeoutMs,
    freshMs: read(env, 'SESSION_FRESH_MS', 600_000, positiveInt, 'a positive whole number of milliseconds'),
    activityRetentionDays: read(env, 'ACTIVITY_RETENTION_DAYS', 90, positiveInt.max(36_500), 'a whole number of days from 1 to 36500'),
    sessionStore: read(env, 'SESSION_STORE', 'memory', z.enum(['memory', 'redis']), '"memory" or "redis"'),
    redisUrl: read(env, 'REDIS_URL', 'redis://127.0.0.1:6379', urlWithProtocols(['redis:', 'rediss:']).or(clusterUrl), 'a redis:// or rediss:// URL, or redis+cluster://host:port,host:port for a Redis Cluster'),
    redisPrefix: read(env, 'REDIS_PREFIX', 'tether:', z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/), 'up to 64 of A-Z a-z 0-9 : _ . -'),
    databaseUrl: read<string | undefined>(env, 'DATABASE_URL', undefined, urlWithProtocols(['postgres:', 'postgresql:']), 'a postgres:// URL'),
    trustProxy: read<boolean | number | string | undefined>(env, 'TRUST_PROXY', undefined, trustProxy, 'true, false, a hop count or an address list'),
    rateLimits: {
      loginFailuresPerUser: 5,
      loginFailuresPerIp: read(env, 'LOGIN_FAILURES_PER_IP', 100, positiveInt, 'a positive whole number'),
      loginWindowMs: 15 * 60_000,
      registrationsPerIp: read(env, 'REGISTRATIONS_PER_IP', 20, positiveInt, 'a positive whole number'),
      registerWindowMs: 60 * 60_000,
    },
    maxSocketsPerSession: read(env, 'MAX_SOCKETS_PER_SESSION', 50, positiveInt, 'a positive whole number'),
    maxSocketsPerUser: read(env, 'MAX_SOCKETS_PER_USER', 200, positiveInt, 'a positive whole number'),
    socketLimits: {
      handshakesPerIpPerSecond: read(env, 'HANDSHAKES_PER_IP_PER_SECOND', 20, positiveInt, 'a positive whole number'),
      handshakeBurstPerIp: read(env, 'HANDSHAKE_BURST_PER_IP', 100, positiveInt, 'a positive whole number'),
      eventsPerSecond: read(env, 'SOCKET_EVENTS_PER_SECOND', 20, positiveInt, 'a positive whole number'),
      eventBurst: read(env, 'SOCKET_EVENT_BURST', 40, positiveInt, 'a positive whole number'),
    },
    httpRequestTimeoutMs: read(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000, positiveInt, 'a positive whole number of milliseconds'),
    metricsToken: read<string | undefined>(env, 'METRICS_TOKEN', undefined, z.string().regex(/^[\x21-\x7e]{16,256}$/), '16 to 256 printable characters without spaces'),
    drainMs: read(env, 'DRAIN_MS', 10_000, z.coerce.number().int().min(0).max(600_000), 'a whole number of milliseconds from 0 to 600000'),
    httpIdleTimeoutMs: read(env, 'HTTP_IDLE_TIMEOUT_MS', 5_000, positiveInt, 'a positive whole number of milliseconds'),
    logLevel: read(env, 'LOG_LEVEL', 'info', z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'one of fatal, error, warn, info, debug, trace, silent'),
  };
}

// What the ready-made routes need from the app, as interfaces: its accounts, its password hashing, its side effects.
import type { Request } from 'express';
import type { User } from '../../../shared/api.js';

/** An account as the app stores it. */
export interface Account extends User {
  passwordHash: string;
  /** When an operator locked the account (sign-in answers 403 account_locked), or null / absent. */
  lockedAt?: number | null;
}

/** `AccountsPort.create` throws it when the username is taken (case-insensitively): 409 username_taken. */
export class UsernameTakenError extends Error {
  readonly code = 'username_taken';
  constructor(message = 'username taken') {
    super(message);
    this.name = 'UsernameTakenError';
  }
}

/**
 * The app's accounts, wherever it keeps them. Usernames are matched case-insensitively and shown
 * as first registered. Any other error a method throws answers 503 unavailable.
 * @example const accounts: AccountsPort = { findByUsername: (name) => db.users.byName(name.toLowerCase()), … };
 */
export interface AccountsPort {
  findByUsername(username: string): Promise<Account | null>;
  findById(id: string): Promise<Account | null>;
  /** Throws UsernameTakenError when the name exists in any case. */
  create(username: string, passwordHash: string): Promise<User>;
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
}

/**
 * Password hashing (argon2id in the dashboard). `verify(undefined, password)` must cost what a real
 * verification costs (a dummy hash) and resolve false, so timing does not reveal who exists.
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string | undefined, password: string): Promise<boolean>;
}

/** Who acted and from where, for the app's side effects (an activity history, a notice). */
export interface RouteEvent {
  req: Request;
  userId: string;
  /** The acting session's public handle (as in `/api/sessions`); never the session ID. */
  session: string;
  ip: string;
  userAgent: string;
}

export interface SignedInEvent extends RouteEvent {
  user: User;
  /** The new session's ID (to reach its sockets, or to leave them out of a notice). */
  sessionId: string;
  createdAt: number;
}

export interface FailedSignInEvent {
  req: Request;
  /** A known user's id: failures of unknown usernames are not reported (they have no history). */
  userId: string;
  ip: string;
  userAgent: string;
  via: 'login' | 'reauthenticate';
}

type Hook<E> = (event: E) => void | Promise<void>;

/**
 * The app's side effects, each awaited after the act and before the answer (an error in one answers 500
 * after the act happened: keep them from throwing).
 */
export interface RouteHooks {
  onRegistered?: Hook<SignedInEvent>;
  onSignedIn?: Hook<SignedInEvent>;
  onFailedSignIn?: Hook<FailedSignInEvent>;
  onSignedOut?: Hook<RouteEvent>;
  onSignedOutEverywhere?: Hook<RouteEvent>;
  /** `revoked` is the ended session's handle; `session` the one that revoked it (it may be the same). */
  onRevoked?: Hook<RouteEvent & { revoked: string }>;
  /** `session` is the continuing session's handle. */
  onPasswordChanged?: Hook<RouteEvent>;
  onReauthenticated?: Hook<RouteEvent>;
}

/** Where a request comes from, as the hooks and the session list report it. */
export function clientOf(req: Request): { ip: string; userAgent: string } {
  return { ip: req.ip ?? '', userAgent: String(req.headers['user-agent'] ?? '') };
}

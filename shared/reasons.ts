// Why a session ended and why a handshake was refused: string-literal unions with their sets.

/** Why a session ended; sent in `session:ended {reason}`. */
export const END_REASONS = ['logout', 'logout_everywhere', 'revoked', 'expired', 'password_changed'] as const;
export type EndReason = (typeof END_REASONS)[number];

/** Which deadline passed, for `expired`: inactivity (idle) or the session's time limit (absolute). */
export const EXPIRED_DEADLINES = ['idle', 'absolute'] as const;
export type ExpiredDeadline = (typeof EXPIRED_DEADLINES)[number];

/** Why a handshake was refused; the `connect_error` message and `data.code`. */
export const HANDSHAKE_REFUSALS = [
  'unauthenticated',
  'csrf_invalid',
  'origin_not_allowed',
  'session_expired',
  'unavailable',
  'too_many_sockets',
  'rate_limited',
  /** The node is shutting down (SIGTERM): connect again, through the balancer, to another node. */
  'draining',
] as const;
export type HandshakeRefusal = (typeof HANDSHAKE_REFUSALS)[number];

/** The only refusals a client retries (with backoff); every other refusal is final. */
export const RETRYABLE_REFUSALS: ReadonlySet<HandshakeRefusal> = new Set<HandshakeRefusal>(['unavailable', 'rate_limited', 'draining']);

/** Error codes a socket ack can carry. */
export const SOCKET_ERROR_CODES = ['unknown_event', 'invalid_input', 'rate_limited', 'unavailable', 'session_ended', 'reauthentication_required'] as const;
export type SocketErrorCode = (typeof SOCKET_ERROR_CODES)[number];

/** The `expired` sentence once the page knows which deadline passed (END_REASON_MESSAGES.expired when it cannot tell). */
export const EXPIRED_MESSAGES: Readonly<Record<ExpiredDeadline, string>> = {
  idle: 'Your session expired after a period of inactivity.',
  absolute: 'Your session reached the end of its allowed time.',
};

/** One sentence per reason, for the page's `role="status"` element. */
export const END_REASON_MESSAGES: Readonly<Record<EndReason, string>> = {
  logout: 'You signed out in another tab.',
  logout_everywhere: 'You signed out everywhere.',
  revoked: 'This session was revoked from another device.',
  password_changed: 'Your password was changed elsewhere, so this session ended.',
  expired: 'Your session expired after inactivity or at the end of the allowed time.',
};

// The dashboard's side effects of the ready-made routes: the activity history and the live new sign-in notice.
import type { RouteHooks } from '../express/index.js';
import type { ActivityRecorder } from '../activity/recorder.js';

/**
 * Every sign-in, failed burst, sign-out, revocation, password change and confirmation goes into
 * the user's history (public handles only, never a session ID); a sign-in is announced to the
 * user's other tabs first.
 * @example tetherRoutes({ sessions, accounts: users, hasher, countSockets, hooks: activityHooks(activity) });
 */
export function activityHooks(activity: Pick<ActivityRecorder, 'record' | 'failedSignIn' | 'announceSignIn'>): RouteHooks {
  return {
    async onSignedIn({ userId, sessionId, session, ip, userAgent, createdAt }) {
      activity.announceSignIn(userId, sessionId, { id: session, userAgent, ip, at: createdAt });
      await activity.record({ userId, kind: 'signed_in', ip, userAgent, detail: { session } });
    },
    // A known user's failures are counted into one history entry per burst.
    onFailedSignIn: ({ userId, ip, userAgent }) => activity.failedSignIn({ userId, ip, userAgent }),
    onSignedOut: ({ userId, session, ip, userAgent }) => activity.record({ userId, kind: 'signed_out', ip, userAgent, detail: { session } }),
    onSignedOutEverywhere: ({ userId, session, ip, userAgent }) => activity.record({ userId, kind: 'signed_out_everywhere', ip, userAgent, detail: { session } }),
    onRevoked: ({ userId, session, revoked, ip, userAgent }) => activity.record({ userId, kind: 'revoked', ip, userAgent, detail: { session: revoked, by: session } }),
    onPasswordChanged: ({ userId, session, ip, userAgent }) => activity.record({ userId, kind: 'password_changed', ip, userAgent, detail: { session } }),
    onReauthenticated: ({ userId, session, ip, userAgent }) => activity.record({ userId, kind: 'reauthenticated', ip, userAgent, detail: { session } }),
  };
}

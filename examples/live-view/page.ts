// The page's wiring: one session socket (reconnects, end of session), its live views, other tabs.
import { LiveBinding, LiveHub, createTabSync, provideLiveHub } from 'tether-session/client';
import './shout-box.js';

const hub = new LiveHub();
// Every LiveViewController under <body> finds this hub.
provideLiveHub(document.body, hub);
const tabs = createTabSync();

const live = new LiveBinding({
  views: hub,
  events: {
    connected: () => {},
    sessionsChanged: () => {},
    // The socket is closed for good: the session is over (the hub has already cleared every view).
    ended: (reason) => {
      if (reason) tabs.post({ type: 'ended', reason });
      location.assign('/');
    },
    recheck: () => void start(),
    deadlines: () => {},
    changed: () => {},
  },
});

/** GET the session's CSRF token, then open (or keep) the socket with it. */
async function start(): Promise<void> {
  const { csrfToken } = (await (await fetch('/hello')).json()) as { csrfToken: string };
  live.ensure(csrfToken, 30 * 60_000);
}
tabs.subscribe((message) => message.type === 'ended' && location.assign('/'));
void start();

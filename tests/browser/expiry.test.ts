// In Chromium: a session that reaches its time limit (the absolute deadline) while the user is active says so.
import { describe, it } from 'vitest';
import { EXPIRED_MESSAGES } from '../../shared/reasons.js';
import { browserKit, createAccount, expectSignedOut } from './support.js';

const kit = browserKit();

describe.skipIf(!kit.available)('when the session reaches the end of its allowed time, in Chromium', () => {
  it('the tab returns to Sign in and says the time limit passed, not inactivity', async () => {
    const absoluteMs = 8000;
    const server = await kit.server({ SESSION_ABSOLUTE_TIMEOUT_MS: String(absoluteMs) });
    const page = await kit.page(await kit.context(), server.url);
    await createAccount(page, 'tim');
    // The idle deadline (30 min) is far away: only the absolute one can end it.
    await expectSignedOut(page, EXPIRED_MESSAGES.absolute, absoluteMs + 3000);
  }, 60_000); // several page loads, sign-up and a wait for a server push: slow on a loaded 2-core machine
});

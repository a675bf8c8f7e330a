// The README's test-kit example, kept here so it cannot rot.
import { expect, it } from 'vitest';
import { noEvent } from '../../server/testing/index.js';
import { startDashboard } from '../support/dashboard.js';

it('sign out in tab 1 ends tabs 2 and 3 but not the other browser', async () => {
  const server = await startDashboard();
  const laptop = server.browser();
  const phone = server.browser();
  await laptop.register('alice', 'correct horse');
  await phone.login('alice', 'correct horse');
  const [, tab2, tab3] = await Promise.all([laptop.openTab(), laptop.openTab(), laptop.openTab()]);
  const phoneTab = await phone.openTab();
  await laptop.logout(); // what tab 1 does
  expect([await tab2!.ended(), await tab3!.ended()]).toEqual(['logout', 'logout']);
  expect(await noEvent(phoneTab.socket, 'session:ended')).toBe(true);
  await server.close();
});

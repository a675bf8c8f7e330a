// In Chromium: what the page looks like: fields that show their edges (WCAG 1.4.11), and a dark reload that paints dark from its first frame.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserKit, createAccount, expectSignedIn, panel } from './support.js';

const kit = browserKit();

/** WCAG contrast ratio of two computed `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (color: string): number => {
    const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The Username field's border colour and the colour behind it, as Chromium computed them. */
const fieldColours = (page: Page) =>
  page.getByLabel('Username', { exact: true }).evaluate((input) => {
    const style = getComputedStyle(input);
    return { border: style.borderTopColor, background: style.backgroundColor };
  });

describe.skipIf(!kit.available)('the page in Chromium', () => {
  it.each(['light', 'dark'] as const)('in a %s system theme, text fields have borders of at least 3:1 against their background', async (colorScheme) => {
    const server = await kit.server();
    const page = await kit.page(await kit.context({ colorScheme }), server.url);
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    const { border, background } = await fieldColours(page);
    expect(contrast(border, background)).toBeGreaterThanOrEqual(3);
  });

  it('a reload of a session with the dark theme paints dark from the first frame (on a light system)', async () => {
    const server = await kit.server();
    const page = await kit.page(await kit.context({ colorScheme: 'light' }), server.url);
    await createAccount(page, 'nyx');
    await panel(page, 'Theme').getByText('Live', { exact: true }).waitFor();
    await page.getByRole('radio', { name: 'Dark', exact: true }).check();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const darkBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);

    // Before any script of the page runs: note the theme and background of the first frame.
    await page.addInitScript(() => {
      requestAnimationFrame(() => {
        const seen = { theme: document.documentElement.dataset.theme ?? 'system', background: getComputedStyle(document.documentElement).backgroundColor };
        Object.assign(window, { firstFrame: seen });
      });
    });
    await page.reload();
    await expectSignedIn(page, 'nyx');
    const firstFrame = await page.evaluate(() => (window as unknown as { firstFrame?: { theme: string; background: string } }).firstFrame);
    expect(firstFrame).toEqual({ theme: 'dark', background: darkBackground });
  });
});

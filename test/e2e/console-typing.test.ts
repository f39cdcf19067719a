// Typing at the console in Chromium: an unknown command prints its error under the input (without asking
// about the later steps) and leaves the run as it was; a known one becomes a typed step of the timeline,
// and Undo takes it back.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  buildSiteIfStale,
  chromiumAvailable,
  distDir,
  launchChromium,
  openPage,
  serveStatic,
  type PageRecord,
  type StaticServer,
} from './browser';

describe.skipIf(!chromiumAvailable())('typing at the console, in Chromium', () => {
  let server: StaticServer;
  let browser: Browser;
  let v: PageRecord | undefined;

  beforeAll(async () => {
    await buildSiteIfStale();
    server = await serveStatic(distDir);
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    if (v) {
      expect(v.foreignRequests()).toEqual([]);
      expect(v.errors).toEqual([]);
    }
    await browser?.close();
    await server?.close();
  });

  test('an unknown command is printed; klist purge becomes a typed step; Undo takes it back', async () => {
    v = await openPage(browser, server.origin, '/');
    const { page } = v;
    await page.getByTestId('playground').waitFor({ timeout: 60_000 });
    const input = page.getByTestId('console-input').locator('input');
    await input.fill('frobnicate');
    await input.press('Enter');
    await expect
      .poll(() => page.getByTestId('console-error').textContent())
      .toMatch(/'frobnicate' is not recognized as an internal or external command/);
    await input.fill('klist purge');
    await input.press('Enter');
    // the page opens at the start: the later steps are kept after the typed one
    await page.getByRole('dialog').getByRole('button', { name: 'Insert here and keep them' }).click();
    const undo = page.getByRole('button', { name: /^Undo/ });
    await undo.waitFor({ timeout: 60_000 });
    await expect.poll(() => input.inputValue()).toBe('');
    // the step says where it came from: typed, not a fault
    await expect.poll(() => page.getByTestId('step-source').textContent()).toBe('typed');
    await input.press('ArrowUp');
    expect(await input.inputValue()).toBe('klist purge');
    await undo.click();
    await expect.poll(() => undo.count()).toBe(0);
  }, 120_000);
});

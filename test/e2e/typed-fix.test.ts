// The fix for the 4-hour gap, typed at the console in Chromium (cached-logon-4h-gap): after the mount
// that fails at 09:00 (the GPO just turned on, no cloud TGT yet), `dsregcmd /refreshprt`, a lock, an
// unlock and `net use` make the mount work; the same four lines typed at 08:00, before the GPO is on,
// do not — the refreshed PRT then comes without a cloud TGT, and the mount fails with 1326 again.
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, consoleWhole, useBrowser } from './browser';

const SHARE = '\\\\contosofiles.file.core.windows.net\\profiles';
const FIX = ['dsregcmd /refreshprt', 'rundll32 user32.dll,LockWorkStation', 'unlock', `net use Z: ${SHARE}`];

describe.skipIf(!chromiumAvailable())('the 4-hour gap fixed by typing, in Chromium', () => {
  const site = useBrowser();

  const stepCount = (page: Page) => page.getByTestId('step-count').textContent();

  async function open(): Promise<Page> {
    const v = await site.open('/#/s/cached-logon-4h-gap');
    await v.page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => stepCount(v.page), { timeout: 60_000 }).toBe('Step 0 of 11');
    return v.page;
  }

  async function stepTo(page: Page, step: number, of: number): Promise<void> {
    for (let i = 0; i < step; i++) {
      await page.getByTestId('step-forward').click();
      await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBe(`Step ${i + 1} of ${of}`);
    }
  }

  /** Types the fix's four lines, each inserted after the current step with the later ones kept. */
  async function typeFix(page: Page, from: number, of: number): Promise<void> {
    const input = page.getByTestId('console-input').locator('input');
    for (const [i, line] of FIX.entries()) {
      await input.fill(line);
      await input.press('Enter');
      const ask = page.getByTestId('replace-or-insert');
      await ask.getByRole('button', { name: 'Insert here and keep them' }).click();
      await expect
        .poll(() => stepCount(page), { timeout: 60_000 })
        .toBe(`Step ${from + i + 1} of ${of + i + 1}`);
      await expect.poll(() => page.getByTestId('step-source').textContent()).toBe('typed');
    }
  }

  const consoleText = (page: Page) => consoleWhole(page);
  const fails = (page: Page) =>
    page.getByTestId('step-title').evaluate((el) => el.classList.contains('fails'));

  test('typed after the failing mount (policy on at 09:00), the fix mounts the share', async () => {
    const page = await open();
    await stepTo(page, 3, 11);
    // the scenario's own mount at 09:00 fails: no cloud TGT, NTLM refused
    expect(await fails(page)).toBe(true);
    expect(await consoleText(page)).toContain('1326');
    expect(await consoleText(page)).not.toContain('Drive Z: is now connected');

    await typeFix(page, 3, 11);
    expect(await fails(page)).toBe(false);
    const text = await consoleText(page);
    const typed = text.lastIndexOf(`net use Z: ${SHARE}`);
    expect(text.indexOf('Drive Z: is now connected', typed)).toBeGreaterThan(typed);
  }, 300_000);

  test('typed at 08:00, before the GPO is on, the same fix does not mount the share', async () => {
    const page = await open();
    await stepTo(page, 1, 11);
    await typeFix(page, 1, 11);
    expect(await fails(page)).toBe(true);
    const text = await consoleText(page);
    const typed = text.lastIndexOf(`net use Z: ${SHARE}`);
    expect(typed).toBeGreaterThan(-1);
    expect(text.indexOf('1326', typed)).toBeGreaterThan(typed);
    expect(text).not.toContain('Drive Z: is now connected');
  }, 300_000);
});

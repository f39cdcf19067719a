// The DC's Security log panel in Chromium: kerberos-101 played to its end lists 4768 (Result Code 0x0) and
// 4769 for the file server, newest first; a step back shows the log as it was then; a wrong password (a
// share link of kerberos-101 with alice's password changed) lists 4771 with Failure Code 0x18 under the
// failure filter; an event opens from the keyboard to its System and EventData fields. Nothing leaves the tab.
import { deflateRawSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import kerberos101 from '../../src/scenarios/catalogue/kerberos-101.json';
import { chromiumAvailable, useBrowser } from './browser';

/** Each listed event as "id keyword code", top (newest) first. */
const rows = (page: Page) =>
  page
    .getByTestId('security-log-row')
    .evaluateAll((els) =>
      els.map(
        (e) =>
          `${e.getAttribute('data-event-id')} ${e.getAttribute('data-keyword')} ${e.getAttribute('data-code')}`,
      ),
    );

describe.skipIf(!chromiumAvailable())('the Security log panel, in Chromium', () => {
  const site = useBrowser();

  async function play(path: string): Promise<Page> {
    const v = await site.open(path);
    const page = v.page;
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('step-last').isEnabled(), { timeout: 60_000 }).toBe(true);
    await page.getByTestId('step-last').click();
    await page.locator('[data-testid="step-count"]', { hasText: 'Step 2 of 2' }).waitFor({ timeout: 60_000 });
    return page;
  }

  test('kerberos-101: 4768 with 0x0 and 4769 for the file server; a step back shows fewer; keyboard opens the details', async () => {
    const page = await play('/#/s/kerberos-101');
    await expect.poll(async () => (await rows(page)).length, { timeout: 30_000 }).toBeGreaterThan(1);
    const atEnd = await rows(page);
    expect(atEnd.at(-1)).toBe('4768 Audit Success 0x0');
    expect(atEnd).toContain('4769 Audit Success 0x0');
    expect(atEnd.some((r) => r.includes('Failure'))).toBe(false);

    await page.getByTestId('security-log-search').fill('cifs/fs1');
    await expect.poll(async () => (await rows(page)).every((r) => r.startsWith('4769'))).toBe(true);
    expect((await rows(page)).length).toBeGreaterThan(0);
    await page.getByTestId('security-log-search').fill('');

    // Event Viewer's Details: opened with the keyboard
    const first = page.getByTestId('security-log-row').last().getByRole('button');
    await first.focus();
    await page.keyboard.press('Enter');
    expect(await first.getAttribute('aria-expanded')).toBe('true');
    const details = page.getByTestId('security-log-details');
    await expect.poll(() => details.textContent()).toMatch(/EventID\s*4768/);
    expect(await details.textContent()).toMatch(/TargetUserName\s*alice/);
    expect(await details.textContent()).toMatch(/Status\s*0x0/);
    await page.keyboard.press('Enter');
    expect(await first.getAttribute('aria-expanded')).toBe('false');

    await page.getByTestId('step-back').click();
    await page.locator('[data-testid="step-count"]', { hasText: 'Step 1 of 2' }).waitFor();
    await expect.poll(async () => (await rows(page)).length).toBeLessThan(atEnd.length);
    await page.context().close();
  });

  test('a wrong password: 4771 with Failure Code 0x18, found by the failure filter', async () => {
    const s = structuredClone(kerberos101);
    s.clients[0]!.password = 'not-the-password';
    const page = await play(
      `/#/j/${deflateRawSync(Buffer.from(JSON.stringify(s, null, 2))).toString('base64url')}`,
    );
    await page.getByTestId('security-log-result').selectOption('failure');
    await expect.poll(async () => (await rows(page))[0], { timeout: 30_000 }).toBe('4771 Audit Failure 0x18');
    expect((await rows(page)).every((r) => r.includes('Failure'))).toBe(true);
    await page.getByTestId('security-log-result').selectOption('all');
    expect((await rows(page)).some((r) => r.startsWith('4768 Audit Success'))).toBe(false);
    await page.context().close();
  });
  test('at 1280×800 nothing of the panel runs past its card, the DC select of a world with several DCs included', async () => {
    const v = await site.open('/#/s/happy-path');
    const page = v.page;
    await page.setViewportSize({ width: 1280, height: 800 });
    const panel = page.getByTestId('security-log');
    await page.getByTestId('security-log-dc').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('security-log-dc').locator('option').count()).toBeGreaterThan(1);
    await panel.scrollIntoViewIfNeeded();
    const past = await panel.evaluate((card) => {
      const edge = card.getBoundingClientRect().right;
      return [...card.querySelectorAll('*')]
        .filter((e) => e.getBoundingClientRect().right > edge + 0.5)
        .map((e) => `${e.tagName.toLowerCase()} "${(e.textContent ?? '').trim().slice(0, 40)}"`);
    });
    expect(past).toEqual([]);
  }, 180_000);
});

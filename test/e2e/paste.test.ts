// The paste page (#/paste) in Chromium: the engine's own klist and dsregcmd at the end of happy-path,
// pasted, read back to the same facts with nothing unread; a tgt-expiry-10h case pasted at 18:05 starts a
// run that fails at the same virtual time as the catalogue scenario; nothing leaves the tab.
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { clientCache } from '../../src/scenarios';
import { pasteOf } from '../unit/support/paste-of';
import { chromiumAvailable, useBrowser } from './browser';

describe.skipIf(!chromiumAvailable())('the paste page in Chromium', () => {
  const site = useBrowser({ check: 'requests' });

  async function open(path: string): Promise<Page> {
    const view = await site.open(path);
    await view.page.setViewportSize({ width: 1280, height: 900 });
    return view.page;
  }

  /** The time of the first failed step of the run on the page, after playing it to its end. */
  async function firstFailureTime(page: Page): Promise<string> {
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('step-forward').isEnabled(), { timeout: 60_000 }).toBe(true);
    await page.getByTestId('step-last').click();
    const failed = page.locator('[data-testid^="step-"][data-result="failed"]').first();
    await failed.waitFor({ timeout: 120_000 });
    await failed.click();
    await expect.poll(() => failed.getAttribute('aria-current')).toBe('step');
    return (await page.getByTestId('clock').getAttribute('datetime'))!;
  }

  test("happy-path's klist and dsregcmd, pasted: the same tickets and SSO state, every line understood", async () => {
    const paste = pasteOf('happy-path');
    const cache = clientCache(paste.run, 'ws1');
    const page = await open('/#/paste');
    await page.getByTestId('paste-text').fill(paste.text);
    await page.getByTestId('paste-facts').waitFor();
    expect(await page.getByTestId('paste-sections').textContent()).toMatch(
      /^windows-klist \(lines \d+–\d+\), dsregcmd/,
    );
    const servers = await page.getByTestId('paste-ticket').locator('td:first-child').allTextContents();
    expect(servers).toEqual(
      cache.credentials.map((c) => `${c.server.name.nameString.join('/')}@${c.server.realm}`),
    );
    expect(await page.getByTestId('paste-cloudtgt').textContent()).toBe('YES');
    expect(await page.getByTestId('paste-onprem').textContent()).toBe('YES');
    expect(await page.getByTestId('paste-unread').count()).toBe(0);
    expect(await page.getByTestId('no-findings').isVisible()).toBe(true);
  });

  test('a line not understood is shown, numbered', async () => {
    const page = await open('/#/paste');
    await page.getByTestId('paste-text').fill('Cached Tickets: (0)\nsomething else');
    await page.getByTestId('paste-unread').waitFor();
    expect(
      await page
        .getByTestId('paste-unread')
        .locator('li')
        .evaluateAll((els) => els.map((e) => [e.getAttribute('value'), e.textContent])),
    ).toEqual([['2', 'something else']]);
  });

  test('a tgt-expiry case pasted at 18:05: the finding, and its run fails when the catalogue one does', async () => {
    const paste = pasteOf('tgt-expiry-10h', (start) => start + 10 * 3_600_000 + 5 * 60_000);
    const page = await open('/#/paste');
    await page.getByTestId('paste-text').fill(paste.text);
    await page.getByTestId('paste-time').fill('2026-03-02 18:05');
    await page.getByTestId('finding-cloud-tgt-expired').waitFor();
    expect(await page.getByTestId('finding-cloud-tgt-expired').textContent()).toMatch(/expired 5m ago/);
    await page.getByTestId('paste-start').click();
    await page.waitForFunction(() => location.hash.startsWith('#/j/'));
    const mine = await firstFailureTime(page);
    const catalogue = await firstFailureTime(await open('/#/s/tgt-expiry-10h'));
    expect(mine.slice(0, 16)).toBe('2026-03-02T18:05');
    expect(mine.slice(0, 16)).toBe(catalogue.slice(0, 16));
  });

  test('a text file dropped on the area is read into the box; one over the bound is refused with its size', async () => {
    const page = await open('/#/paste');
    const area = page.getByRole('region', { name: 'Drop a text file here' });
    const drop = (name: string, text: string) =>
      area.evaluate(
        (el, [name, text]) => {
          const files = new DataTransfer();
          files.items.add(new File([text], name, { type: 'text/plain' }));
          el.dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
        },
        [name, text] as const,
      );
    await drop('case.txt', 'Cached Tickets: (0)\nsomething else');
    await expect
      .poll(() => page.getByTestId('paste-text').inputValue())
      .toBe('Cached Tickets: (0)\nsomething else');
    await page.getByTestId('paste-unread').waitFor();
    await drop('big.txt', 'x'.repeat(600_000));
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'bytes' }).textContent())
      .toMatch(/^the file is 600,000 bytes; a paste is read up to/);
    expect(await page.getByTestId('paste-text').inputValue()).toBe('Cached Tickets: (0)\nsomething else');
  });
});

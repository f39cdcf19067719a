// The case report from the page's Export menu, in Chromium: clock-skew played to its end, the report made in
// the worker and downloaded, then opened as a file in a context with the network cut off: it shows the
// failing step, and each attachment's data: link decodes (in that page) to a file of its kind and size.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { chromiumAvailable, type PageRecord, projectRoot, useBrowser } from './browser';

describe.skipIf(!chromiumAvailable())('the case report, in Chromium', () => {
  const site = useBrowser();
  let v: PageRecord | undefined;

  test('exported from the menu, it opens offline with its attachments', async () => {
    v = await site.open('/#/s/clock-skew');
    const page = v.page;
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('step-last').isEnabled(), { timeout: 60_000 }).toBe(true);
    await page.getByTestId('step-last').click();
    await page.locator('[data-testid="step-count"]', { hasText: 'Step 6 of 6' }).waitFor({ timeout: 60_000 });
    await page.getByTestId('export-menu').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-report-html').click(),
    ]);
    expect(download.suggestedFilename()).toBe('clock-skew-case-report.html');
    // the page stays where it was: the report looked at step 2 and came back
    expect(await page.getByTestId('step-count').textContent()).toBe('Step 6 of 6');
    mkdirSync(join(projectRoot, 'test-results'), { recursive: true });
    const file = join(projectRoot, 'test-results', 'clock-skew-case-report.html');
    copyFileSync((await download.path())!, file);

    // offline: the context has no network, and any request but the file itself is refused and counted
    const context = await site.browser.newContext({ offline: true });
    const asked: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url === pathToFileURL(file).href) return route.continue();
      asked.push(url);
      return route.abort();
    });
    const report = await context.newPage();
    await report.goto(pathToFileURL(file).href);
    expect(await report.locator('h1').textContent()).toMatch(/^Case report: /);
    expect(await report.locator('#failing').textContent()).toMatch(/^The failing step: 2\. /);
    expect(await report.locator('body').textContent()).toMatch(/KRB_AP_ERR_SKEW \(37\)/);
    const files = await report.locator('a[data-attachment]').evaluateAll((links) =>
      links.map((a) => {
        const href = a.getAttribute('href') ?? '';
        const bytes = Uint8Array.from(atob(href.slice(href.indexOf(',') + 1)), (c) => c.charCodeAt(0));
        const size = /\((\d+) bytes\)/.exec(a.parentElement?.textContent ?? '')?.[1];
        return {
          name: a.getAttribute('data-attachment'),
          head: [...bytes.subarray(0, 4)],
          size: bytes.length,
          said: Number(size),
        };
      }),
    );
    expect(files.map((f) => f.name)).toEqual([
      'clock-skew.pcapng',
      'clock-skew.keytab',
      'kkdcp.lua',
      'smb2_seskey_list',
    ]);
    for (const f of files) expect(f.size).toBe(f.said);
    expect(files[0]!.head).toEqual([0x0a, 0x0d, 0x0d, 0x0a]); // pcapng Section Header Block
    expect(files[1]!.head.slice(0, 2)).toEqual([0x05, 0x02]); // keytab version 0x0502
    expect(String.fromCharCode(...files[2]!.head)).toBe('-- k'); // kkdcp.lua starts with its Lua comment
    expect(asked).toEqual([]);
    await context.close();
  });
});

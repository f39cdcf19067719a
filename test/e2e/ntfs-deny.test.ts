// ntfs-deny in Chromium: the scenario plays to its end; ws1's console shows alice's `type Z:\report.docx`
// refused with "Access is denied.", and the trace names the deny ACE on alice's SID (from the PAC of the
// ticket she presented) that matched at the SMB2 CREATE. Nothing leaves the tab.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, consoleWhole, type PageRecord, projectRoot, useBrowser } from './browser';

describe.skipIf(!chromiumAvailable())('ntfs-deny, in Chromium', () => {
  const site = useBrowser();
  let v: PageRecord;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(join(projectRoot, 'test-results'), { recursive: true });
    v = await site.open('/#/s/ntfs-deny');
    page = v.page;
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('scenario-id').filter({ hasText: 'ntfs-deny' }).waitFor({ timeout: 60_000 });
  }, 300_000);

  test('played to the end: "Access is denied." in the console, and the matching deny ACE named in the trace', async () => {
    await expect.poll(() => page.getByTestId('step-last').isEnabled(), { timeout: 60_000 }).toBe(true);
    await page.getByTestId('step-last').click();
    await expect
      .poll(() => page.getByTestId('step-count').textContent(), { timeout: 60_000 })
      .toBe('Step 10 of 10');
    const lines = () =>
      page
        .getByTestId('console-lines')
        .locator('.line')
        .evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    await expect
      .poll(async () => (await lines()).join('\n'), { timeout: 30_000 })
      .toMatch(/type Z:\\report\.docx/);
    await consoleWhole(page);
    const all = (await lines()).join('\n');
    expect(all.slice(all.lastIndexOf('type Z:\\report.docx'))).toMatch(/Access is denied\./);
    const ace = page.locator('[data-testid^="row-"]', {
      hasText:
        /STATUS_ACCESS_DENIED \(0xC0000022\): NTFS on \\report\.docx: the deny ACE \(DENY\) CORP\\alice \(S-1-5-21-2146773085-903363285-719344707-1104\): R, explicit on \\report\.docx matched/,
    });
    await expect.poll(() => ace.count(), { timeout: 30_000 }).toBe(1);
    await page.screenshot({ path: join(projectRoot, 'test-results', 'ntfs-deny.png') });
  }, 180_000);

  test("the inspector opens the AP-REQ alice presented: her SID is in the ticket's PAC", async () => {
    await page.locator('[data-testid^="row-"][data-type="AP-REQ"]').last().click();
    await expect
      .poll(() => page.getByTestId('inspector-type').textContent(), { timeout: 30_000 })
      .toBe('AP-REQ');
    await page.getByTestId('inspector').getByRole('button', { name: 'expand all' }).click();
    await expect
      .poll(() => page.getByTestId('inspector').textContent(), { timeout: 30_000 })
      .toMatch(/S-1-5-21-2146773085-903363285-719344707-1104/);
    await page
      .getByTestId('inspector')
      .screenshot({ path: join(projectRoot, 'test-results', 'ntfs-deny-pac.png') });
  }, 120_000);
});

// The clock in the user's hands, in Chromium, on cached-logon-4h-gap (it ends at 10:30 with Z: mapped
// through a cloud TGT valid until 20:30): dragging the clock's cursor past 18:00, to about 22:00, makes
// ONE clock step, whose trace shows the drive re-authenticating and the cloud TGT expiring; the next
// `net use`, typed at the console, then fails (NTLM refused, 1326) and dsregcmd /status says CloudTgt NO.
// A typed time earlier than the clock and the keys (Home, Enter) step back. Nothing leaves the tab.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, type PageRecord, projectRoot, traceWhole, useBrowser } from './browser';

const HOUR = 3_600_000;
const RANGE = 14 * 24 * HOUR;

describe.skipIf(!chromiumAvailable())('the clock in the user’s hands, in Chromium', () => {
  const site = useBrowser();
  let v: PageRecord;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(join(projectRoot, 'test-results'), { recursive: true });
    v = await site.open('/#/s/cached-logon-4h-gap');
    page = v.page;
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await page
      .getByTestId('scenario-id')
      .filter({ hasText: 'cached-logon-4h-gap' })
      .waitFor({ timeout: 60_000 });
  }, 300_000);

  const stepCount = () => page.getByTestId('step-count').textContent();
  const slider = () => page.getByRole('slider', { name: 'Virtual clock' });
  const valueText = () => slider().getAttribute('aria-valuetext');
  const rows = (type: string, text: RegExp) =>
    page.locator(`[data-testid^="row-"][data-type="${type}"]`, { hasText: text });

  test('dragging the clock past 18:00 is one clock step: the cloud TGT expires and the next mount fails', async () => {
    await expect.poll(() => page.getByTestId('step-last').isEnabled(), { timeout: 60_000 }).toBe(true);
    await page.getByTestId('step-last').click();
    await expect.poll(stepCount, { timeout: 60_000 }).toBe('Step 11 of 11');
    expect(await valueText()).toBe('Mon 2 Mar 10:30 UTC');
    // the marks: the on-prem TGT ends at 18:00, the cloud TGT at 20:30, the PRT turns 4h old at 14:30
    const ends = await page
      .getByTestId('clock-mark-tgt-end')
      .evaluateAll((els) =>
        els.map((e) => new Date(Number(e.getAttribute('data-t'))).toISOString().slice(11, 16)),
      );
    expect(ends).toEqual(['18:00', '20:30']);
    expect(await page.getByTestId('clock-mark-prt-refresh').count()).toBe(1);

    // drag the cursor from 10:30 to about 22:00, in many small moves (the slider sits below the stage)
    await slider().scrollIntoViewIfNeeded();
    const box = (await slider().boundingBox())!;
    const xAt = (hoursAfterStart: number) => box.x + (box.width * hoursAfterStart * HOUR) / RANGE;
    const y = box.y + box.height / 2;
    await page.mouse.move(xAt(2.5), y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(xAt(2.5 + (11.5 * i) / 10), y);
    // while dragging, nothing is played: the cursor says where it will go
    expect(await valueText()).toMatch(/^Mon 2 Mar 2[12]:\d\d UTC: press Enter to move the clock here$/);
    expect(await stepCount()).toBe('Step 11 of 11');
    await page.mouse.up();
    await expect.poll(stepCount, { timeout: 60_000 }).toBe('Step 12 of 12');
    expect(await page.getByTestId('step-title').textContent()).toMatch(/the clock moves forward 1[01]h\d*m?/);
    expect(await valueText()).toMatch(/^Mon 2 Mar 2[12]:\d\d UTC$/);

    // what the hosts did on their own on the way, each a trace line, once the trace has them all
    await traceWhole(page);
    await expect
      .poll(() => rows('expired', /the cloud TGT krbtgt\/KERBEROS\.MICROSOFTONLINE\.COM/).count())
      .toBe(1);
    expect(await rows('expired', /the TGT krbtgt\/CORP\.CONTOSO\.COM/).count()).toBe(1);
    expect(await rows('smb', /the session is set up again/).count()).toBe(9);
    expect(await rows('smb', /could not be set up again \(System error 1326/).count()).toBe(1);
    expect(await rows('cloudap', /now 4h old/).count()).toBe(1);
    await page.screenshot({ path: join(projectRoot, 'test-results', 'clock-dragged.png') });

    // the next mount, typed at the console: no cloud TGT, NTLM refused, 1326
    const input = page.getByTestId('console-input').locator('input');
    await input.fill('net use Z: \\\\contosofiles.file.core.windows.net\\profiles');
    await input.press('Enter');
    await expect.poll(stepCount, { timeout: 60_000 }).toBe('Step 13 of 13');
    await expect.poll(() => page.getByTestId('step-title').getAttribute('class')).toMatch(/\bfails\b/);
    const lastLines = () =>
      page
        .getByTestId('console-lines')
        .locator('.line')
        .evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    await expect.poll(async () => (await lastLines()).slice(-3).join('\n')).toMatch(/System error 1326/);
    await input.fill('dsregcmd /status');
    await input.press('Enter');
    await expect.poll(stepCount, { timeout: 60_000 }).toBe('Step 14 of 14');
    await expect.poll(async () => (await lastLines()).join('\n')).toMatch(/CloudTgt: NO/);
  }, 180_000);

  test('an earlier time typed, or Home and Enter on the slider, steps back to the step at that time', async () => {
    const input = page.getByTestId('clock-input');
    await input.fill('25:00');
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('clock-problem').textContent()).toMatch(/not a time of day/);
    expect(await stepCount()).toBe('Step 14 of 14');
    await input.fill('09:30');
    await input.press('Enter');
    // the last step that ended at or before 09:30: the mount at 09:00 (step 3)
    await expect.poll(stepCount, { timeout: 30_000 }).toBe('Step 3 of 14');
    expect(await valueText()).toBe('Mon 2 Mar 09:00 UTC');
    await slider().focus();
    await page.keyboard.press('Home');
    expect(await valueText()).toBe('Mon 2 Mar 08:00 UTC: press Enter to move the clock here');
    await page.keyboard.press('Enter');
    await expect.poll(stepCount, { timeout: 30_000 }).toBe('Step 0 of 14');
    // the arrows move the cursor 15 minutes; Escape lets it go
    await page.keyboard.press('ArrowRight');
    expect(await valueText()).toBe('Mon 2 Mar 08:15 UTC: press Enter to move the clock here');
    await page.keyboard.press('Escape');
    expect(await valueText()).toBe('Mon 2 Mar 08:00 UTC');
  }, 120_000);

  test('a time typed and Enter: once the clock has moved, the box still has the focus for the next one', async () => {
    const input = page.getByTestId('clock-input');
    const ready = () => page.getByTestId('step-back').getAttribute('aria-disabled');
    // from the last step (the dsregcmd after the drag, at 21:xx or 22:xx), as a reader who has played it all
    await page.getByTestId('step-last').click();
    await expect.poll(stepCount, { timeout: 60_000 }).toBe('Step 14 of 14');
    const minutes = async () => Number(await slider().getAttribute('aria-valuenow'));
    const from = await minutes();
    await input.click();
    await input.fill('+10h');
    await input.press('Enter');
    await expect.poll(stepCount, { timeout: 60_000 }).toBe('Step 15 of 15');
    // the playground is ready again (the step buttons say so) and the clock has moved
    await expect.poll(ready, { timeout: 60_000 }).toBe('false');
    expect(await minutes()).toBe(from + 600);
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
    expect(await focused()).toBe('clock-input');
    // the next time is typed straight away, without a click
    await page.keyboard.type('+1h');
    await page.keyboard.press('Enter');
    await expect.poll(stepCount, { timeout: 60_000 }).toBe('Step 16 of 16');
    expect(await minutes()).toBe(from + 660);
    await expect.poll(ready, { timeout: 60_000 }).toBe('false');
    expect(await focused()).toBe('clock-input');
  }, 120_000);
});

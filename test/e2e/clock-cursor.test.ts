// The clock's cursor once a move's summary is shown: the page then still asks the worker for the step's
// message (detail), and until that answer came the cursor kept the time the user had chosen, so the
// slider read "09:30: press Enter…" over a clock at 09:00, and an arrow key pressed then was undone when
// the answer came (test/e2e/clock.test.ts failed so on a loaded machine). Here the page's detail requests
// are held back until the test lets them go, so the window is as wide as the test wants, on any machine.
import { describe, expect, test } from 'vitest';
import { chromiumAvailable, holdDetails, useBrowser } from './browser';

describe.skipIf(!chromiumAvailable())('the clock’s cursor after a move, in Chromium', () => {
  const site = useBrowser();

  test('the slider shows the new clock, and a key pressed before the message opens is kept', async () => {
    const v = await site.open('/');
    const { page } = v;
    await v.context.addInitScript(holdDetails);
    await page.goto(`${site.origin}/#/s/cached-logon-4h-gap`, { waitUntil: 'load' });
    await page.reload({ waitUntil: 'load' });
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('step-last').click();
    const stepCount = () => page.getByTestId('step-count').textContent();
    await expect.poll(stepCount, { timeout: 60_000 }).toMatch(/^Step (\d+) of \1$/);
    const slider = page.getByRole('slider', { name: 'Virtual clock' });
    const valueText = () => slider.getAttribute('aria-valuetext');
    await page.evaluate(() => ((window as unknown as { __hold: boolean }).__hold = true));

    const input = page.getByTestId('clock-input');
    await input.fill('09:30');
    await input.press('Enter');
    // the last step that ended at or before 09:30: the mount at 09:00 (step 3); its message is held back
    await expect.poll(stepCount, { timeout: 60_000 }).toMatch(/^Step 3 of /);
    expect(await page.evaluate(() => (window as unknown as { __held: unknown[] }).__held.length)).toBe(1);
    expect(await valueText()).toBe('Mon 2 Mar 09:00 UTC');
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    expect(await valueText()).toBe('Mon 2 Mar 09:15 UTC: press Enter to move the clock here');

    await page.evaluate(() => (window as unknown as { __release(): void }).__release());
    await page.getByTestId('inspector-type').waitFor({ timeout: 60_000 });
    expect(await valueText()).toBe('Mon 2 Mar 09:15 UTC: press Enter to move the clock here');
  });
});

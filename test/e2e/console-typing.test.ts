// Typing at the console in Chromium: an unknown command prints its error under the input (without asking
// about the later steps) and leaves the run as it was; a known one becomes a typed step of the timeline,
// and Undo takes it back.
import { describe, expect, test } from 'vitest';
import { chromiumAvailable, type PageRecord, useBrowser } from './browser';

describe.skipIf(!chromiumAvailable())('typing at the console, in Chromium', () => {
  const site = useBrowser();
  let v: PageRecord | undefined;

  test('an unknown command is printed; klist purge becomes a typed step; Undo takes it back', async () => {
    v = await site.open('/');
    const { page } = v;
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
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

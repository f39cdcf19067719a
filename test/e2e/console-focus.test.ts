// The console keeps the keyboard: after a typed command has played (the input is read-only while the
// step plays), the focus is still in the input, so the next command can be typed at once.
import { describe, expect, test } from 'vitest';
import { chromiumAvailable, holdDetails, useBrowser } from './browser';

describe.skipIf(!chromiumAvailable())('the console’s focus, in Chromium', () => {
  const site = useBrowser();

  test('a command typed at the end plays as a step, and the focus stays in the input', async () => {
    const v = await site.open('/');
    const { page } = v;
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('step-last').click();
    const count = async () =>
      Number((await page.getByTestId('step-count').textContent())!.match(/of (\d+)/)![1]);
    const steps = await count();
    await page.locator('[data-testid="step-count"]', { hasText: `Step ${steps} of ${steps}` }).waitFor();

    const input = page.getByTestId('console-input').locator('input');
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return el === document.body ? 'body' : (el?.getAttribute('aria-label') ?? el?.tagName);
      });
    for (const [i, command] of ['klist', 'klist'].entries()) {
      await input.focus();
      await input.fill(command);
      await input.press('Enter');
      await page
        .locator('[data-testid="step-count"]', { hasText: `of ${steps + i + 1}` })
        .waitFor({ timeout: 60_000 });
      await expect
        .poll(() => page.getByTestId('playground').getAttribute('data-step'))
        .toBe(String(steps + i + 1));
      expect(await focused()).toMatch(/^Command at .+'s prompt$/);
      expect(await input.inputValue()).toBe('');
    }
  });
  test('a command typed while the step before still opens its message is kept, and plays on Enter', async () => {
    const context = await site.browser.newContext();
    // the page's 'detail' requests wait until the test lets them go; answers from the worker are counted
    await context.addInitScript(holdDetails);
    await context.addInitScript(() => {
      const w = window as unknown as { __answers: number };
      w.__answers = 0;
      const desc = Object.getOwnPropertyDescriptor(Worker.prototype, 'onmessage')!;
      Object.defineProperty(Worker.prototype, 'onmessage', {
        ...desc,
        set(this: Worker, handler: ((ev: MessageEvent) => void) | null) {
          desc.set!.call(
            this,
            handler &&
              ((ev: MessageEvent) => {
                handler.call(this, ev);
                w.__answers++;
              }),
          );
        },
      });
    });
    const page = await context.newPage();
    try {
      await page.goto(`${site.origin}/#/s/kerberos-101`, { waitUntil: 'load' });
      await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
      await page.getByTestId('step-last').click();
      const total = async () =>
        Number((await page.getByTestId('step-count').textContent())!.match(/of (\d+)/)![1]);
      await expect.poll(() => page.getByTestId('step-last').isDisabled(), { timeout: 60_000 }).toBe(true);
      const steps = await total();
      const input = page.getByTestId('console-input').locator('input');
      const answers = () => page.evaluate(() => (window as unknown as { __answers: number }).__answers);

      await page.evaluate(() => ((window as unknown as { __hold: boolean }).__hold = true));
      await input.fill('klist');
      await input.press('Enter');
      // the step is on screen; its message's detail is held, so the command before has not finished
      await page
        .locator('[data-testid="step-count"]', { hasText: `of ${steps + 1}` })
        .waitFor({ timeout: 60_000 });
      await input.fill('klist tgt');
      const before = await answers();
      await page.evaluate(() => (window as unknown as { __release(): void }).__release());
      await expect.poll(answers, { timeout: 60_000 }).toBeGreaterThan(before);
      expect(await input.inputValue()).toBe('klist tgt');
      await input.press('Enter');
      await page
        .locator('[data-testid="step-count"]', { hasText: `of ${steps + 2}` })
        .waitFor({ timeout: 60_000 });
    } finally {
      await context.close();
    }
  }, 180_000);
});

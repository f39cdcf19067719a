// The ticket-lifetimes card at 1280×800 fits its rows: no taller than they need (it was a fixed 14rem
// whatever it held), and none of them cut off (tgt-expiry-10h's renewed TGT rows and the hint under them
// were clipped); past 24rem it scrolls.
import { describe, expect, test } from 'vitest';
import { chromiumAvailable, useBrowser } from './browser';

const REM = 16;

describe.skipIf(!chromiumAvailable())('the ticket-lifetimes card’s height, in Chromium', () => {
  const site = useBrowser();

  async function cardAtEnd(id: string) {
    const v = await site.open(`/#/s/${id}`);
    const { page } = v;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('step-last').click();
    await page.locator('[data-testid="step-forward"][aria-disabled="true"]').waitFor({ timeout: 60_000 });
    const card = page.getByTestId('timeline');
    await card.locator('.hint').waitFor();
    return card.evaluate((el) => {
      const content = [...el.children].reduce(
        (bottom, c) => Math.max(bottom, c.getBoundingClientRect().bottom),
        0,
      );
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return {
        height: box.height,
        scrollHeight: el.scrollHeight,
        clientHeight: el.clientHeight,
        overflowY: style.overflowY,
        // the space under the last row, inside the card's padding
        slack: box.bottom - parseFloat(style.paddingBottom) - parseFloat(style.borderBottomWidth) - content,
      };
    });
  }

  test.each(['kerberos-101', 'tgt-expiry-10h'])(
    '%s at its end: every row shown, no empty space',
    async (id) => {
      const m = await cardAtEnd(id);
      expect(m.scrollHeight).toBeLessThanOrEqual(m.clientHeight + 1);
      expect(m.slack).toBeLessThan(REM);
      expect(m.height).toBeLessThanOrEqual(24 * REM);
      expect(m.overflowY).toBe('auto');
    },
  );
});

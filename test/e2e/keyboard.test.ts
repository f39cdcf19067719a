// The playground by keyboard alone, in Chromium: Enter on "Step forward" keeps the focus there step after
// step (and at the end), and the scenario picker is a menu the arrow keys, Home, End and Escape move in;
// the inspector's field tree is one tab stop the arrow keys move in (the WAI-ARIA tree pattern). The
// timeline's clock slider and its arrow keys are proven in clock.test.ts.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, type PageRecord, traceWhole, useBrowser } from './browser';

describe.skipIf(!chromiumAvailable())('the keyboard, in Chromium', () => {
  const site = useBrowser();
  let v: PageRecord;
  let page: Page;

  beforeAll(async () => {
    v = await site.open('/#/s/kerberos-101');
    page = v.page;
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
  }, 300_000);

  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
  const stepCount = () => page.getByTestId('step-count').textContent();

  test('Enter on "Step forward" steps on and keeps the focus, to the end and past it', async () => {
    await page.getByTestId('step-forward').focus();
    await page.keyboard.press('Enter');
    await expect.poll(stepCount).toBe('Step 1 of 2');
    expect(await focused()).toBe('step-forward');
    await page.keyboard.press('Enter');
    await expect.poll(stepCount).toBe('Step 2 of 2');
    expect(await focused()).toBe('step-forward');
    // at the end it says so and does nothing, and the focus stays
    expect(await page.getByTestId('step-forward').getAttribute('aria-disabled')).toBe('true');
    await page.keyboard.press('Enter');
    expect(await stepCount()).toBe('Step 2 of 2');
    expect(await focused()).toBe('step-forward');
    await page.getByTestId('step-back').focus();
    await page.keyboard.press('Enter');
    await expect.poll(stepCount).toBe('Step 1 of 2');
    expect(await focused()).toBe('step-back');
  });

  test('the picker opens with ↓ on the current scenario; arrows, Home, End move; Escape gives the focus back', async () => {
    await page.getByTestId('scenario-picker').focus();
    await page.keyboard.press('ArrowDown');
    await page.getByTestId('scenario-menu').waitFor();
    expect(await focused()).toBe('pick-kerberos-101');
    const items = await page
      .getByTestId('scenario-menu')
      .locator('[role="menuitem"]:not([disabled])')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(items.length).toBeGreaterThan(3);
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe(items[1]);
    await page.keyboard.press('End');
    expect(await focused()).toBe(items.at(-1));
    await page.keyboard.press('ArrowDown'); // round to the top
    expect(await focused()).toBe(items[0]);
    await page.keyboard.press('ArrowUp');
    expect(await focused()).toBe(items.at(-1));
    await page.keyboard.press('Home');
    expect(await focused()).toBe(items[0]);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('scenario-menu').count()).toBe(0);
    expect(await focused()).toBe('scenario-picker');
    // choosing by keyboard: ↓ opens, ↓ moves to the next scenario, Enter picks it
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const next = (await focused()).replace(/^pick-/, '');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('scenario-id').textContent()).toBe(next);
    expect(next).not.toBe('kerberos-101');
  });

  test('the field tree is one tab stop; ↓ ↑ Home End walk it, → opens and enters, ← closes and climbs', async () => {
    await page.getByTestId('step-last').click();
    // at the last step, its rows all drawn, before a row is picked
    await expect.poll(() => page.getByTestId('step-count').textContent()).toMatch(/^Step (\d+) of \1$/);
    await traceWhole(page);
    await page.locator('[data-testid^="row-"][data-type="TGS-REQ"]').first().click();
    await page.locator('[data-testid="inspector-type"]', { hasText: /^TGS-REQ$/ }).waitFor();
    const tree = page.getByTestId('tree');
    const node = () => page.evaluate(() => (document.activeElement as HTMLElement).dataset.node ?? '');
    const name = () => page.evaluate(() => document.activeElement?.querySelector('.name')?.textContent ?? '');
    const expanded = () =>
      page.evaluate(() =>
        document.activeElement?.closest('[role="treeitem"]')?.getAttribute('aria-expanded'),
      );
    // exactly one field takes Tab, and the twisties take none
    await expect.poll(() => tree.locator('button[tabindex="0"]').count()).toBe(1);
    expect(await tree.locator('button.twisty:not([tabindex="-1"])').count()).toBe(0);
    const collapse = page.getByRole('button', { name: 'collapse', exact: true });
    const names = () => tree.locator('button.field .name').allTextContents();
    await collapse.click();
    await collapse.focus();
    await page.keyboard.press('Tab'); // into the tree
    expect(await node()).not.toBe('');
    await page.keyboard.press('Home'); // the root, open on its first level
    const [root] = await names();
    expect(await name()).toBe(root);
    expect(await expanded()).toBe('true');
    await page.keyboard.press('ArrowLeft'); // an open one closes, the focus stays
    await expect.poll(names).toEqual([root]);
    expect(await expanded()).toBe('false');
    await page.keyboard.press('ArrowRight'); // opens it, the focus stays
    await expect.poll(expanded).toBe('true');
    expect(await name()).toBe(root);
    const [, first, second] = await names();
    await page.keyboard.press('ArrowRight'); // into its first child
    expect(await name()).toBe(first);
    await page.keyboard.press('ArrowDown');
    expect(await name()).toBe(second);
    await page.keyboard.press('ArrowUp');
    expect(await name()).toBe(first);
    await page.keyboard.press('End');
    const last = await node();
    expect(last).not.toBe('0');
    await page.keyboard.press('Home');
    expect(await name()).toBe(root);
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft'); // a closed or leaf field: up to its parent
    expect(await node()).not.toBe(last);
    // the parent: the tree is a flat list of items, each with its level and its parent named
    expect(
      await page.evaluate((id) => {
        const item = document.activeElement?.closest('[role="treeitem"]');
        const child = document.querySelector(`[data-node="${id}"]`)?.closest('[role="treeitem"]');
        return (
          !!item &&
          !!child &&
          child.getAttribute('data-parent') === (document.activeElement as HTMLElement).dataset.node &&
          Number(child.getAttribute('aria-level')) === Number(item.getAttribute('aria-level')) + 1
        );
      }, last),
    ).toBe(true);
    expect(await expanded()).toBe('true');
    await page.keyboard.press('ArrowLeft'); // an open one: it closes
    await expect.poll(expanded).toBe('false');
    expect(await node()).not.toBe(last);
    // Tab leaves the tree at once, and Shift+Tab comes back to the field focused last
    const inTree = await node();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="tree"]'))).toBe(false);
    await page.keyboard.press('Shift+Tab');
    expect(await node()).toBe(inTree);
  });
});

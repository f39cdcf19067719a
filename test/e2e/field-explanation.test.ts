// Every field of the inspector's tree explains itself (issue 15, item 1): pointed at with the mouse or
// focused with the keyboard, a field shows its plain words and the clause of the specification it comes
// from as a real link, and the field names that explanation in its aria-describedby.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, useBrowser } from './browser';

describe.skipIf(!chromiumAvailable())('field explanations in the inspector', () => {
  const site = useBrowser({ check: 'nothing' });
  let page: Page;

  beforeAll(async () => {
    page = (await site.open('/#/s/two-forests')).page;
    await page.setViewportSize({ width: 1440, height: 960 });
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    // A scenario's link opens it at its start; the fields below are in the messages of its end.
    await page.getByTestId('step-last').click();
    await page.locator('[data-testid="step-count"]', { hasText: 'Step 5 of 5' }).waitFor({ timeout: 60_000 });
  });

  const explanation = () => page.getByTestId('field-explanation');

  /** Opens the first message of a type; `expand`: its whole tree (a big one then draws only what is in sight). */
  async function open(type: string, expand: boolean): Promise<void> {
    await page.locator(`[data-testid^="row-"][data-type="${type}"]`).first().click();
    await expect.poll(() => page.getByTestId('inspector-type').textContent()).toBe(type);
    if (expand) await page.getByRole('button', { name: 'expand all' }).click();
  }

  test('hovering a field shows its words and its RFC clause as a link; its set bits are explained too', async () => {
    // req-body's fields are on screen as the message opens
    await open('TGS-REQ', false);
    const tree = page.getByTestId('tree');
    const options = tree.locator('button.field', { hasText: /^kdc-options/ }).first();
    await options.hover();
    await expect
      .poll(() => explanation().textContent())
      .toMatch(/kdc-options\s+Flags asking for ticket properties/);
    const link = explanation().getByRole('link', { name: 'RFC 4120 §5.4.1' }).first();
    expect(await link.getAttribute('href')).toBe('https://www.rfc-editor.org/rfc/rfc4120#section-5.4.1');
    expect(await explanation().textContent()).toMatch(/forwardable \(bit 1\): /);
    expect(await options.getAttribute('aria-describedby')).toBe(await explanation().getAttribute('id'));
  });

  test('focusing a field with the keyboard shows its explanation, and the field is described by it', async () => {
    const tree = page.getByTestId('tree');
    const till = tree.locator('button.field', { hasText: /^till/ }).first();
    await till.focus();
    await expect.poll(() => explanation().textContent()).toMatch(/^\s*till\s+The end time asked for/);
    const id = await explanation().getAttribute('id');
    expect(id).toMatch(/^field-explanation-/);
    expect(await till.getAttribute('aria-describedby')).toBe(id);
    // Only the explained field points at the panel.
    expect(await tree.locator(`button.field[aria-describedby="${id}"]`).count()).toBe(1);
  });

  test('a field of the PAC inside an opened ticket links to its MS-PAC section', async () => {
    await open('TGS-REP', true);
    const tree = page.getByTestId('tree');
    await expect.poll(() => tree.textContent()).toMatch(/effectiveName/);
    await tree
      .locator('button.field', { hasText: /^effectiveName/ })
      .first()
      .hover();
    await expect
      .poll(() => explanation().textContent())
      .toMatch(/effectiveName\s+The account name \(sAMAccountName\)/);
    const link = explanation().getByRole('link', { name: 'MS-PAC §2.5' });
    expect(await link.getAttribute('href')).toBe(
      'https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-pac/69e86ccc-85e3-41b9-b514-7d969cd0ed73',
    );
    expect(await link.getAttribute('target')).toBe('_blank');
  });
});

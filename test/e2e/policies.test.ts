// Policies in the user's hands, in Chromium: in cached-logon-4h-gap, turning the cloud Kerberos ticket GPO
// off in the world panel before the last sign-in gives "CloudTgt: NO" at that sign-in's dsregcmd /status
// and error 1326 at the next mount; an insert at an earlier step asks first whether to replace the later
// steps or keep them (Cancel and Escape leave the run as it was), and Undo takes the insert back. In
// happy-path, the Conditional Access MFA switch turned on after the logon gives error 1327 at the mount. In
// share-reader-cannot-write, Storage File Data SMB Share Contributor assigned in the panel waits for the
// account's 30-minute propagation: echo to Z: is refused until the clock is moved past it, then succeeds.
import { describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { chromiumAvailable, consoleWhole, useBrowser } from './browser';

describe.skipIf(!chromiumAvailable())('policies in the world panel, in Chromium', () => {
  const site = useBrowser();

  async function open(id: string): Promise<Page> {
    const v = await site.open(`/#/s/${id}`);
    await v.page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    return v.page;
  }

  const stepCount = (page: Page) => page.getByTestId('step-count').textContent();
  const consoleText = (page: Page) => consoleWhole(page);

  async function goto(page: Page, step: number, of: number): Promise<void> {
    await page.getByTestId(`step-${step}`).click();
    await expect.poll(() => stepCount(page)).toBe(`Step ${step} of ${of}`);
  }

  /** A select's option values. */
  const optionValues = (select: Locator) =>
    select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));

  /**
   * A select against its form: inside it, its width against the width it wants (the same select with
   * nothing squeezing it: as wide as its longest option), the form's overflow, and what the words before
   * it and its chosen option read together.
   */
  const measure = (select: Locator) =>
    select.evaluate((el: HTMLSelectElement) => {
      const form = el.closest('form')!;
      const box = el.getBoundingClientRect();
      const room = form.getBoundingClientRect();
      const free = el.cloneNode(true) as HTMLSelectElement;
      free.style.cssText = 'position: absolute; width: auto; max-width: none';
      form.append(free);
      const wants = free.getBoundingClientRect().width;
      free.remove();
      return {
        inside: box.left >= room.left && box.right <= room.right,
        width: box.width,
        wants,
        scrollWidth: form.scrollWidth,
        clientWidth: form.clientWidth,
        reads: `${el.previousElementSibling?.textContent ?? ''}${el.selectedOptions[0]?.text ?? ''}`,
      };
    });

  test('the cloud ticket GPO turned off before the last sign-in: CloudTgt NO, then 1326 at the mount', async () => {
    const page = await open('cached-logon-4h-gap');
    // as the scenario has it: the GPO on (step 2), the PRT refreshed at 10:30 brings a cloud TGT, the mount works
    await page.getByTestId('step-last').click();
    await expect.poll(() => stepCount(page)).toBe('Step 11 of 11');
    expect(await consoleText(page)).toMatch(/CloudTgt: YES/);
    expect(await page.getByTestId('step-11').getAttribute('data-result')).toBe('ok');
    // the two mounts before the cloud TGT fell back to NTLM and were refused (the console read whole above)
    expect(await page.getByTestId('windows-error-1326').count()).toBe(2);

    // step 8 (the second lock): the panel shows the GPO as the world has it there, on
    await goto(page, 8, 11);
    const gpo = page.getByRole('switch', {
      name: /Allow retrieving the Azure AD Kerberos Ticket Granting Ticket during logon/,
    });
    expect(await gpo.getAttribute('aria-checked')).toBe('true');
    await gpo.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/3 later steps came after it/);
    // the dialog names the change in plain words: what, which way, where
    expect(await dialog.textContent()).toMatch(
      /the cloud Kerberos ticket GPO turned off for ws1 goes after this step/,
    );
    await dialog.getByRole('button', { name: 'Insert here and keep them' }).click();

    // the change is step 9, a policy step; the three later steps play again after it
    await expect.poll(() => stepCount(page)).toBe('Step 9 of 12');
    expect(await page.getByTestId('step-9').textContent()).toMatch(/cloud-kerberos-ticket-retrieval.*off/);
    await expect.poll(() => gpo.getAttribute('aria-checked')).toBe('false');
    await page.getByTestId('step-last').click();
    await expect.poll(() => stepCount(page)).toBe('Step 12 of 12');
    // the sign-in (unlock) after it brings no cloud TGT, and the mount falls back to NTLM: 1326
    expect(await consoleText(page)).toMatch(/dsregcmd \/status.*CloudTgt: NO/s);
    expect(await page.getByTestId('step-12').getAttribute('data-result')).toBe('failed');
    await expect.poll(() => page.getByTestId('windows-error-1326').last().textContent()).toMatch(/NTLM/);
    // going back before the change, the panel shows the GPO on again
    await goto(page, 8, 12);
    await expect.poll(() => gpo.getAttribute('aria-checked')).toBe('true');
  }, 180_000);

  test('an insert at an earlier step asks: Cancel and Escape change nothing; Replace drops the later steps; Undo', async () => {
    const page = await open('cached-logon-4h-gap');
    await goto(page, 3, 11);
    const input = page.getByTestId('console-input').locator('input');
    const dialog = page.getByRole('dialog');

    // a line that is no command is printed at once: nothing to ask about
    await input.fill('frobnicate');
    await input.press('Enter');
    await expect
      .poll(() => page.getByTestId('console-error').textContent())
      .toMatch(/'frobnicate' is not recognized as an internal or external command/);
    expect(await dialog.isVisible()).toBe(false);

    await input.fill('klist');
    await input.press('Enter');
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/klist goes after this step/);
    // the safe choice has the focus; Escape is Cancel
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Insert here and keep them');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await stepCount(page)).toBe('Step 3 of 11');
    expect(await input.inputValue()).toBe('klist');

    // the policy editor asks the same question, and Cancel leaves the run as it was
    await page.getByRole('switch', { name: /Specify KDC proxy servers/ }).click();
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/the KDC proxy GPO turned on for ws1 goes after this step/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await stepCount(page)).toBe('Step 3 of 11');

    await input.press('Enter');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Replace the 8 later steps' }).click();
    await expect.poll(() => stepCount(page)).toBe('Step 4 of 4');
    expect(await page.getByTestId('step-4').textContent()).toMatch(/ws1> klist/);

    // at the end there is nothing later: the next change goes in without a question
    await page.getByRole('switch', { name: /Specify KDC proxy servers/ }).click();
    await expect.poll(() => stepCount(page)).toBe('Step 5 of 5');
    expect(await dialog.isVisible()).toBe(false);

    // Undo takes the GPO back, then the klist, and the replaced steps return
    const undo = page.getByRole('button', { name: /^Undo/ });
    await undo.click();
    await expect.poll(() => stepCount(page)).toBe('Step 4 of 4');
    await undo.click();
    await expect.poll(() => stepCount(page)).toBe('Step 3 of 11');
  }, 180_000);

  test('Conditional Access in the panel: the MFA policy turned on over the storage app after the logon gives 1327 at the mount', async () => {
    const page = await open('happy-path');
    await goto(page, 1, 4);
    const mfa = page.getByRole('switch', { name: /A policy requiring MFA covers the app/ });
    expect(await mfa.getAttribute('aria-checked')).toBe('false');
    expect(await page.getByTestId('policy-ca-assignment').getAttribute('aria-checked')).toBe('false');
    await mfa.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Insert here and keep them' }).click();
    await expect.poll(() => stepCount(page)).toBe('Step 2 of 5');
    expect(await page.getByTestId('step-2').textContent()).toMatch(/MFA policy covers cifs\/contosofiles/);
    await expect.poll(() => mfa.getAttribute('aria-checked')).toBe('true');
    // the mount after it: the cloud KDC refuses the ticket (KDC_ERR_POLICY, modelled), net use shows 1327
    await goto(page, 3, 5);
    expect(await page.getByTestId('step-3').getAttribute('data-result')).toBe('failed');
    await expect.poll(() => page.getByTestId('windows-error-1327').count()).toBeGreaterThan(0);
    // before the change the panel shows the app excluded again
    await goto(page, 1, 5);
    await expect.poll(() => mfa.getAttribute('aria-checked')).toBe('false');
  }, 180_000);

  test('share-level role: Contributor assigned is listed as waiting, echo to Z: still refused; the clock moved past the delay, echo x > Z:\\a.txt succeeds', async () => {
    // share-reader-cannot-write: alice holds Share Reader; role changes take 30 minutes to apply
    const page = await open('share-reader-cannot-write');
    await page.setViewportSize({ width: 1440, height: 1000 });
    const steps = () => stepCount(page);
    await page.getByTestId('step-last').click();
    await expect.poll(steps, { timeout: 60_000 }).toBe('Step 5 of 5');
    expect(await page.getByTestId('policy-share-delay').textContent()).toMatch(/after 30m/);
    // each select shows a value from the start (a blank one would make Set submit a step that changes nothing)
    for (const id of ['policy-share-user', 'policy-share-role', 'policy-share-default-value'])
      expect(await page.getByTestId(id).inputValue(), id).not.toBe('');
    expect(await page.getByTestId('policy-share-roles').textContent()).toMatch(
      /alice@CORP\.CONTOSO\.COM: Storage File Data SMB Share Reader/,
    );

    await page.getByTestId('policy-share-user').selectOption('alice@CORP.CONTOSO.COM');
    await page.getByTestId('policy-share-role').selectOption('Storage File Data SMB Share Contributor');
    await page.getByTestId('policy-share-assign-button').click();
    await expect.poll(steps, { timeout: 60_000 }).toBe('Step 6 of 6');
    const roles = () => page.getByTestId('policy-share-roles').textContent();
    await expect.poll(roles).toMatch(/Storage File Data SMB Share Contributor\s*\(in force at 08:30 UTC\)/);

    const input = page.getByTestId('console-input').locator('input');
    const consoleText = () => consoleWhole(page);
    await input.fill('echo x > Z:\\a.txt');
    await input.press('Enter');
    await expect.poll(steps, { timeout: 60_000 }).toBe('Step 7 of 7');
    expect(await page.getByTestId('step-7').getAttribute('data-result')).not.toBe('ok');

    const clock = page.getByTestId('clock-input');
    await clock.fill('08:45');
    await clock.press('Enter');
    await expect.poll(steps, { timeout: 60_000 }).toBe('Step 8 of 8');
    await expect.poll(roles).not.toMatch(/in force at/);
    await input.fill('echo x > Z:\\a.txt');
    await input.press('Enter');
    await expect.poll(steps, { timeout: 60_000 }).toBe('Step 9 of 9');
    expect(await page.getByTestId('step-9').getAttribute('data-result')).toBe('ok');
    await expect.poll(consoleText).toMatch(/echo x > Z:\\a\.txt/);
  }, 300_000);

  test('at 1280×800 the Role select fits the side column, and with the words before it reads each role whole', async () => {
    const page = await open('share-reader-cannot-write');
    await page.setViewportSize({ width: 1280, height: 800 });
    const role = page.getByTestId('policy-share-role');
    await role.scrollIntoViewIfNeeded();
    const names = await optionValues(role);
    expect(names).toContain('Storage File Data SMB Share Elevated Contributor');
    for (const name of names) {
      await role.selectOption(name);
      const m = await measure(role);
      expect(m.inside, name).toBe(true);
      expect(m.width, name).toBeGreaterThanOrEqual(m.wants);
      expect(m.scrollWidth, name).toBeLessThanOrEqual(m.clientWidth);
      expect(m.reads).toBe(name);
    }
    // the other selects of the share forms stay inside their column too
    for (const id of ['policy-share-user', 'policy-share-default-value']) {
      const inside = await page.getByTestId(id).evaluate((el) => {
        const box = el.getBoundingClientRect();
        const room = el.closest('form')!.getBoundingClientRect();
        return box.left >= room.left && box.right <= room.right;
      });
      expect(inside, id).toBe(true);
    }
  }, 180_000);

  test('at 1280×800 the Default share-level select shows each value whole, its Azure name in full under it', async () => {
    const page = await open('share-reader-cannot-write');
    await page.setViewportSize({ width: 1280, height: 800 });
    const select = page.getByTestId('policy-share-default-value');
    await select.scrollIntoViewIfNeeded();
    const names = await optionValues(select);
    expect(names).toContain('StorageFileDataSmbShareElevatedContributor');
    for (const name of names) {
      await select.selectOption(name);
      const m = await measure(select);
      expect(m.inside, name).toBe(true);
      expect(m.width, name).toBeGreaterThanOrEqual(m.wants);
      await expect.poll(() => page.getByTestId('policy-share-default-full').textContent()).toBe(name);
      // the line that holds it (the name is an inline span) wraps it rather than clipping it
      const line = await page.getByTestId('policy-share-default-full').evaluate((el) => ({
        scrollWidth: el.parentElement!.scrollWidth,
        clientWidth: el.parentElement!.clientWidth,
      }));
      expect(line.scrollWidth, name).toBeLessThanOrEqual(line.clientWidth);
      expect(m.scrollWidth, name).toBeLessThanOrEqual(m.clientWidth);
    }
  }, 180_000);

  test('at 1280×800 nothing of the policies panel runs past the side column', async () => {
    const page = await open('share-reader-cannot-write');
    await page.setViewportSize({ width: 1280, height: 800 });
    const panel = page.getByTestId('policy-editor');
    await panel.scrollIntoViewIfNeeded();
    const past = await panel.evaluate((card) => {
      const edge = card.getBoundingClientRect().right;
      return [...card.querySelectorAll('*')]
        .filter((e) => e.getBoundingClientRect().right > edge + 0.5)
        .map((e) => `${e.tagName.toLowerCase()} "${(e.textContent ?? '').trim().slice(0, 40)}"`);
    });
    expect(past).toEqual([]);
  }, 180_000);
});

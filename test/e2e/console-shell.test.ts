// The Windows console in Chromium, on the happy-path world: the cloud TGT asked for by name, a drive
// mapped /persistent:yes, a restart and a sign-in that reconnects it with a new service ticket; Tab
// completes the share; cmd refuses a PowerShell cmdlet in its words and `powershell` changes the prompt.
import { mkdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, type PageRecord, useBrowser } from './browser';

const SHOTS = '/work/notes/screenshots';

describe.skipIf(!chromiumAvailable())('the Windows console, in Chromium', () => {
  const site = useBrowser();
  let v: PageRecord | undefined;

  /** Types a line at the prompt and waits for the step it becomes. */
  async function type(page: Page, line: string, step: number): Promise<void> {
    const input = page.getByTestId('console-input').locator('input');
    await input.fill(line);
    await input.press('Enter');
    await expect
      .poll(() => page.getByTestId('step-count').textContent(), { timeout: 60_000 })
      .toBe(`Step ${step} of ${step}`);
  }

  const tgsRequests = async (page: Page) =>
    ((await page.getByTestId('trace').textContent()) ?? '').split('TGS-REQ').length - 1;

  test('klist get, net use /persistent:yes, shutdown /r, logon: the drive reconnects with a new ticket', async () => {
    v = await site.open('/#/s/happy-path');
    const { page } = v;
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('step-last').click();
    await expect.poll(() => page.getByTestId('step-count').textContent()).toBe('Step 4 of 4');
    const input = page.getByTestId('console-input').locator('input');
    const lines = page.getByTestId('console-lines');

    await type(page, 'klist get krbtgt/kerberos.microsoftonline.com', 5);
    await expect
      .poll(() => lines.textContent())
      .toContain('A ticket to krbtgt/kerberos.microsoftonline.com has been retrieved successfully.');

    // Tab completes the share after the drive letter
    await input.fill('net use Z: \\\\contoso');
    await input.press('Tab');
    expect(await input.inputValue()).toBe('net use Z: \\\\contosofiles.file.core.windows.net\\profiles ');
    await type(page, `${await input.inputValue()}/persistent:yes`, 6);
    await page.getByTestId('console').screenshot({ path: shot('console-shell.png') });

    await type(page, 'shutdown /r', 7);
    await type(page, 'net use', 8);
    await expect.poll(() => lines.textContent()).toContain('Unavailable');
    const before = await tgsRequests(page);

    await type(page, 'logon', 9);
    await expect
      .poll(() => lines.textContent())
      .toContain(
        'ws1: Windows reconnects the remembered drive Z: to \\\\contosofiles.file.core.windows.net\\profiles',
      );
    const text = (await lines.textContent()) ?? '';
    const reconnect = text.lastIndexOf('Windows reconnects the remembered drive Z:');
    expect(text.indexOf('Drive Z: is now connected', reconnect)).toBeGreaterThan(reconnect);
    // the sign-in's own TGS exchange is not the only one: the reconnection asked for a cifs ticket
    expect(await tgsRequests(page)).toBeGreaterThan(before);
  }, 240_000);

  test('cmd refuses Test-NetConnection in its words; powershell switches the prompt', async () => {
    const page = v!.page;
    const input = page.getByTestId('console-input').locator('input');
    const prompt = page.getByTestId('console-prompt');
    expect(await prompt.textContent()).toBe('C:\\Users\\alice>');
    await input.fill('Test-NetConnection contosofiles -Port 445');
    await input.press('Enter');
    await expect
      .poll(() => page.getByTestId('console-error').textContent())
      .toMatch(
        /'Test-NetConnection' is not recognized as an internal or external command,\s+operable program/,
      );
    await type(page, 'powershell', 10);
    await expect.poll(() => prompt.textContent()).toBe('PS C:\\Users\\alice>');
    await type(page, 'Test-NetConnection contosofiles -Port 445', 11);
    await expect
      .poll(() => page.getByTestId('console-lines').textContent())
      .toContain('TcpTestSucceeded: True');
    // a step back is cmd's prompt again
    await page.getByTestId('step-back').click();
    await page.getByTestId('step-back').click();
    await expect.poll(() => prompt.textContent()).toBe('C:\\Users\\alice>');
  }, 240_000);
});

function shot(name: string): string {
  mkdirSync(SHOTS, { recursive: true });
  return `${SHOTS}/${name}`;
}

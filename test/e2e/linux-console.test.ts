// The Linux host's console in Chromium: kerberos-101's linux1 has a shell prompt (alice@linux1:~$) that
// reads MIT krb5's commands — kinit, kvno, klist as MIT prints them — each a typed step of the timeline,
// and answers a Windows command as bash does.
import { describe, expect, test } from 'vitest';
import { chromiumAvailable, consoleWhole, type PageRecord, useBrowser } from './browser';

describe.skipIf(!chromiumAvailable())("linux1's console, in Chromium", () => {
  const site = useBrowser();
  let v: PageRecord | undefined;

  test('kinit, kvno and klist typed at alice@linux1:~$ print what MIT prints', async () => {
    v = await site.open('/#/s/kerberos-101');
    const { page } = v;
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    // at the last step, so that a typed line comes after the run (nothing to replace or keep)
    await page.getByTestId('step-last').click();
    await expect
      .poll(() => page.getByTestId('step-count').textContent(), { timeout: 60_000 })
      .toMatch(/^Step (\d+) of \1$/);
    await page.getByRole('tab', { name: 'linux1' }).click();
    const form = page.getByTestId('console-input');
    await expect.poll(() => form.locator('label').textContent()).toBe('alice@linux1:~$');
    const input = page.getByRole('textbox', { name: "Command at linux1's prompt" });
    const screen = page.getByTestId('console-lines');
    const type = async (line: string, shows: RegExp) => {
      await input.fill(line);
      await input.press('Enter');
      await expect.poll(() => screen.textContent(), { timeout: 60_000 }).toMatch(shows);
    };

    await type('klist', /klist: No credentials cache found \(filename: \/tmp\/krb5cc_1000\)/);
    await type('kinit', /Password for alice@CORP\.CONTOSO\.COM:/);
    await type(
      'kvno cifs/fs1.corp.contoso.com',
      /cifs\/fs1\.corp\.contoso\.com@CORP\.CONTOSO\.COM: kvno = 1/,
    );
    await type('klist -e', /Valid starting {7}Expires {14}Service principal/);
    expect(await consoleWhole(page)).toMatch(
      /03\/02\/2026 08:00:\d\d {2}03\/02\/2026 18:00:\d\d {2}cifs\/fs1\.corp\.contoso\.com@CORP\.CONTOSO\.COM/,
    );
    // each typed line is shown at the shell's prompt
    const commands = await screen.locator('.line.command .text').allTextContents();
    expect(commands).toContain('alice@linux1:~$\u00a0kvno cifs/fs1.corp.contoso.com');

    // a Windows command: bash's words, and what the playground knows here
    await input.fill('net use \\\\fs1.corp.contoso.com\\share');
    await input.press('Enter');
    await expect
      .poll(() => page.getByTestId('console-error').textContent())
      .toMatch(/bash: net: command not found; on this Linux host the playground knows MIT krb5's kinit/);
  }, 180_000);
});

// "My scenarios" in Chromium: a run with a fault, two typed commands and a clock move is kept without
// asking, survives a reload, and opens identically from its share link in a fresh browser context;
// corrupt saved data is reported and nothing else is lost; a new world from a template is typed into;
// a link pasted into the open tab is followed.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, useBrowser } from './browser';

const SCREENSHOT = '/work/notes/screenshots/my-scenarios.png';

describe.skipIf(!chromiumAvailable())('My scenarios in Chromium', () => {
  const site = useBrowser();

  async function open(path = '/'): Promise<Page> {
    const v = await site.open(path);
    await ready(v.page);
    return v.page;
  }

  const ready = (p: Page) =>
    p.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
  const stepCount = (p: Page) => p.getByTestId('step-count').textContent();

  /** What identifies the run on screen: where it stands, its clock, every step's title and result. */
  async function runOnScreen(p: Page) {
    return {
      scenario: await p.getByTestId('scenario-id').textContent(),
      step: await stepCount(p),
      clock: await p.getByTestId('clock').textContent(),
      steps: await p
        .getByTestId('story')
        .locator('button')
        .evaluateAll((bs) => bs.map((b) => `${b.textContent?.trim()} [${b.getAttribute('data-result')}]`)),
    };
  }

  async function type(p: Page, line: string) {
    const before = await stepCount(p);
    const input = p.getByTestId('console-input').locator('input');
    await input.fill(line);
    await input.press('Enter');
    // typed at an earlier step, the page asks first: keep the later steps after it
    const ask = p.getByTestId('replace-or-insert');
    if (!(before ?? '').match(/^Step (\d+) of \1$/))
      await ask.getByRole('button', { name: /^Insert here/ }).click();
    await expect.poll(() => stepCount(p)).not.toBe(before);
  }

  /** kerberos-101, after the sign-in: a skew fault, two typed commands, the clock moved on an hour. */
  async function makeRun(p: Page) {
    await p.getByTestId('step-forward').click();
    await expect.poll(() => stepCount(p)).toMatch(/^Step 1 of 2$/);
    await p.getByTestId('fault-skew-ws1').fill('2');
    await p.getByTestId('fault-skew-apply-ws1').click();
    await expect.poll(() => stepCount(p)).toMatch(/^Step 2 of 3$/);
    await type(p, 'klist purge');
    await type(p, 'klist get cifs/fs1.corp.contoso.com');
    // the clock moved on an hour, typed at the clock slider
    await p.getByTestId('clock-input').fill('+1h');
    await p.getByTestId('clock-input').press('Enter');
    await expect.poll(() => stepCount(p)).toMatch(/^Step 5 of 6$/);
    await expect.poll(() => p.getByTestId('my-run').count()).toBe(1);
    await expect.poll(() => p.evaluate(() => location.hash)).toMatch(/^#\/m\/run-[0-9a-f]{12}$/);
  }

  test('a run survives a reload and opens identically from its share link in a fresh context', async () => {
    const p = await open('/');
    expect(await p.getByTestId('my-runs-empty').count()).toBe(1);
    await makeRun(p);
    const made = await runOnScreen(p);
    expect(made.steps.map((s) => s.replace(/ \[.*$/, ''))).toEqual([
      expect.stringMatching(/^0 Start/),
      expect.stringMatching(/^1 .*alice signs in/),
      expect.stringMatching(/^2 .*clock is set to \+2m/),
      expect.stringMatching(/^3 .*klist purge/),
      expect.stringMatching(/^4 .*klist get cifs\/fs1/),
      expect.stringMatching(/^5 .*the clock moves forward 1h/),
      expect.stringMatching(/^6 .*net use S:/),
    ]);

    await p.reload({ waitUntil: 'load' });
    await ready(p);
    await expect.poll(() => stepCount(p)).toBe(made.step);
    expect(await runOnScreen(p)).toEqual(made);
    expect(await p.getByTestId('my-run').count()).toBe(1);

    await p.getByTestId('share').click();
    await expect.poll(() => p.getByTestId('share-link').inputValue()).toMatch(/#\/r2\/[A-Za-z0-9_-]+$/);
    const link = await p.getByTestId('share-link').inputValue();
    expect(link.startsWith(site.origin)).toBe(true);

    const q = await open(link.slice(site.origin.length));
    await expect.poll(() => stepCount(q)).toBe(made.step);
    expect(await runOnScreen(q)).toEqual(made);
    expect(await q.getByTestId('link-problem').count()).toBe(0);
    // the fresh browser keeps it as a run of its own, and a reload there opens it again
    await expect.poll(() => q.getByTestId('my-run').count()).toBe(1);
    await expect.poll(() => q.evaluate(() => location.hash)).toMatch(/^#\/m\/run-/);
    await q.reload({ waitUntil: 'load' });
    await ready(q);
    await expect.poll(() => stepCount(q)).toBe(made.step);
    expect(await runOnScreen(q)).toEqual(made);

    // rename and duplicate, then the list as the reader sees it
    await p.getByTestId('my-run-rename').click();
    await p.getByTestId('my-run-name-input').fill('skew, purge, an hour later');
    await p.getByTestId('my-run-name-input').press('Enter');
    await p.getByTestId('my-run-duplicate').first().click();
    await expect
      .poll(() => p.getByTestId('my-run-open').allTextContents())
      .toEqual(expect.arrayContaining(['skew, purge, an hour later', 'copy of skew, purge, an hour later']));
    // the picture for the notes, where there are notes; the list is checked above either way
    if (existsSync(dirname(SCREENSHOT))) await p.getByTestId('my-scenarios').screenshot({ path: SCREENSHOT });
  }, 240_000);

  test('corrupt saved data is reported; the other runs and the rest of storage are kept', async () => {
    const p = await open('/');
    await makeRun(p);
    const good = (await p.evaluate(() => location.hash)).slice('#/m/'.length);
    await p.evaluate(() => {
      localStorage.setItem('kerberos-playground:doc:run:run-0000deadbeef', '{"format":1,"kind":"run","id":');
      localStorage.setItem('someone-else', 'theirs');
    });
    const before = await p.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()));
    await p.reload({ waitUntil: 'load' });
    await ready(p);
    await expect.poll(() => p.getByTestId('my-run').count()).toBe(2);
    await expect
      .poll(() => p.getByTestId('my-run-damaged').textContent())
      .toMatch(
        /Cannot be read: the saved run "run-0000deadbeef" cannot be read \(it is not JSON\); it is left as it is/,
      );
    // the good run is still the one on screen, at its step
    await expect.poll(() => stepCount(p)).toMatch(/^Step 5 of 6$/);
    expect(await p.evaluate(() => location.hash)).toBe(`#/m/${good}`);
    // nothing in storage was changed by reading it
    expect(await p.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()))).toBe(before);
    // a link straight to the damaged run says why over the first scenario
    const q = await p.context().newPage();
    await q.goto(`${site.origin}/#/m/run-0000deadbeef`, { waitUntil: 'load' });
    await ready(q);
    await expect.poll(() => q.getByTestId('link-problem-reason').textContent()).toMatch(/cannot be read/);
    await q.close();
  }, 240_000);

  test('a new world from a template, typed into; a link pasted into the open tab is followed', async () => {
    const p = await open('/');
    await p.getByTestId('scenario-picker').click();
    await p.getByTestId('new-world-open').click();
    await p.getByTestId('new-join-entra').check();
    await p.getByTestId('new-realms-2').check();
    await p.getByTestId('new-create').click();
    await expect
      .poll(() => p.getByTestId('scenario-id').textContent())
      .toBe('new-entra-2-realms-azure-files');
    await p.getByTestId('step-forward').click();
    await expect.poll(() => stepCount(p)).toBe('Step 1 of 1');
    await type(p, 'net use Z: \\\\contosofiles.file.core.windows.net\\profiles');
    await expect.poll(() => p.getByTestId('step-2').getAttribute('data-result')).toBe('ok');
    await expect.poll(() => p.getByTestId('my-run').count()).toBe(1);
    expect(await p.getByTestId('my-run').textContent()).toMatch(/your JSON · step 2 of 2 · 1 yours/);

    await p.evaluate(() => (location.hash = '#/s/happy-path'));
    await expect.poll(() => p.getByTestId('scenario-id').textContent()).toBe('happy-path');
    await p.evaluate(() => (location.hash = '#/r9/AAAA'));
    await expect
      .poll(() => p.getByTestId('link-problem-reason').textContent())
      .toMatch(/made by a newer version/);
    expect(await p.getByTestId('scenario-id').textContent()).toBe('happy-path');
  }, 240_000);
});

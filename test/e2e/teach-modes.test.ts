// The teaching modes in Chromium: a deep link opens the step, message and field it names (and the
// inspector copies such a link); the embed mode shows one live step in an iframe of a documentation page
// with none of the playground's other chrome; the training mode scores a scripted learner's right and
// wrong answers, and the score survives a reload.
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, traceWhole, useBrowser } from './browser';

/** A documentation page that embeds one step of kerberos-101 (served beside the app, same origin). */
const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Docs: the TGS exchange</title></head>
<body><h1>The TGS exchange</h1><p>Step through it below.</p>
<iframe src="/?embed=1#/s/kerberos-101/step/2/msg/12" title="Kerberos Playground: the TGS exchange"
  width="960" height="600" style="border: 1px solid #ccc"></iframe>
</body></html>`;

const FIELD_LINK = '#/s/kerberos-101/step/2/msg/12/field/req-body.sname';

describe.skipIf(!chromiumAvailable())('deep links, the embed mode and the training mode, in Chromium', () => {
  const site = useBrowser({ pages: { '/docs-page.html': DOCS_PAGE } });

  const open = async (path: string) => {
    const v = await site.open(path);
    return v.page;
  };

  const selectedField = (page: Page) =>
    page.locator('[role="treeitem"][aria-selected="true"] > .line .name').first().textContent();

  test('a deep link opens its step, message and field; the inspector copies the same link', async () => {
    const page = await open(`/${FIELD_LINK}`);
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await expect
      .poll(() => page.getByTestId('step-count').textContent(), { timeout: 60_000 })
      .toBe('Step 2 of 2');
    await expect.poll(() => page.getByTestId('row-12').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('inspector-type').textContent()).toBe('TGS-REQ');
    await expect.poll(() => selectedField(page)).toBe('sname');
    expect(await page.getByTestId('selection').textContent()).toMatch(/^\s*sname: bytes \d+–\d+/);
    expect(await page.getByTestId('notice').count()).toBe(0);

    await page.getByTestId('copy-field-link').click();
    const link = page.getByTestId('field-link');
    await link.waitFor();
    expect(await link.inputValue()).toBe(`${site.origin}/${FIELD_LINK}`);
  }, 120_000);

  test('a deep link to a step the scenario lacks opens its last step and says why', async () => {
    const page = await open('/#/s/kerberos-101/step/9/msg/12');
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await expect
      .poll(() => page.getByTestId('notice').textContent(), { timeout: 60_000 })
      .toMatch(/asks for step 9, but "kerberos-101" has 2 steps: it opened at its last step/);
    expect(await page.getByTestId('step-count').textContent()).toBe('Step 2 of 2');
  }, 120_000);

  test('the embed mode renders one live step in an iframe, with no other chrome', async () => {
    const page = await open('/docs-page.html');
    const frame = page.frameLocator('iframe');
    await frame.getByTestId('embed').waitFor({ timeout: 60_000 });
    await expect
      .poll(() => frame.getByTestId('step-count').textContent(), { timeout: 60_000 })
      .toBe('Step 2 of 2');
    await expect.poll(() => frame.getByTestId('row-12').getAttribute('aria-pressed')).toBe('true');
    expect(await frame.getByTestId('inspector-type').textContent()).toBe('TGS-REQ');
    // none of the full page's chrome: header and nav, picker, side panels, console, timeline, footer
    for (const id of ['nav-playground', 'scenario-picker', 'story', 'world', 'console', 'timeline', 'share'])
      expect(await frame.getByTestId(id).count(), id).toBe(0);
    expect(await frame.locator('footer, nav, aside').count()).toBe(0);
    // it fits the frame: no horizontal scrolling
    const fits = await page
      .frames()
      .find((f) => f.url().includes('embed=1'))!
      .evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
    expect(fits).toBe(true);
    // the selected row is scrolled into the sequence pane's sight
    const inSight = await page
      .frames()
      .find((f) => f.url().includes('embed=1'))!
      .evaluate(() => {
        const row = document.querySelector('[data-seq="12"]')!.getBoundingClientRect();
        const pane = document.querySelector('.trace')!.getBoundingClientRect();
        return row.top >= pane.top && row.bottom <= pane.bottom;
      });
    expect(inSight).toBe(true);
    // live: the step buttons move the run
    await frame.getByTestId('step-back').click();
    await expect.poll(() => frame.getByTestId('step-count').textContent()).toBe('Step 1 of 2');
    await expect.poll(() => frame.getByTestId('row-12').count()).toBe(0);
    await frame.getByTestId('step-forward').click();
    await expect.poll(() => frame.getByTestId('row-12').count()).toBe(1);
    expect(await frame.getByTestId('embed-open').getAttribute('href')).toMatch(
      /^\/#\/s\/kerberos-101\/step\/2\/msg\/\d+$/,
    );
  }, 120_000);

  test('the training mode scores a scripted learner: right and wrong answers, kept over a reload', async () => {
    const page = await open('/');
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('training-toggle').click();
    expect(await page.getByTestId('training-toggle').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('training-idle').waitFor();
    await page.getByTestId('step-forward').click();

    const question = page.getByTestId('training-question');
    const score = page.getByTestId('training-score');
    // the learner's script: the AS exchange of kerberos-101, two answers wrong
    const script: [string, string, RegExp][] = [
      ['type', 'AS-REQ', /^Right\./],
      ['error', '24', /^Not quite: it is KDC_ERR_PREAUTH_REQUIRED \(25\)\./],
      ['type', 'AS-REQ', /^Right\./],
      ['type', 'TGS-REQ', /^Not quite: it is AS-REP\./],
    ];
    for (const [i, [kind, pick, verdict]] of script.entries()) {
      await expect.poll(() => question.getAttribute('data-kind'), { timeout: 60_000 }).toBe(kind);
      // the message asked about is not on screen yet, nor the inspector
      expect(await page.getByTestId('inspector').count()).toBe(0);
      const seq = [3, 4, 5, 6][i]!;
      expect(await page.getByTestId(`row-${seq}`).count()).toBe(0);
      // nor counted: before the first answer only the logon (#1) is on screen
      if (i === 0) expect(await page.getByTestId('trace-count').textContent()).toBe('0 messages · 1 events');
      await page.getByTestId(`training-choice-${pick}`).click();
      await expect.poll(() => page.getByTestId('training-explain').textContent()).toMatch(verdict);
      expect(await page.getByTestId(`row-${seq}`).count()).toBe(1);
      await page.getByTestId('training-next').click();
    }
    expect(await score.textContent()).toBe('kerberos-101: 2 of 4 right');
    // all answered: the whole step and the inspector are back
    await page.getByTestId('inspector').waitFor();
    await traceWhole(page);
    expect(await page.getByTestId('row-7').count()).toBe(1);

    await page.reload({ waitUntil: 'load' });
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('training-toggle').click();
    await expect.poll(() => score.textContent()).toBe('kerberos-101: 2 of 4 right');
  }, 180_000);
});

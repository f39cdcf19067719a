// axe-core (Deque's rule set, WCAG 2.x A and AA) finds nothing on the playground, in the light theme
// and the dark one (the page follows prefers-color-scheme): at its start, with a message open in the
// inspector and every node of its tree expanded, with the field explanation showing, the Security log
// panel with an event open and its filters set, a failing scenario's KRB-ERROR open, the crypto proof page,
// and the capture page with a capture open as a run. axe runs in the page itself (the page's
// Content-Security-Policy forbids inline scripts, so the test's context bypasses it for axe alone).
import { createRequire } from 'node:module';
import { afterAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, useBrowser } from './browser';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface Violation {
  id: string;
  help: string;
  targets: string[];
}

/** Runs axe over the whole page and returns each violated rule with the first few elements it names. */
async function axe(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const run = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe.run;
    interface AxeViolation {
      id: string;
      help: string;
      nodes: { target: string[] }[];
    }
    const r = await run();
    return r.violations.map((v) => ({
      id: v.id,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
}

/** A case as a customer pastes it: a klist with the cloud TGT ended, a dsregcmd, a stray line. */
const PASTED_CASE = [
  'Current LogonId is 0:0x3e7',
  'Cached Tickets: (1)',
  '#0>\tClient: alice @ CORP.CONTOSO.COM',
  '\tServer: krbtgt/KERBEROS.MICROSOFTONLINE.COM @ KERBEROS.MICROSOFTONLINE.COM',
  '\tKerbTicket Encryption Type: AES-256-CTS-HMAC-SHA1-96',
  '\tStart Time: 3/2/2026 8:00:00 (local)',
  '\tEnd Time:   3/2/2026 18:00:00 (local) (expired)',
  '\tKdc Called: login.microsoftonline.com',
  '             AzureAdJoined : YES',
  '              DomainJoined : YES',
  '                AzureAdPrt : YES',
  '      AzureAdPrtUpdateTime : 2026-03-02 08:00:00.000 UTC',
  '                  CloudTgt : NO',
  '         KerbTopLevelNames : .windows.net',
  'a line the readers do not know',
].join('\n');

describe.skipIf(!chromiumAvailable())('accessibility: axe-core finds no violation', () => {
  const site = useBrowser();
  /** Requests to anywhere but the served origin (aborted; there must be none). */
  const foreign: string[] = [];

  afterAll(async () => {
    expect(foreign).toEqual([]);
  });

  async function open(scheme: 'light' | 'dark', path: string): Promise<Page> {
    const context = await site.browser.newContext({
      colorScheme: scheme,
      bypassCSP: true,
      viewport: { width: 1280, height: 800 },
    });
    // nothing leaves the tab: a request to another origin fails the test
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(site.origin) || /^(data|blob|about):/.test(url)) return route.continue();
      foreign.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    await page.goto(site.origin + path);
    return page;
  }

  for (const scheme of ['light', 'dark'] as const) {
    test(`${scheme}: kerberos-101 at its start, then played, a message open and expanded, a field explained`, async () => {
      const page = await open(scheme, '/#/s/kerberos-101');
      await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(
        scheme === 'dark',
      );
      expect(await axe(page)).toEqual([]);

      await page.getByTestId('step-last').click();
      await page.locator('[data-testid="step-count"]', { hasText: 'Step 2 of 2' }).waitFor();
      await page.locator('[data-testid^="row-"][data-type="TGS-REQ"]').first().click();
      await expect.poll(() => page.getByTestId('inspector-type').textContent()).toBe('TGS-REQ');
      await page.getByRole('button', { name: 'expand all' }).click();
      await page.getByTestId('tree').locator('button.field').nth(3).focus();
      await page.getByTestId('field-explanation').waitFor();
      expect(await axe(page)).toEqual([]);
      // opened whole, the tree draws only the fields in sight: scrolled half way, gaps stand above and below
      // (and around the focused field, kept in the page)
      expect(await page.getByTestId('tree').getAttribute('data-windowed')).toBe('true');
      await page.locator('.tree').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
      await expect.poll(() => page.locator('.tree li.gap').count()).toBeGreaterThanOrEqual(2);
      expect(await axe(page)).toEqual([]);

      // the Security log panel, an event open to its details and a filter set
      await page.getByTestId('security-log-row').first().getByRole('button').click();
      await page.getByTestId('security-log-details').waitFor();
      await page.getByTestId('security-log-id').selectOption('4769');
      await page.getByTestId('security-log-search').fill('cifs');
      expect(await axe(page)).toEqual([]);
      await page.context().close();
    });

    test(`${scheme}: the capture page, with the MIT capture open as a run and a message expanded`, async () => {
      const page = await open(scheme, '/#/capture');
      await page.getByTestId('capture-file').waitFor();
      expect(await axe(page)).toEqual([]);
      const fixtures = new URL('../fixtures/captures/', import.meta.url);
      await page
        .getByTestId('capture-keytab')
        .setInputFiles(new URL('mit-kinit-kvno.keytab', fixtures).pathname);
      await page
        .getByTestId('capture-file')
        .setInputFiles(new URL('mit-kinit-kvno.pcapng', fixtures).pathname);
      await page.getByTestId('capture-run').waitFor({ timeout: 120_000 });
      await page.locator('[data-testid^="row-"][data-type="AS-REP"]').first().click();
      await expect.poll(() => page.getByTestId('inspector-type').textContent()).toBe('AS-REP');
      await page.getByRole('button', { name: 'expand all' }).click();
      expect(await axe(page)).toEqual([]);
      await page.context().close();
    }, 300_000);
    test(`${scheme}: the policy editor's Conditional Access switches, off and on`, async () => {
      const page = await open(scheme, '/#/s/mfa-ca-not-excluded');
      await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
      // step 1 covers the app with the MFA policy; by step 11 assignment required is on (the refused
      // mounts); the last step (13) has turned it off again
      const switches: [string, number, string, string][] = [
        ['step-1', 1, 'policy-ca-mfa', 'true'],
        ['step-11', 11, 'policy-ca-assignment', 'true'],
        ['step-last', 13, 'policy-ca-assignment', 'false'],
      ];
      for (const [button, step, toggle, checked] of switches) {
        await page.getByTestId(button).click();
        await page.locator('[data-testid="step-count"]', { hasText: `Step ${step} of 13` }).waitFor();
        await expect.poll(() => page.getByTestId(toggle).getAttribute('aria-checked')).toBe(checked);
        expect(await axe(page)).toEqual([]);
      }
      await page.context().close();
    });

    test(`${scheme}: a failing scenario's KRB-ERROR in the inspector, and the crypto proof page`, async () => {
      const page = await open(scheme, '/#/s/clock-skew');
      await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
      await page.getByTestId('step-last').click();
      const error = page.locator('[data-testid^="row-"][data-type^="KRB-ERROR"]').first();
      await error.waitFor({ timeout: 60_000 });
      await error.click();
      await expect.poll(() => page.getByTestId('inspector-type').textContent()).toBe('KRB-ERROR');
      expect(await axe(page)).toEqual([]);

      await page.getByTestId('nav-crypto').click();
      await page.waitForFunction(() => location.hash === '#/crypto');
      await page.locator('main h2').first().waitFor();
      expect(await axe(page)).toEqual([]);
      await page.context().close();
    });

    test(`${scheme}: the paste page with a case read, its findings and an unread line, by keyboard`, async () => {
      const page = await open(scheme, '/#/paste');
      await page.getByTestId('paste-text').waitFor({ timeout: 60_000 });
      expect(await axe(page)).toEqual([]);
      await page.getByTestId('paste-text').focus();
      await page.keyboard.insertText(PASTED_CASE);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.type('2026-03-02 18:05');
      await page.getByTestId('finding-cloud-tgt-expired').waitFor();
      await page.getByTestId('paste-unread').waitFor();
      expect(await axe(page)).toEqual([]);
      await page.getByTestId('paste-start').focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => location.hash.startsWith('#/j/'));
      await page.context().close();
    });

    test(`${scheme}: the Azure Files share-level permissions in the policies panel, with a role waiting for its delay`, async () => {
      const page = await open(scheme, '/#/s/share-reader-cannot-write');
      await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
      await page.getByTestId('step-last').click();
      await page.getByTestId('policy-share-roles').waitFor({ timeout: 60_000 });
      await page.getByTestId('policy-share-role').selectOption('Storage File Data SMB Share Contributor');
      await page.getByTestId('policy-share-assign-button').click();
      await expect
        .poll(() => page.getByTestId('policy-share-roles').textContent(), { timeout: 60_000 })
        .toMatch(/in force at/);
      expect(await axe(page)).toEqual([]);
      await page.context().close();
    });
  }
});

// Links the page cannot open and the user's work kept in the browser, in Chromium: a deflate-bomb link is
// refused with a sentence and the page works, again after a reload; an unknown scenario id or a link with
// a "/" in it is explained; "start from a copy" and a bad share link plus a keystroke can be undone; a
// second tab's edit is noticed and settled without losing either text; a full storage is said aloud.
import { once } from 'node:events';
import { createDeflateRaw } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, useBrowser } from './browser';

const toBase64Url = (b: Buffer) => b.toString('base64url');

/** `mib` MiB of zeros, deflated as a stream (the test never holds the inflated bytes). */
async function deflateBomb(mib: number): Promise<Buffer> {
  const z = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (c: Buffer) => out.push(c));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < mib; i++) if (!z.write(zeros)) await once(z, 'drain');
  z.end();
  await once(z, 'end');
  return Buffer.concat(out);
}

describe.skipIf(!chromiumAvailable())('links and saved work in Chromium', () => {
  const site = useBrowser({ check: 'nothing' });

  const ready = (p: Page) =>
    p.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
  const editor = (p: Page) => p.getByTestId('json-editor');

  test('a deflate-bomb link: a sentence, the page works, and again after a reload; then it goes', async () => {
    // 150 MiB of zeros: a link of about 200,000 characters, as the ones that crashed the tab
    const hash = `#/j/${toBase64Url(await deflateBomb(150))}`;
    expect(hash.length).toBeGreaterThan(150_000);
    const view = await site.open(`/${hash}`);
    const p = view.page;
    for (let round = 0; round < 2; round++) {
      await ready(p);
      await expect
        .poll(() => p.getByTestId('link-problem-reason').textContent())
        .toMatch(/inflates to more than 1 MiB/);
      expect(await p.getByTestId('engine-error').count()).toBe(0);
      // the page works: the first scenario steps forward
      await p.getByTestId('step-forward').click();
      await expect.poll(() => p.getByTestId('step-count').textContent()).toMatch(/^Step 1 of/);
      // the link stays in the address bar until the user goes on without it: a reload says it again
      expect(await p.evaluate(() => location.hash)).toBe(hash);
      if (round === 0) await p.reload({ waitUntil: 'load' });
    }
    await p.getByTestId('link-drop').click();
    expect(await p.getByTestId('link-problem').count()).toBe(0);
    expect(await p.evaluate(() => location.hash)).toBe('#/s/kerberos-101');
    await p.reload({ waitUntil: 'load' });
    await ready(p);
    expect(await p.getByTestId('link-problem').count()).toBe(0);
    expect(view.errors).toEqual([]);
    await view.context.close();
  });

  test('an unknown #/s/ id is said over the first scenario, not as an engine failure', async () => {
    const view = await site.open('/#/s/no-such-scenario');
    const p = view.page;
    await ready(p);
    await expect
      .poll(() => p.getByTestId('link-problem-reason').textContent())
      .toMatch(/no scenario with the id "no-such-scenario"/);
    expect(await p.getByTestId('engine-error').count()).toBe(0);
    expect(await p.getByTestId('scenario-id').textContent()).toBe('kerberos-101');
    await view.context.close();
  });

  test('a "/" inside a #/j/ link is explained, one at the end is accepted', async () => {
    const view = await site.open('/#/s/clock-skew');
    const p = view.page;
    await ready(p);
    const text = JSON.stringify({ id: 'slash-test' });
    const link = await p.evaluate(async (t) => {
      const out = new Blob([t]).stream().pipeThrough(new CompressionStream('deflate-raw'));
      const bytes = new Uint8Array(await new Response(out).arrayBuffer());
      return btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
    }, text);
    const inside = await site.open(`/#/j/${link.slice(0, 3)}/${link.slice(3)}`);
    await ready(inside.page);
    await expect
      .poll(() => inside.page.getByTestId('link-problem-reason').textContent())
      .toMatch(/holds a "\/" \(at character 4\)/);
    await inside.context.close();
    // a trailing "/": the link opens (its JSON is not a whole scenario, so the editor names the field)
    const trailing = await site.open(`/#/j/${link}/`);
    await ready(trailing.page);
    await expect.poll(() => trailing.page.getByTestId('json-problem-field').textContent()).toBe('title');
    expect(await editor(trailing.page).inputValue()).toBe(text);
    await trailing.context.close();
    await view.context.close();
  });

  test('"start from a copy" over the user’s text can be undone; the text survives a reload', async () => {
    const view = await site.open('/#/s/clock-skew');
    const p = view.page;
    await ready(p);
    await p.getByTestId('edit-json').click();
    await editor(p).fill('{ "my": "own work" }');
    await expect.poll(() => p.getByTestId('json-keep').getAttribute('data-state')).toBe('kept');
    await p.getByTestId('json-copy').click();
    await expect.poll(() => editor(p).inputValue()).toMatch(/"id": "clock-skew"/);
    await expect.poll(() => p.getByTestId('json-undo-offer').textContent()).toMatch(/copy of clock-skew/);
    await p.getByTestId('json-undo').click();
    await expect.poll(() => editor(p).inputValue()).toBe('{ "my": "own work" }');
    await p.reload({ waitUntil: 'load' });
    await ready(p);
    await p.getByTestId('restore-json').click();
    expect(await editor(p).inputValue()).toBe('{ "my": "own work" }');
    // the copy is still there too, as an earlier version
    await p.getByTestId('json-history').locator('summary').click();
    expect(await p.getByTestId('json-history').textContent()).toMatch(/copy of clock-skew/);
    await view.context.close();
  });

  test('a file over 1 MiB is refused before it is read; a file within it replaces the text, with Undo', async () => {
    const view = await site.open('/');
    const p = view.page;
    await ready(p);
    await p.getByTestId('edit-json').click();
    await editor(p).fill('{ "before": "the file" }');
    await p.getByTestId('json-file').setInputFiles({
      name: 'huge.json',
      mimeType: 'application/json',
      buffer: Buffer.alloc(1024 * 1024 + 1, 0x20),
    });
    await expect
      .poll(() => p.getByTestId('json-file-error').textContent())
      .toMatch(/huge.json is 1.0 MiB.*at most 1 MiB/);
    expect(await editor(p).inputValue()).toBe('{ "before": "the file" }');
    await p.getByTestId('json-file').setInputFiles({
      name: 'mine.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{ "from": "a file" }'),
    });
    await expect.poll(() => editor(p).inputValue()).toBe('{ "from": "a file" }');
    await p.getByTestId('json-undo').click();
    await expect.poll(() => editor(p).inputValue()).toBe('{ "before": "the file" }');
    await view.context.close();
  });

  test('a share link whose scenario does not validate, plus one keystroke: the user’s text comes back with Undo', async () => {
    const view = await site.open('/');
    const p = view.page;
    await ready(p);
    await p.getByTestId('edit-json').click();
    await editor(p).fill('{ "precious": "work" }');
    await expect.poll(() => p.getByTestId('json-keep').getAttribute('data-state')).toBe('kept');
    const hash = await p.evaluate(async () => {
      const out = new Blob(['{ "id": "from-a-link" }'])
        .stream()
        .pipeThrough(new CompressionStream('deflate-raw'));
      const bytes = new Uint8Array(await new Response(out).arrayBuffer());
      return `#/j/${btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '')}`;
    });
    await p.goto(`${site.origin}/${hash}`);
    await p.reload({ waitUntil: 'load' });
    await ready(p);
    await expect.poll(() => editor(p).inputValue()).toBe('{ "id": "from-a-link" }');
    await editor(p).press('End');
    await editor(p).press('x');
    await expect.poll(() => p.getByTestId('json-keep').getAttribute('data-state')).toBe('kept');
    await p.getByTestId('json-undo').click();
    await expect.poll(() => editor(p).inputValue()).toBe('{ "precious": "work" }');
    await view.context.close();
  });

  test('a second tab’s edit is noticed: this tab asks, keeps nothing until told, and loses neither text', async () => {
    const a = await site.open('/');
    await ready(a.page);
    await a.page.getByTestId('edit-json').click();
    await editor(a.page).fill('{ "tab": "A" }');
    await expect.poll(() => a.page.getByTestId('json-keep').getAttribute('data-state')).toBe('kept');

    const b = await a.context.newPage();
    await b.goto(`${site.origin}/`);
    await ready(b);
    await b.getByTestId('restore-json').click();
    expect(await editor(b).inputValue()).toBe('{ "tab": "A" }');
    await editor(b).fill('{ "tab": "B" }');
    await expect.poll(() => b.getByTestId('json-keep').getAttribute('data-state')).toBe('kept');

    await expect.poll(() => a.page.getByTestId('json-conflict').textContent()).toMatch(/Another tab changed/);
    // A's typing is not kept over B's meanwhile
    await editor(a.page).fill('{ "tab": "A", "more": true }');
    expect(await a.page.getByTestId('json-keep').getAttribute('data-state')).toBe('not-kept');
    await a.page.getByTestId('json-keep-mine').click();
    await expect.poll(() => a.page.getByTestId('json-keep').getAttribute('data-state')).toBe('kept');
    // B hears it in turn, and takes A's; B's own text stays in the history
    await expect.poll(() => b.getByTestId('json-conflict').count()).toBe(1);
    await b.getByTestId('json-take-theirs').click();
    await expect.poll(() => editor(b).inputValue()).toBe('{ "tab": "A", "more": true }');
    await b.getByTestId('json-history').locator('summary').click();
    const versions = await b.getByTestId('json-history').locator('li').count();
    expect(versions).toBeGreaterThanOrEqual(2);
    // the newest earlier version is B's own text, kept when B typed it
    await b.getByTestId('json-history').locator('li').first().locator('button').click();
    await expect.poll(() => editor(b).inputValue()).toBe('{ "tab": "B" }');
    await a.context.close();
  });

  test('storage full: the editor says "not kept: storage full" with what to do', async () => {
    const view = await site.open('/');
    // from the next load on, the browser refuses every write of the playground's, as a full quota does
    await view.context.addInitScript(() => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (key: string, value: string) {
        if (key.startsWith('kerberos-playground:'))
          throw new DOMException("Failed to execute 'setItem' on 'Storage'", 'QuotaExceededError');
        return setItem.call(this, key, value);
      };
    });
    const p = view.page;
    await p.reload({ waitUntil: 'load' });
    await ready(p);
    await p.getByTestId('edit-json').click();
    await editor(p).fill('{ "will": "not fit" }');
    await expect.poll(() => p.getByTestId('json-keep').getAttribute('data-state')).toBe('not-kept');
    expect(await p.getByTestId('json-not-kept').textContent()).toMatch(
      /Not kept: storage full\..*storage for the playground is full.*Save it as a file/s,
    );
    const download = p.waitForEvent('download');
    await p.getByTestId('json-save-file').click();
    expect((await download).suggestedFilename()).toBe('my-scenario.json');
    await view.context.close();
  });
});

// The engine's first answers, the ones the page waits for before the playground is on screen (the
// catalogue, then the scenario its link names), do only what that first paint needs. Nothing here is
// timed (npm run bench -- ui measures the page): each test counts what the answers called.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { catalogue, catalogueHeaders, shellCommands, type AnyScenario } from '../../../src/scenarios';

afterEach(() => {
  vi.restoreAllMocks();
});

const available = catalogue().filter((s) => s.available);

describe('no ICU on the way to the first paint', () => {
  // the first locale-aware comparison or format in a thread builds ICU's collator or formatter: 15-170 ms
  // in a fresh worker (measured in Chromium), before the first answer can be posted
  test('the catalogue, then each scenario opened (validated then, in a fresh module graph): no locale-aware call', async () => {
    // fresh modules: nothing validated or cached by an earlier import, so each scenario's validation runs
    // here, under the spies, as in the worker's first answers
    vi.resetModules();
    const { catalogueHeaders: headers } = await import('../../../src/scenarios');
    const { Engine: FreshEngine } = await import('../../../src/ui/engine/engine');
    const ids = headers()
      .filter((h) => h.available)
      .map((h) => h.id);
    expect(ids).toEqual(available.map((s) => s.id));
    const calls = [
      vi.spyOn(String.prototype, 'localeCompare'),
      vi.spyOn(Number.prototype, 'toLocaleString'),
      vi.spyOn(Date.prototype, 'toLocaleString'),
      vi.spyOn(Date.prototype, 'toLocaleDateString'),
      vi.spyOn(Date.prototype, 'toLocaleTimeString'),
    ];
    const engine = new FreshEngine({ scope: 'test', script: 'first-answer.test.ts' });
    expect(engine.catalogue().length).toBeGreaterThan(0);
    for (const [n, id] of ids.entries()) {
      const r = engine.handle({ id: n + 2, kind: 'load', source: { kind: 'catalogue', id } });
      expect(r).toMatchObject({ ok: true, summary: { scenario: { id } } });
      expect(
        calls.map((c) => c.mock.calls.length),
        id,
      ).toEqual(calls.map(() => 0));
    }
  });

  test("a prompt's help and a share's listing make no locale-aware call", async () => {
    const { Engine } = await import('../../../src/ui/engine/engine');
    const engine = new Engine({ scope: 'test', script: 'first-answer.test.ts' });
    engine.handle({ id: 1, kind: 'load', source: { kind: 'catalogue', id: 'happy-path' } });
    const last = engine.summary().steps.length;
    engine.goto(last);
    const compare = vi.spyOn(String.prototype, 'localeCompare');
    const printed = (line: string) => {
      const r = engine.command('ws1', line, false);
      expect(r, line).toMatchObject({ ok: true });
      const lines = (
        r as { summary: { consoles: { host: string; lines: { text: string }[] }[] } }
      ).summary.consoles
        .find((c) => c.host === 'ws1')!
        .lines.map((l) => l.text);
      return lines;
    };
    const help = printed('help').at(-1)!;
    for (const name of ['notes.txt', '_old.txt', 'Alpha.txt']) printed(`echo x > Z:\\${name}`);
    const dir = printed('dir Z:\\').at(-1)!;
    expect(compare).not.toHaveBeenCalled();
    compare.mockRestore();
    // help lists the prompt's commands, a row each, by their syntax (util/order.ts byName, which may
    // differ from localeCompare around punctuation); dir lists the share's names as NTFS does: upper-cased,
    // then code unit by code unit, so '_' (0x5F) comes after the letters
    expect(help.split('\n').length).toBeGreaterThan(10);
    const listed = dir
      .split('\n')
      .map((l) => /\s(\S+\.txt)$/.exec(l)?.[1])
      .filter((n) => n !== undefined);
    expect(listed).toEqual(['Alpha.txt', 'notes.txt', '_old.txt']);
  });

  test("a prompt's commands are in the order localeCompare would give them", () => {
    for (const shell of ['cmd', 'powershell'] as const) {
      const names = shellCommands(shell);
      expect(names.length).toBeGreaterThan(10);
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    }
  });
});

describe('the picker lists the catalogue; only the scenario opened is validated', () => {
  const headersOf = (all: readonly AnyScenario[]) =>
    all.map((s) => ({
      id: s.id,
      title: s.title,
      summary: s.summary,
      teaches: s.teaches,
      available: s.available,
      ...(s.available ? {} : { reason: s.reason }),
    }));

  test('the headers read from the files are what validation gives', () => {
    expect(catalogueHeaders()).toEqual(headersOf(catalogue()));
  });

  test('a file that says it cannot run yet: its header says why, as validation does', async () => {
    vi.resetModules();
    const { CATALOGUE_FILES } = await import('../../../src/scenarios/catalogue/index');
    const fresh = await import('../../../src/scenarios');
    // an unavailable file is its header and why
    const file = CATALOGUE_FILES.find((f) => (f as { id: string }).id === 'clock-skew') as Record<
      string,
      unknown
    >;
    for (const k of Object.keys(file)) if (!['id', 'title', 'summary', 'teaches'].includes(k)) delete file[k];
    Object.assign(file, { available: false, reason: 'needs what is not modelled' });
    const headers = fresh.catalogueHeaders();
    expect(headers.find((h) => h.id === 'clock-skew')).toMatchObject({
      available: false,
      reason: 'needs what is not modelled',
    });
    expect(headers).toEqual(headersOf(fresh.catalogue()));
  });

  test('a file broken further in the catalogue: the list and happy-path still open; opening it is an engine error naming the field', async () => {
    vi.resetModules();
    const { CATALOGUE_FILES } = await import('../../../src/scenarios/catalogue/index');
    const { Engine: FreshEngine } = await import('../../../src/ui/engine/engine');
    const broken = CATALOGUE_FILES.find((f) => (f as { id: string }).id === 'clock-skew') as {
      hosts: unknown;
    };
    broken.hosts = 'not a list';
    const engine = new FreshEngine({ scope: 'test', script: 'first-answer.test.ts' });
    expect(engine.catalogue().map((c) => c.id)).toEqual(catalogue().map((s) => s.id));
    expect(engine.load({ kind: 'catalogue', id: 'happy-path' })).toMatchObject({ ok: true });
    // the page shows an engine error where a load fails (a notice, the link's problem, or the error page),
    // not a problem for the JSON editor, which is closed and holds another scenario
    expect(() => engine.load({ kind: 'catalogue', id: 'clock-skew' })).toThrow(
      /the scenario "clock-skew" in this playground's catalogue does not validate \(catalogue clock-skew: hosts/,
    );
  });
});

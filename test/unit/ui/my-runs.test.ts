// "My scenarios" over the real engine (in this process, one per page) and a Storage of the test's own:
// a run the user made is kept without asking, opens again at the same step after a reload and from its
// share link in a browser that never saw it; damaged storage is listed as such and nothing else is lost;
// a kept run that no longer plays opens its base and says where and why, leaving storage as it was.
import { describe, expect, test } from 'vitest';
import { Engine } from '../../../src/ui/engine/engine';
import type { EngineClient } from '../../../src/ui/engine/engine-client';
import type { EngineRequest } from '../../../src/ui/engine/protocol';
import { RUN, type SavedRun } from '../../../src/ui/lib/run-doc';
import { KEY_PREFIX, WorkStore } from '../../../src/ui/lib/work-store';
import { MyRuns } from '../../../src/ui/state/my-runs.svelte';
import { Playground } from '../../../src/ui/state/playground.svelte';

/** A page: its own engine (as its own Worker would be), the page state and its runs. */
async function page(storage: Storage, hash = '') {
  const engine = new Engine({ scope: 'test', script: 'my-runs.test.ts' });
  const client = {
    ask: (kind: string, body: object) =>
      Promise.resolve().then(() => engine.handle({ id: 0, kind, ...body } as EngineRequest)),
  } as unknown as EngineClient;
  const pg = new Playground(client, storage);
  const runs = new MyRuns(pg, client, storage);
  await pg.start(hash);
  await runs.settled();
  return { pg, runs };
}

function memoryStorage(): Storage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get length() {
      return map.size;
    },
    key: (i: number) => [...map.keys()][i] ?? null,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    clear: () => map.clear(),
  };
}

/** What identifies a run on screen: its steps (title, source, result), where it stands, its clock. */
const shape = (pg: Playground) => ({
  scenario: pg.scenario?.id,
  step: pg.step,
  // a step after the current one shows its result once played: only the steps up to here are compared
  steps: pg.summary!.steps.map((s, i) => [s.title, s.source ?? 'scenario', i < pg.step ? s.result : '']),
  now: pg.summary!.now,
  trace: pg.summary!.trace.length,
});

/** In kerberos-101 after the sign-in: a fault, two typed commands and a clock move. */
async function makeRun(pg: Playground, runs: MyRuns) {
  await pg.goto(1);
  await pg.applyFault({ do: 'set-skew', host: 'ws1', offsetMs: 60_000 });
  expect(await pg.typeCommand('ws1', 'klist purge')).toEqual([]);
  expect(await pg.typeCommand('ws1', 'klist get cifs/fs1.corp.contoso.com')).toEqual([]);
  await pg.insertAction({ do: 'advance', by: '1h' }, 'clock');
  await pg.goto(3);
  await runs.settled();
}

describe('My scenarios', () => {
  test('a run with a fault, two typed commands and a clock move is kept and opens the same after a reload', async () => {
    const storage = memoryStorage();
    const a = await page(storage);
    expect(a.runs.list).toEqual([]); // watching a scenario keeps nothing
    await makeRun(a.pg, a.runs);
    const id = a.runs.current!;
    expect(id).toMatch(/^run-[0-9a-f]{12}$/);
    expect(a.runs.list).toHaveLength(1);
    expect(a.runs.list[0]).toMatchObject({ id, base: 'kerberos-101', yours: 4, step: 3 });
    const before = shape(a.pg);
    expect(before.steps.map((s) => s[1])).toEqual([
      'scenario',
      'fault',
      'typed',
      'typed',
      'clock',
      'scenario',
    ]);

    const b = await page(storage, `#/m/${id}`);
    expect(shape(b.pg)).toEqual(before);
    expect(b.runs.current).toBe(id);
    // moving on in the reloaded page keeps the same run, one more step along
    await b.pg.forward();
    await b.runs.settled();
    expect(b.runs.list).toHaveLength(1);
    expect(b.runs.list[0]!.step).toBe(4);
  });

  test('its share link carries the whole run into a browser that never saw it', async () => {
    const a = await page(memoryStorage());
    await makeRun(a.pg, a.runs);
    const hash = (await a.runs.shareHash())!;
    expect(hash).toMatch(/^#\/r2\/[A-Za-z0-9_-]+$/);
    const fresh = memoryStorage();
    const b = await page(fresh, hash);
    expect(b.pg.linkProblem).toBeUndefined();
    expect(shape(b.pg)).toEqual(shape(a.pg));
    // and it is kept there as a run of its own
    expect(b.runs.list).toHaveLength(1);
    expect(b.runs.current).toBe(b.runs.list[0]!.id);
    // an unchanged scenario at its start still shares its short link
    const c = await page(memoryStorage());
    expect(await c.runs.shareHash()).toBeUndefined();
  });

  test('damaged storage is listed as such, left as it is, and the other runs open', async () => {
    const storage = memoryStorage();
    const a = await page(storage);
    await makeRun(a.pg, a.runs);
    const good = a.runs.current!;
    const badKey = `${KEY_PREFIX}doc:run:run-00000000dead`;
    storage.setItem(badKey, '{"format":1,"kind":"run","id":"run-00000000dead","rev":1,"versions":[{"n":1');
    const b = await page(storage);
    const damaged = b.runs.list.find((r) => r.damaged);
    expect(damaged).toMatchObject({ id: 'run-00000000dead' });
    expect(damaged!.damaged).toMatch(/cannot be read \(it is not JSON\); it is left as it is/);
    expect(await b.runs.openSaved(good)).toBe(true);
    expect(b.pg.step).toBe(3);
    expect(await b.runs.openSaved('run-00000000dead')).toBe(false);
    expect(b.runs.notice).toMatch(/cannot be read/);
    expect(storage.getItem(badKey)).toMatch(/^\{"format":1/);
    // a reload straight onto the damaged one says why over the first scenario
    const c = await page(storage, '#/m/run-00000000dead');
    expect(c.pg.scenario?.id).toBe('kerberos-101');
    expect(c.pg.linkProblem).toMatch(/cannot be read/);
  });

  test('a kept run that no longer plays opens its base and says which step and why; storage is untouched', async () => {
    const storage = memoryStorage();
    const store = new WorkStore(storage, { tab: 't', now: () => 0 });
    const run: SavedRun = {
      format: 1,
      name: 'an old run',
      base: { kind: 'catalogue', id: 'kerberos-101' },
      plan: [
        { action: { id: 'logon', do: 'logon', host: 'ws1' }, source: 'scenario' },
        { action: { do: 'klist-purge', host: 'ws1' }, source: 'typed' },
        { action: { do: 'teleport', host: 'ws1' }, source: 'typed' },
      ],
      step: 3,
    };
    expect(store.write(RUN, 'run-0123456789ab', run, { base: 0, label: 'old' }).ok).toBe(true);
    const before = storage.getItem(`${KEY_PREFIX}doc:run:run-0123456789ab`);
    const { pg, runs } = await page(storage, '#/m/run-0123456789ab');
    expect(pg.scenario?.id).toBe('kerberos-101');
    expect(pg.step).toBe(0);
    expect(pg.notice).toMatch(
      /“an old run” could not be played from step 3 \(typed: teleport\): .*must be one of/,
    );
    // moving on in the base does not overwrite the kept run
    await pg.forward();
    await runs.settled();
    expect(storage.getItem(`${KEY_PREFIX}doc:run:run-0123456789ab`)).toBe(before);
  });

  test('renamed, duplicated, deleted with undo, exported and imported', async () => {
    const storage = memoryStorage();
    const { pg, runs } = await page(storage);
    await makeRun(pg, runs);
    const id = runs.current!;
    expect(runs.rename(id, '  skew then purge  ')).toBe(true);
    expect(runs.list[0]!.name).toBe('skew then purge');
    expect(runs.rename(id, '   ')).toBe(false);
    expect(runs.notice).toMatch(/needs a name/);
    const copy = runs.duplicate(id)!;
    expect(runs.list.map((r) => r.name).sort()).toEqual(['copy of skew then purge', 'skew then purge']);
    const file = runs.exportRun(copy)!;
    expect(file.name).toBe('copy-of-skew-then-purge.run.json');
    runs.remove(copy);
    expect(runs.list).toHaveLength(1);
    runs.undoRemove();
    expect(runs.list).toHaveLength(2);
    const imported = runs.importFile('x.run.json', file.text)!;
    expect(runs.list.find((r) => r.id === imported)).toMatchObject({
      name: 'copy of skew then purge',
      step: 3,
    });
    expect(runs.importFile('y.json', '{"format":1')).toBeUndefined();
    expect(runs.notice).toMatch(/^y\.json was not imported: this file is not JSON/);
    expect(runs.importFile('z.json', JSON.stringify({ format: 2 }))).toBeUndefined();
    expect(runs.notice).toMatch(/this run has format 2; this version reads format 1/);
    expect(runs.importFile('big.json', ' '.repeat(3 * 1024 * 1024))).toBeUndefined();
    expect(runs.notice).toMatch(/a run file may have 2097152/);
    expect(runs.list).toHaveLength(3);
    // deleting the run on screen: it is no longer kept, and the next step does not bring it back
    runs.remove(id);
    await pg.forward();
    await runs.settled();
    expect(runs.list.map((r) => r.id)).not.toContain(id);
    // it can still be shared: the link carries the run on screen
    expect(await runs.shareHash()).toMatch(/^#\/r2\//);
  });

  test('a link pasted into the open tab is followed; one it cannot open is said, the run stays', async () => {
    const { pg, runs } = await page(memoryStorage());
    await runs.follow('#/s/happy-path');
    expect(pg.scenario?.id).toBe('happy-path');
    await runs.follow('#/r5/AAAA');
    expect(pg.linkProblem).toMatch(/newer version/);
    expect(pg.scenario?.id).toBe('happy-path');
    await runs.follow('#/crypto');
    expect(pg.scenario?.id).toBe('happy-path');
  });

  test('another tab changed the same run: theirs stays, this tab goes on as a copy', async () => {
    const storage = memoryStorage();
    const a = await page(storage);
    await makeRun(a.pg, a.runs);
    const id = a.runs.current!;
    const b = await page(storage, `#/m/${id}`);
    await b.pg.forward();
    await b.runs.settled();
    await a.pg.back();
    await a.runs.settled();
    expect(a.runs.current).not.toBe(id);
    expect(a.runs.notice).toMatch(/Another tab changed/);
    expect(a.runs.list).toHaveLength(2);
  });
});

// The page's state over the real engine (in this process) and a Storage of the test's own: a link the
// page cannot play is said over the first scenario instead of the engine-failure screen, and the editor
// never throws away text that the browser did not keep.
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { Engine } from '../../../src/ui/engine/engine';
import type { EngineClient } from '../../../src/ui/engine/engine-client';
import type { EngineRequest, ViewNode } from '../../../src/ui/engine/protocol';
import { visibleRows } from '../../../src/ui/lib/tree';
import { Playground } from '../../../src/ui/state/playground.svelte';

let engine: Engine;
beforeAll(() => {
  engine = new Engine({ scope: 'test', script: 'playground-state.test.ts' });
});

/** The engine answering as the Worker would, asynchronously and with errors as rejections. */
const client = () =>
  ({
    ask: (kind: string, body: object) =>
      Promise.resolve().then(() => engine.handle({ id: 0, kind, ...body } as EngineRequest)),
  }) as unknown as EngineClient;

/** A localStorage whose quota can be shrunk to nothing. */
function memoryStorage(): Storage & { full: boolean } {
  const map = new Map<string, string>();
  return {
    full: false,
    get length() {
      return map.size;
    },
    key: (i: number) => [...map.keys()][i] ?? null,
    getItem: (k: string) => map.get(k) ?? null,
    setItem(k: string, v: string) {
      if (this.full) throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
      map.set(k, v);
    },
    removeItem: (k: string) => void map.delete(k),
    clear: () => map.clear(),
  };
}

describe('a link the page cannot play', () => {
  test('an unknown #/s/ id: the first scenario plays, the link problem is said, no engine failure', async () => {
    const pg = new Playground(client(), memoryStorage());
    await pg.start('#/s/no-such-scenario');
    expect(pg.status).toBe('ready');
    expect(pg.error).toBeUndefined();
    expect(pg.scenario?.id).toBe('kerberos-101');
    expect(pg.linkProblem).toMatch(/no scenario with the id "no-such-scenario"/);
    // the page ends the reason with its own full stop ("…: REASON. The playground opened …")
    expect(pg.linkProblem).not.toMatch(/[.?!]$/);
  });

  test('a hash the playground makes no link like (#/zzz) is said, not dropped in silence', async () => {
    for (const hash of ['#/zzz', '#zzz', '#/scenario/happy-path', '#/r/xyz']) {
      const pg = new Playground(client(), memoryStorage());
      await pg.start(hash);
      expect(pg.scenario?.id).toBe('kerberos-101');
      expect(pg.linkProblem).toContain(`(${hash})`);
      expect(pg.linkProblem).toMatch(/#\/s\/kerberos-101$/);
    }
    for (const hash of ['', '#', '#/', '#/s/happy-path']) {
      const pg = new Playground(client(), memoryStorage());
      await pg.start(hash);
      expect(pg.linkProblem, hash).toBeUndefined();
    }
  });

  test('a catalogue scenario that cannot run yet says why', async () => {
    // every built-in scenario runs today: a catalogue that lists one more, not available, stands in
    const notYet = {
      id: 'fleet-10h-cliff',
      title: 'The cloud TGT cliff across a fleet',
      summary: '',
      available: false,
      reason: 'needs fleets in the catalogue, not modelled yet',
    };
    const base = client();
    const withNotYet = {
      ask: async (kind: string, body: object) => {
        const answer = await base.ask(kind as never, body as never);
        return kind === 'catalogue' ? [...(answer as unknown as object[]), notYet] : answer;
      },
    } as unknown as EngineClient;
    const pg = new Playground(withNotYet, memoryStorage());
    await pg.start('#/s/fleet-10h-cliff');
    expect(pg.error).toBeUndefined();
    expect(pg.scenario?.id).toBe('kerberos-101');
    expect(pg.linkProblem).toMatch(
      /"fleet-10h-cliff" cannot be played yet: it needs fleets in the catalogue, not modelled yet/,
    );
  });

  test('cloud-only-identity plays from its link', async () => {
    const pg = new Playground(client(), memoryStorage());
    await pg.start('#/s/cloud-only-identity');
    expect(pg.linkProblem).toBeUndefined();
    expect(pg.scenario?.id).toBe('cloud-only-identity');
  });

  test('a damaged #/j/ link is said the same way', async () => {
    const pg = new Playground(client(), memoryStorage());
    await pg.start('#/j/AAAA');
    expect(pg.error).toBeUndefined();
    expect(pg.scenario?.id).toBe('kerberos-101');
    expect(pg.linkProblem).toMatch(/damaged/);
  });
});

describe('the editor never throws away text the browser did not keep', () => {
  test('storage full: the edit is "not kept", and a copy does not replace the unkept text', async () => {
    const storage = memoryStorage();
    const pg = new Playground(client(), storage);
    await pg.start('#/s/clock-skew');
    await pg.openEditor('current');
    expect(pg.keep.state).toBe('kept');
    storage.full = true;
    pg.editJson('{ "unkept": "work" }');
    expect(pg.keep).toMatchObject({ state: 'not-kept', why: 'full' });
    await pg.openEditor('current');
    expect(pg.editorText).toBe('{ "unkept": "work" }');
    expect(pg.editorNotice).toMatch(/Not replaced with the copy of clock-skew: .* not kept/);
    // space again: the next keystroke is kept
    storage.full = false;
    pg.editJson('{ "unkept": "work!" }');
    expect(pg.keep.state).toBe('kept');
  });

  test('storage switched off: said, and typing still works', async () => {
    const pg = new Playground(client(), undefined);
    await pg.start('');
    await pg.openEditor('current');
    pg.editJson('{}');
    expect(pg.keep).toMatchObject({ state: 'not-kept', why: 'unavailable' });
    expect(pg.editorText).toBe('{}');
  });
});

describe('a command typed at a console', () => {
  test('played as a typed step, or its error lines answered with the run unchanged', async () => {
    const pg = new Playground(client(), memoryStorage());
    await pg.start('');
    const steps = pg.summary!.steps.length;
    // cmd's own words, then one line of what the playground takes
    expect(await pg.typeCommand('ws1', 'no-such-tool /x')).toEqual([
      "'no-such-tool' is not recognized as an internal or external command,",
      'operable program or batch file.',
      expect.stringMatching(/^The playground's cmd prompt takes: .*klist get.*net use/),
    ]);
    expect(pg.status).toBe('ready');
    expect(pg.summary!.steps).toHaveLength(steps);
    expect(await pg.typeCommand('ws1', 'klist purge', { replaceLater: true })).toEqual([]);
    expect(pg.summary!.steps.at(-1)).toMatchObject({ source: 'typed' });
    expect(pg.summary!.undoable).toBeDefined();
  });
});

describe('"expand all" on a big tree', () => {
  /** requestAnimationFrame as a queue the test runs frame by frame. */
  function frames() {
    const queue = new Map<number, FrameRequestCallback>();
    let next = 1;
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => {
      queue.set(next, cb);
      return next++;
    });
    vi.stubGlobal('cancelAnimationFrame', (id: number) => void queue.delete(id));
    return {
      pending: () => queue.size,
      run() {
        const due = [...queue.values()];
        queue.clear();
        for (const cb of due) cb(0);
      },
    };
  }
  afterEach(() => vi.unstubAllGlobals());

  /** happy-path's TGS-REQ to Entra (#17): armored, its ticket opened, well over a hundred fields. */
  async function opened(): Promise<Playground> {
    const pg = new Playground(client(), undefined);
    await pg.start('#/s/happy-path/step/2/msg/17');
    expect(pg.selectedRow?.type).toBe('TGS-REQ');
    return pg;
  }
  const branches = (n: ViewNode | undefined): string[] =>
    n?.children?.length ? [n.id, ...n.children.flatMap(branches)] : [];

  test('opens a slice a frame, parents first, until every node with children is open', async () => {
    const f = frames();
    const pg = await opened();
    const all = branches(pg.detail?.tree);
    expect(all.length).toBeGreaterThan(40);
    pg.expandAll(true);
    // the first slice at once, the rest left for the frames to come
    expect(pg.expanding).toBe(true);
    expect(f.pending()).toBe(1);
    const afterFirst = all.filter((id) => pg.open.has(id)).length;
    expect(afterFirst).toBeLessThan(all.length);
    let frameCount = 0;
    while (f.pending() > 0) {
      f.run();
      frameCount++;
      // never a child open before its parent
      for (const row of visibleRows(pg.detail?.tree, pg.open))
        if (row.parent) expect(pg.open.has(row.parent)).toBe(true);
    }
    expect(frameCount).toBe(Math.ceil(all.length / 40) - 1);
    expect(all.every((id) => pg.open.has(id))).toBe(true);
    expect(pg.expanding).toBe(false);
  });

  test('collapse, another node toggled or another message stops it', async () => {
    const f = frames();
    const pg = await opened();
    const all = branches(pg.detail?.tree);
    pg.expandAll(true);
    pg.expandAll(false);
    expect(pg.expanding).toBe(false);
    expect(f.pending()).toBe(0);
    f.run();
    expect([...pg.open]).toEqual([pg.detail!.tree!.id]);

    pg.expandAll(true);
    const open = pg.open.size;
    pg.toggle(all[0]!);
    f.run();
    expect(pg.open.size).toBe(open - 1);
    expect(pg.expanding).toBe(false);

    pg.expandAll(true);
    await pg.select(pg.selectedSeq! - 1);
    expect(f.pending()).toBe(0);
    expect(pg.expanding).toBe(false);
  });
});

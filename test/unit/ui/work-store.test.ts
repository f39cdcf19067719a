// The store that keeps the user's work in the browser: versions with a bounded history, restore and undo,
// tab conflicts noticed (revision counter and the storage event), a full or switched-off storage said
// aloud, damaged entries reported and never erased. Run over a Storage of the test's own, shared by
// "tabs" as a browser shares localStorage between the tabs of a site.
import { describe, expect, test } from 'vitest';
import {
  KEY_PREFIX,
  MAX_VERSIONS,
  WorkStore,
  type DocKind,
  type ExternalChange,
} from '../../../src/ui/lib/work-store';
import { Draft } from '../../../src/ui/lib/draft';
import {
  LEGACY_SAVED_JSON_KEY,
  migrateLegacyJson,
  MY_SCENARIO,
  SCENARIO_JSON,
} from '../../../src/ui/lib/saved-json';

/** localStorage as the tabs of one site share it: a quota in characters, and the storage event. */
class SiteStorage {
  readonly map = new Map<string, string>();
  readonly tabs: { view: Storage; target: EventTarget }[] = [];
  quota = Infinity;

  used(): number {
    let n = 0;
    for (const [k, v] of this.map) n += k.length + v.length;
    return n;
  }

  /** A tab's localStorage: its writes fire `storage` in every other tab, as browsers do. */
  tab(): { view: Storage; target: EventTarget } {
    const target = new EventTarget();
    const { map, tabs } = this;
    const used = () => this.used();
    const quota = () => this.quota;
    const notify = (key: string | null, oldValue: string | null, newValue: string | null) => {
      for (const t of tabs)
        if (t.target !== target)
          t.target.dispatchEvent(
            Object.assign(new Event('storage'), { key, oldValue, newValue, storageArea: t.view }),
          );
    };
    const view = {
      get length() {
        return map.size;
      },
      key: (i: number) => [...map.keys()][i] ?? null,
      getItem: (k: string) => map.get(k) ?? null,
      setItem(k: string, v: string) {
        const old = map.get(k) ?? null;
        const after = used() - (old === null ? 0 : k.length + old.length) + k.length + v.length;
        if (after > quota()) throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
        map.set(k, v);
        notify(k, old, v);
      },
      removeItem(k: string) {
        const old = map.get(k) ?? null;
        map.delete(k);
        if (old !== null) notify(k, old, null);
      },
      clear() {
        map.clear();
        notify(null, null, null);
      },
    } as Storage;
    const t = { view, target };
    this.tabs.push(t);
    return t;
  }
}

let clock = 1_000_000;
const now = () => ++clock;
const storeFor = (tab: { view: Storage }, name: string, extra: object = {}) =>
  new WorkStore(tab.view, { tab: name, now, ...extra });

const TEXT: DocKind<string> = SCENARIO_JSON;

describe('versions', () => {
  test('typing amends one version; a replacement adds one; restoring adds the old one back', () => {
    const site = new SiteStorage();
    const s = storeFor(site.tab(), 'A');
    let r = s.write(TEXT, 'd', 'a', { base: 0, label: 'typed', amend: true });
    expect(r.ok && r.doc.rev).toBe(1);
    s.write(TEXT, 'd', 'ab', { base: 1, label: 'typed', amend: true });
    r = s.write(TEXT, 'd', 'abc', { base: 2, label: 'typed', amend: true });
    expect(r.ok && r.doc.versions.map((v) => [v.n, v.value])).toEqual([[1, 'abc']]);
    r = s.write(TEXT, 'd', 'COPY', { base: 3, label: 'copy of kerberos-101' });
    expect(r.ok && r.doc.versions.map((v) => [v.n, v.label, v.value])).toEqual([
      [1, 'typed', 'abc'],
      [2, 'copy of kerberos-101', 'COPY'],
    ]);
    // typing after a replacement is a version of its own: the copy stays as it was made
    r = s.write(TEXT, 'd', 'COPY!', { base: 4, label: 'typed', amend: true });
    expect(r.ok && r.doc.versions.map((v) => v.value)).toEqual(['abc', 'COPY', 'COPY!']);
    r = s.restore(TEXT, 'd', 1, { base: 5 });
    expect(r.ok && r.doc.versions.map((v) => [v.n, v.label, v.value])).toEqual([
      [1, 'typed', 'abc'],
      [2, 'copy of kerberos-101', 'COPY'],
      [3, 'typed', 'COPY!'],
      [4, 'restored version 1', 'abc'],
    ]);
  });

  test('the same content is not written again (a reload of the same link adds nothing)', () => {
    const s = storeFor(new SiteStorage().tab(), 'A');
    const a = s.write(TEXT, 'd', 'x', { base: 0, label: 'from a share link' });
    const b = s.write(TEXT, 'd', 'x', { base: 1, label: 'from a share link' });
    expect(b).toMatchObject({ ok: true, written: false });
    expect(b.ok && a.ok && b.doc).toEqual(a.ok && a.doc);
  });

  test('a new page (another tab name) never amends an earlier visit’s typing', () => {
    const site = new SiteStorage();
    const tab = site.tab();
    storeFor(tab, 'visit-1').write(TEXT, 'd', 'old', { base: 0, label: 'typed', amend: true });
    const r = storeFor(tab, 'visit-2').write(TEXT, 'd', 'new', { base: 1, label: 'typed', amend: true });
    expect(r.ok && r.doc.versions.map((v) => v.value)).toEqual(['old', 'new']);
  });

  test(`the history is bounded: ${MAX_VERSIONS} versions, the oldest going first`, () => {
    const s = storeFor(new SiteStorage().tab(), 'A');
    let rev = 0;
    for (let i = 1; i <= MAX_VERSIONS + 5; i++) {
      const r = s.write(TEXT, 'd', `v${i}`, { base: rev, label: `file ${i}` });
      if (!r.ok) throw new Error(r.message);
      rev = r.doc.rev;
    }
    const r = s.read(TEXT, 'd');
    expect(r.status === 'ok' && r.doc.versions.map((v) => v.n)).toEqual(
      Array.from({ length: MAX_VERSIONS }, (_, i) => i + 6),
    );
  });

  test('a document over its size cap drops old versions but always keeps the newest two', () => {
    const s = storeFor(new SiteStorage().tab(), 'A', { maxDocChars: 3000 });
    let rev = 0;
    for (const c of ['a', 'b', 'c', 'd']) {
      const r = s.write(TEXT, 'd', c.repeat(1000), { base: rev, label: c });
      if (!r.ok) throw new Error(r.message);
      rev = r.doc.rev;
    }
    const r = s.read(TEXT, 'd');
    expect(r.status === 'ok' && r.doc.versions.map((v) => v.label)).toEqual(['c', 'd']);
  });

  test('a restore of a version no longer kept says so', () => {
    const s = storeFor(new SiteStorage().tab(), 'A');
    s.write(TEXT, 'd', 'x', { base: 0, label: 'typed' });
    expect(s.restore(TEXT, 'd', 9, { base: 1 })).toMatchObject({ ok: false, why: 'missing' });
  });
});

describe('two tabs', () => {
  test('a write from an old revision is a conflict carrying the other tab’s document; nothing is overwritten', () => {
    const site = new SiteStorage();
    const a = storeFor(site.tab(), 'A');
    const b = storeFor(site.tab(), 'B');
    a.write(TEXT, 'd', 'from A', { base: 0, label: 'typed', amend: true });
    const seen = b.read(TEXT, 'd');
    expect(seen.status === 'ok' && seen.doc.rev).toBe(1);
    a.write(TEXT, 'd', 'from A, more', { base: 1, label: 'typed', amend: true });
    const r = b.write(TEXT, 'd', 'from B', { base: 1, label: 'typed', amend: true });
    expect(r).toMatchObject({ ok: false, why: 'conflict' });
    expect(!r.ok && r.why === 'conflict' && r.theirs?.versions.at(-1)?.value).toBe('from A, more');
    const now = a.read(TEXT, 'd');
    expect(now.status === 'ok' && now.doc.versions.at(-1)!.value).toBe('from A, more');
  });

  test('the other tab hears each write at once (the storage event), with the document', () => {
    const site = new SiteStorage();
    const ta = site.tab();
    const tb = site.tab();
    const a = storeFor(ta, 'A');
    const b = storeFor(tb, 'B');
    const heard: ExternalChange<string>[] = [];
    const stop = b.watch(tb.target, TEXT, (c) => heard.push(c));
    const mine: ExternalChange<string>[] = [];
    a.watch(ta.target, TEXT, (c) => mine.push(c));
    a.write(TEXT, 'd', 'hello', { base: 0, label: 'typed' });
    site.tabs[0]!.view.setItem('unrelated', 'x');
    expect(heard).toHaveLength(1);
    expect(heard[0]!.id).toBe('d');
    expect(heard[0]!.doc).toMatchObject({ rev: 1, versions: [{ value: 'hello', tab: 'A' }] });
    expect(mine).toEqual([]); // a tab does not hear its own writes
    a.remove(TEXT, 'd', { base: 1 });
    expect(heard[1]).toEqual({ kind: 'scenario-json', id: 'd', doc: undefined });
    stop();
    a.write(TEXT, 'd', 'again', { base: 0, label: 'typed' });
    expect(heard).toHaveLength(2);
  });
});

describe('said aloud', () => {
  test('a full storage is a refusal with a sentence, never an exception; what was kept stays', () => {
    const site = new SiteStorage();
    const s = storeFor(site.tab(), 'A');
    s.write(TEXT, 'd', 'small', { base: 0, label: 'typed' });
    site.quota = site.used() + 50;
    const r = s.write(TEXT, 'd', 'x'.repeat(500), { base: 1, label: 'typed', amend: true });
    expect(r).toMatchObject({ ok: false, why: 'full' });
    expect(!r.ok && r.message).toMatch(/storage for the playground is full/);
    const kept = s.read(TEXT, 'd');
    expect(kept.status === 'ok' && kept.doc.versions.map((v) => v.value)).toEqual(['small']);
  });

  test('no storage, or storage that throws on reading, is "unavailable", said', () => {
    const none = new WorkStore(undefined, { tab: 'A', now });
    expect(none.read(TEXT, 'd')).toMatchObject({ status: 'unavailable' });
    expect(none.write(TEXT, 'd', 'x', { base: 0, label: 'typed' })).toMatchObject({
      ok: false,
      why: 'unavailable',
    });
    const blocked = {
      getItem() {
        throw new DOMException('access denied', 'SecurityError');
      },
    } as unknown as Storage;
    const r = new WorkStore(blocked, { tab: 'A', now }).write(TEXT, 'd', 'x', { base: 0, label: 'typed' });
    expect(r).toMatchObject({ ok: false, why: 'unavailable' });
    expect(!r.ok && r.message).toMatch(/access denied/);
  });
});

describe('damaged entries', () => {
  test('reported by name, not used, not overwritten; the other documents are unaffected', () => {
    const site = new SiteStorage();
    const s = storeFor(site.tab(), 'A');
    s.write(TEXT, 'good', 'fine', { base: 0, label: 'typed' });
    site.map.set(`${KEY_PREFIX}doc:scenario-json:bad`, '{"format":1,"kind":"scenario-json"');
    expect(s.read(TEXT, 'bad')).toMatchObject({ status: 'damaged' });
    expect(s.write(TEXT, 'bad', 'new', { base: 0, label: 'typed' })).toMatchObject({
      ok: false,
      why: 'damaged',
    });
    expect(s.list(TEXT).map((d) => [d.id, d.damaged !== undefined])).toEqual(
      expect.arrayContaining([
        ['good', false],
        ['bad', true],
      ]),
    );
    expect(s.read(TEXT, 'good')).toMatchObject({ status: 'ok' });
  });

  test('a value not of the kind, or a newer format, is damaged too', () => {
    const site = new SiteStorage();
    const s = storeFor(site.tab(), 'A');
    const doc = {
      format: 1,
      kind: 'scenario-json',
      id: 'd',
      rev: 1,
      versions: [{ n: 1, at: 1, label: 'x', tab: 'A', value: 42 }],
    };
    site.map.set(`${KEY_PREFIX}doc:scenario-json:d`, JSON.stringify(doc));
    expect(s.read(TEXT, 'd')).toMatchObject({ status: 'damaged' });
    site.map.set(`${KEY_PREFIX}doc:scenario-json:d`, JSON.stringify({ ...doc, format: 2 }));
    const r = s.read(TEXT, 'd');
    expect(r.status === 'damaged' && r.message).toMatch(/newer version of the playground/);
  });

  test('written over only when asked, and then set aside, not erased', () => {
    const site = new SiteStorage();
    const s = storeFor(site.tab(), 'A');
    site.map.set(`${KEY_PREFIX}doc:scenario-json:d`, 'garbage');
    const r = s.write(TEXT, 'd', 'mine', { base: 0, label: 'typed', replaceDamaged: true });
    expect(r.ok).toBe(true);
    const aside = [...site.map].find(([k]) => k.startsWith(`${KEY_PREFIX}damaged:scenario-json:d:`));
    expect(aside?.[1]).toBe('garbage');
  });
});

describe('documents of several kinds', () => {
  interface Run {
    scenario: string;
    step: number;
  }
  const RUN: DocKind<Run> = {
    name: 'run',
    is: (v): v is Run =>
      typeof v === 'object' &&
      v !== null &&
      typeof (v as Run).scenario === 'string' &&
      typeof (v as Run).step === 'number',
  };

  test('each kind keeps its own documents and checks its own values', () => {
    const s = storeFor(new SiteStorage().tab(), 'A');
    s.write(RUN, 'r1', { scenario: 'clock-skew', step: 3 }, { base: 0, label: 'played' });
    s.write(RUN, 'r2', { scenario: 'kerberos-101', step: 1 }, { base: 0, label: 'played' });
    s.write(TEXT, 'mine', '{}', { base: 0, label: 'typed' });
    expect(
      s
        .list(RUN)
        .map((d) => d.id)
        .sort(),
    ).toEqual(['r1', 'r2']);
    expect(s.list().length).toBe(3);
    expect(() => s.write(RUN, 'r3', 'not a run' as unknown as Run, { base: 0, label: 'x' })).toThrow(
      /cannot hold/,
    );
    expect(s.usage()).toBeGreaterThan(0);
  });
});

describe('a draft: what the editor does with its document', () => {
  const setUp = () => {
    const site = new SiteStorage();
    const tab = site.tab();
    const store = storeFor(tab, 'A');
    return { site, tab, store, draft: new Draft(store, SCENARIO_JSON, MY_SCENARIO) };
  };

  test('"start from a copy" over the user’s text keeps it, and Undo brings it back', () => {
    const { draft } = setUp();
    draft.load();
    draft.edit('my work');
    draft.edit('my work, longer');
    expect(draft.keep).toMatchObject({ state: 'kept', n: 1 });
    draft.replace('{ "id": "kerberos-101" }', 'copy of kerberos-101');
    expect(draft.keep).toMatchObject({ state: 'kept', n: 2 });
    expect(draft.undo).toEqual({ label: 'copy of kerberos-101', n: 1 });
    expect(draft.undoReplace()).toBe('my work, longer');
    expect(draft.undo).toBeUndefined();
    // the copy is still in the history: the undo can itself be undone
    expect(draft.history().map((v) => v.value)).toEqual([
      'my work, longer',
      '{ "id": "kerberos-101" }',
      'my work, longer',
    ]);
  });

  test('a share link’s scenario in the editor, then one keystroke: the user’s text is a version to go back to', () => {
    const { draft, store } = setUp();
    draft.load();
    draft.edit('the user’s work');
    // the page opens a link whose scenario does not validate, then the user types a key
    draft.replace('{ "id": "from-link" ', 'from a share link');
    draft.edit('{ "id": "from-link" }');
    const r = store.read(SCENARIO_JSON, MY_SCENARIO);
    expect(r.status === 'ok' && r.doc.versions.map((v) => v.value)).toEqual([
      'the user’s work',
      '{ "id": "from-link" ',
      '{ "id": "from-link" }',
    ]);
    expect(draft.undoReplace()).toBe('the user’s work');
  });

  test('a run ends a burst of typing: the next keystroke starts a new version', () => {
    const { draft } = setUp();
    draft.load();
    draft.edit('a');
    draft.checkpoint('ab');
    draft.edit('abc');
    expect(draft.history().map((v) => v.value)).toEqual(['abc', 'ab']);
  });

  test('another tab’s write while the editor is open: asked, nothing kept until chosen; "keep mine" keeps both', () => {
    const { site, store, draft, tab } = setUp();
    const tb = site.tab();
    const other = new Draft(storeFor(tb, 'B'), SCENARIO_JSON, MY_SCENARIO);
    let shown = 'mine';
    store.watch(tab.target, SCENARIO_JSON, (c) => {
      const v = draft.external(c, { value: shown, editing: true });
      if (v !== undefined) shown = v;
    });
    draft.load();
    draft.edit(shown);
    other.load();
    other.edit('theirs');
    expect(draft.conflict?.theirs?.value).toBe('theirs');
    expect(draft.keep).toMatchObject({ state: 'not-kept', why: 'conflict' });
    shown = 'mine, typed during the conflict';
    expect(draft.edit(shown)).toMatchObject({ state: 'not-kept', why: 'conflict' });
    draft.keepMine(shown);
    expect(draft.conflict).toBeUndefined();
    expect(draft.history().map((v) => v.value)).toEqual([
      'mine, typed during the conflict',
      'theirs',
      'mine',
    ]);
  });

  test('"take theirs" sets this tab’s unkept text aside as a version first', () => {
    const { site, draft } = setUp();
    const other = new Draft(storeFor(site.tab(), 'B'), SCENARIO_JSON, MY_SCENARIO);
    draft.load();
    draft.edit('mine');
    other.load();
    other.edit('theirs');
    // this tab missed the event: its next keystroke finds the conflict by the revision
    expect(draft.edit('mine, more')).toMatchObject({ state: 'not-kept', why: 'conflict' });
    expect(draft.takeTheirs('mine, more')).toBe('theirs');
    expect(draft.keep).toMatchObject({ state: 'kept' });
    expect(draft.history().map((v) => v.value)).toEqual(['theirs', 'mine, more', 'theirs', 'mine']);
    // and typing goes on from theirs
    expect(draft.edit('theirs, edited here')).toMatchObject({ state: 'kept' });
  });

  test('with the editor closed and nothing unkept, the other tab’s text is taken quietly', () => {
    const { site, draft } = setUp();
    const other = new Draft(storeFor(site.tab(), 'B'), SCENARIO_JSON, MY_SCENARIO);
    draft.load();
    draft.edit('mine');
    other.load();
    other.edit('theirs');
    const r = other.history();
    const doc = { kind: 'scenario-json', id: MY_SCENARIO, rev: other.rev, versions: [...r].reverse() };
    expect(
      draft.external({ kind: 'scenario-json', id: MY_SCENARIO, doc }, { value: 'mine', editing: false }),
    ).toBe('theirs');
    expect(draft.conflict).toBeUndefined();
    expect(draft.edit('theirs!')).toMatchObject({ state: 'kept' });
  });

  test('removed in another tab: asked when this tab is editing, followed quietly when it is not', () => {
    const { site, draft } = setUp();
    const other = new Draft(storeFor(site.tab(), 'B'), SCENARIO_JSON, MY_SCENARIO);
    draft.load();
    draft.edit('mine');
    other.load();
    other.forget();
    const removed = { kind: 'scenario-json', id: MY_SCENARIO, doc: undefined };
    expect(draft.external(removed, { value: 'mine', editing: true })).toBeUndefined();
    expect(draft.conflict).toEqual({ theirs: undefined });
    expect(draft.takeTheirs('mine')).toBe('mine'); // nothing of theirs: this tab's text is kept again
    expect(draft.load()?.value).toBe('mine');
    other.load();
    other.forget();
    expect(draft.external(removed, { value: 'mine', editing: false })).toBeUndefined();
    expect(draft.conflict).toBeUndefined();
    expect(draft.keep).toEqual({ state: 'new' });
  });

  test('a full storage: "not kept", then space freed from old versions and the text kept', () => {
    const { site, draft } = setUp();
    draft.load();
    for (let i = 0; i < 6; i++) draft.replace(`${i}`.repeat(200), `file ${i}`);
    site.quota = site.used() + 100;
    expect(draft.edit('5'.repeat(400))).toMatchObject({ state: 'not-kept', why: 'full' });
    expect(draft.keep.state === 'not-kept' && draft.keep.message).toMatch(/full/);
    expect(draft.freeSpace('5'.repeat(400))).toMatchObject({ state: 'kept' });
    expect(draft.history()).toHaveLength(3);
  });

  test('forget, then undo the forgetting', () => {
    const { draft } = setUp();
    draft.load();
    draft.edit('keep me');
    const removed = draft.forget();
    expect(draft.load()).toBeUndefined();
    expect(draft.unforget(removed!)?.value).toBe('keep me');
    expect(draft.load()?.value).toBe('keep me');
  });
});

describe('the text an earlier version of the page kept', () => {
  test('is moved into the store as the first version, and the old key goes', () => {
    const site = new SiteStorage();
    const tab = site.tab();
    tab.view.setItem(LEGACY_SAVED_JSON_KEY, JSON.stringify({ text: '{ "id": "old" }', savedAt: 5 }));
    const store = storeFor(tab, 'A');
    migrateLegacyJson(store, tab.view);
    const r = store.read(SCENARIO_JSON, MY_SCENARIO);
    expect(r.status === 'ok' && r.doc.versions.map((v) => v.value)).toEqual(['{ "id": "old" }']);
    expect(tab.view.getItem(LEGACY_SAVED_JSON_KEY)).toBeNull();
  });
});

// The saved-run document kind: written and read back through the work store, damaged values reported as
// damaged (and the other documents kept), imported run files bounded and refused with a reason.
import { describe, expect, test } from 'vitest';
import {
  MAX_RUN_FILE_CHARS,
  parseRunFile,
  RUN,
  RunFileError,
  type SavedRun,
} from '../../../src/ui/lib/run-doc';
import { KEY_PREFIX, WorkStore } from '../../../src/ui/lib/work-store';

class MemoryStorage {
  readonly map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
  clear() {
    this.map.clear();
  }
}

const run: SavedRun = {
  format: 1,
  name: 'my run',
  base: { kind: 'catalogue', id: 'kerberos-101' },
  plan: [
    { action: { do: 'advance', by: '11h' }, source: 'clock' },
    { action: { do: 'host-down', host: 'dc1' }, source: 'fault' },
  ],
  step: 2,
};

describe('runs in the work store', () => {
  test('a run round-trips; a damaged one is reported and the other run is kept', () => {
    const storage = new MemoryStorage();
    const store = new WorkStore(storage as unknown as Storage, { tab: 'A', now: () => 1 });
    expect(store.write(RUN, 'a', run, { base: 0, label: 'saved' }).ok).toBe(true);
    expect(store.write(RUN, 'b', { ...run, name: 'other' }, { base: 0, label: 'saved' }).ok).toBe(true);
    const a = store.read(RUN, 'a');
    expect(a.status).toBe('ok');
    expect(JSON.stringify(a)).toContain('"my run"');
    const key = [...storage.map.keys()].find((k) => k.startsWith(KEY_PREFIX) && k.endsWith(':a'))!;
    storage.setItem(key, '{"kind":"run","id":"a"');
    expect(store.read(RUN, 'a').status).toBe('damaged');
    expect(JSON.stringify(store.read(RUN, 'b'))).toContain('"other"');
  });

  test('a value that is not a run cannot be written', () => {
    const store = new WorkStore(new MemoryStorage() as unknown as Storage, { tab: 'A', now: () => 1 });
    expect(() => store.write(RUN, 'x', { ...run, step: 9 }, { base: 0, label: 'saved' })).toThrow(
      /cannot hold/,
    );
  });
});

describe('importing a run file', () => {
  test('a good file reads back the same run', () => {
    expect(parseRunFile(JSON.stringify(run))).toEqual(run);
  });
  test('bad files are refused with a reason', () => {
    expect(() => parseRunFile('x'.repeat(MAX_RUN_FILE_CHARS + 1))).toThrow(/may have/);
    expect(() => parseRunFile('{')).toThrow(/not JSON/);
    expect(() => parseRunFile(JSON.stringify({ ...run, format: 0 }))).toThrow(
      /format 0; this version reads format 1/,
    );
    expect(() => parseRunFile(JSON.stringify({ ...run, plan: [{ action: {}, source: 'x' }] }))).toThrow(
      /plan\[0\]/,
    );
    expect(() => parseRunFile('[]')).toThrow(RunFileError);
  });
});

import { describe, expect, test } from 'vitest';
import { Stages } from '../../../src/ui/lib/stages';

/** A hand-driven task queue: `runNext()` runs the oldest task not cancelled. */
function queue() {
  const tasks: { run: () => void; cancelled: boolean }[] = [];
  return {
    schedule: (run: () => void) => {
      const t = { run, cancelled: false };
      tasks.push(t);
      return () => (t.cancelled = true);
    },
    runNext(): boolean {
      const t = tasks.shift();
      if (!t) return false;
      if (!t.cancelled) t.run();
      return true;
    },
    get pending() {
      return tasks.filter((t) => !t.cancelled).length;
    },
  };
}

describe('Stages: a page mounted a part per task', () => {
  test('nothing is shown before start, then one more part per task, in order, up to the count', () => {
    const q = queue();
    const seen: number[] = [];
    const s = new Stages(3, (n) => seen.push(n), q.schedule);
    expect(q.pending).toBe(0);
    s.start();
    expect(seen).toEqual([]);
    expect(s.shown).toBe(0);
    q.runNext();
    expect(seen).toEqual([1]);
    q.runNext();
    q.runNext();
    expect(seen).toEqual([1, 2, 3]);
    expect(s.shown).toBe(3);
    expect(q.pending).toBe(0);
  });

  test('each part is its own task: one task never shows two parts', () => {
    const q = queue();
    const seen: number[] = [];
    new Stages(4, (n) => seen.push(n), q.schedule).start();
    const perTask: number[] = [];
    while (q.pending > 0) {
      const before = seen.length;
      q.runNext();
      perTask.push(seen.length - before);
    }
    expect(perTask).toEqual([1, 1, 1, 1]);
  });

  test('start again while running, or once done, schedules nothing more', () => {
    const q = queue();
    const seen: number[] = [];
    const s = new Stages(2, (n) => seen.push(n), q.schedule);
    s.start();
    s.start();
    expect(q.pending).toBe(1);
    q.runNext();
    q.runNext();
    s.start();
    expect(q.pending).toBe(0);
    expect(seen).toEqual([1, 2]);
  });

  test('stop cancels the parts not yet shown', () => {
    const q = queue();
    const seen: number[] = [];
    const s = new Stages(3, (n) => seen.push(n), q.schedule);
    s.start();
    q.runNext();
    s.stop();
    while (q.runNext());
    expect(seen).toEqual([1]);
  });

  test('the default schedule runs the parts in later tasks, not in the caller', async () => {
    const seen: number[] = [];
    new Stages(2, (n) => seen.push(n)).start();
    await Promise.resolve();
    expect(seen).toEqual([]);
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([1, 2]);
  });
});

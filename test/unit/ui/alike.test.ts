// Lists drawn from the worker's summaries keep the objects they drew before where nothing changed, so that
// Svelte runs nothing for those items: the console's lines after a clock move, the trace's rows.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { keepAlike, keptAtStart, sameFlat } from '../../../src/ui/lib/alike';
import type { ConsoleLine } from '../../../src/ui/engine/protocol';

const line = (text: string, t = 0, extra: Partial<ConsoleLine> = {}): ConsoleLine => ({
  kind: 'out',
  text,
  t,
  ...extra,
});

describe('sameFlat', () => {
  test('alike field by field, whatever object holds the fields', () => {
    expect(sameFlat(line('a'), line('a'))).toBe(true);
    expect(sameFlat(line('a'), line('b'))).toBe(false);
    expect(sameFlat(line('a', 1), line('a', 2))).toBe(false);
  });

  test('a field present in one and not the other makes them differ, even when it is undefined', () => {
    expect(sameFlat(line('a'), line('a', 0, { explain: 'x' }))).toBe(false);
    expect(sameFlat(line('a', 0, { explain: 'x' }), line('a'))).toBe(false);
    expect(sameFlat(line('a'), { ...line('a'), prompt: undefined })).toBe(false);
  });

  test('undefined is alike only to undefined', () => {
    expect(sameFlat<ConsoleLine>(undefined, undefined)).toBe(true);
    expect(sameFlat(undefined, line('a'))).toBe(false);
    expect(sameFlat(line('a'), undefined)).toBe(false);
  });
});

describe('keepAlike', () => {
  test('a console after a clock move: the lines printed before are the very objects drawn before', () => {
    const before = [line('logon', 1, { kind: 'command' }), line('signed in', 2)];
    const now = [
      line('logon', 1, { kind: 'command' }),
      line('signed in', 2),
      line('renewed krbtgt', 3),
      line('renewed cifs', 4),
    ];
    const kept = keepAlike(before, now);
    expect(kept).toEqual(now);
    expect(kept[0]).toBe(before[0]);
    expect(kept[1]).toBe(before[1]);
    expect(kept[2]).toBe(now[2]);
    expect(kept[3]).toBe(now[3]);
  });

  test('a line changed in its place is the new object; the lines after it are kept when alike', () => {
    const before = [line('a'), line('b'), line('c')];
    const kept = keepAlike(before, [line('a'), line('B'), line('c')]);
    expect(kept.map((l) => l.text)).toEqual(['a', 'B', 'c']);
    expect(kept[0]).toBe(before[0]);
    expect(kept[1]).not.toBe(before[1]);
    expect(kept[2]).toBe(before[2]);
  });

  test('for any two lists: the result equals the new list, and keeps an old object exactly where alike', () => {
    const arb = fc.array(
      fc.record({ kind: fc.constantFrom('out' as const, 'note' as const), text: fc.string(), t: fc.nat(5) }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(arb, arb, (before, now) => {
        const kept = keepAlike(before, now);
        expect(kept).toEqual(now);
        kept.forEach((l, i) =>
          expect(l === before[i]).toBe(before[i] !== undefined && sameFlat(before[i], now[i])),
        );
      }),
    );
  });
});

describe('keptAtStart', () => {
  test('counts the very objects the two lists begin with, up to the first that differs', () => {
    const [a, b, c] = [line('a'), line('b'), line('c')];
    expect(keptAtStart([a, b, c], [a, b, c, line('d')])).toBe(3);
    expect(keptAtStart([a, b, c], [a, line('b'), c])).toBe(1);
    expect(keptAtStart([a, b], [a])).toBe(1);
    expect(keptAtStart([], [a])).toBe(0);
    // alike is not enough: another host's console begins anew
    expect(keptAtStart([a], [line('a')])).toBe(0);
  });
});

// The page's own layout logic: hex rows, the field under a clicked byte, what starts open, arrows, times.
import { describe, expect, test } from 'vitest';
import type { ViewNode } from '../../../src/ui/engine/protocol';
import { hexRows, inSpan, offsetLabel, rowOf } from '../../../src/ui/lib/hex';
import { arrowGeometry } from '../../../src/ui/lib/lanes';
import { routeOf } from '../../../src/ui/lib/route';
import { clockOf, dayOf, newDayOf, offsetText, timeOfDay } from '../../../src/ui/lib/time';
import {
  expansionSlices,
  findNode,
  initiallyOpen,
  nodeAtByte,
  pathTo,
  visibleRows,
} from '../../../src/ui/lib/tree';

describe('hex dump layout', () => {
  test('rows of 16 (or 8) bytes with offsets and printable ASCII', () => {
    const bytes = new Uint8Array([
      0x6d,
      0x82,
      0x41,
      0x42,
      0x20,
      0x7e,
      0x7f,
      0x00,
      ...new Array(12).fill(0x30),
    ]);
    const rows = hexRows(bytes);
    expect(rows.map((r) => r.offset)).toEqual([0, 16]);
    expect(rows[0]!.cells.slice(0, 8).map((c) => c.hex)).toEqual([
      '6d',
      '82',
      '41',
      '42',
      '20',
      '7e',
      '7f',
      '00',
    ]);
    expect(
      rows[0]!.cells
        .slice(0, 8)
        .map((c) => c.ascii)
        .join(''),
    ).toBe('m·AB ~··');
    expect(rows[1]!.cells.map((c) => c.offset)).toEqual([16, 17, 18, 19]);
    expect(hexRows(bytes, 8)).toHaveLength(3);
    expect(hexRows(new Uint8Array(0))).toEqual([]);
    expect(() => hexRows(bytes, 0)).toThrow(RangeError);
  });

  test('offsets are as wide as the buffer needs, at least four digits', () => {
    expect(offsetLabel(16, 1500)).toBe('0010');
    expect(offsetLabel(0x10, 0x12345)).toBe('00010');
    expect(offsetLabel(0, 0)).toBe('0000');
  });

  test('a span covers [start, end)', () => {
    expect(inSpan({ start: 4, end: 6 }, 4)).toBe(true);
    expect(inSpan({ start: 4, end: 6 }, 6)).toBe(false);
    expect(inSpan(undefined, 0)).toBe(false);
    expect(rowOf(33, 16)).toBe(2);
  });
});

// A ticket whose enc-part (bytes 10–40 of the message) opened: its plaintext is space 1.
const tree: ViewNode = {
  id: '0',
  name: 'Ticket',
  tag: '[APPLICATION 1]',
  space: 0,
  offset: 0,
  length: 40,
  children: [
    { id: '0.0', name: 'tkt-vno', tag: '[0]', space: 0, offset: 4, length: 5, value: '5' },
    {
      id: '0.1',
      name: 'enc-part',
      tag: '[3]',
      space: 0,
      offset: 10,
      length: 30,
      part: 0,
      children: [
        { id: '0.1.0', name: 'etype', tag: '[0]', space: 0, offset: 12, length: 5, value: '18' },
        { id: '0.1.1', name: 'cipher', tag: '[2]', space: 0, offset: 17, length: 23, value: 'ab' },
        {
          id: 'p1',
          name: 'EncTicketPart',
          tag: '[APPLICATION 3]',
          space: 1,
          offset: 0,
          length: 20,
          children: [
            {
              id: 'p1.0',
              name: 'key',
              tag: '[1]',
              space: 1,
              offset: 4,
              length: 12,
              children: [{ id: 'p1.0.0', name: 'keyvalue', tag: '[1]', space: 1, offset: 8, length: 8 }],
            },
          ],
        },
      ],
    },
  ],
};

describe('the tree', () => {
  test('finds nodes and the path down to them', () => {
    expect(findNode(tree, 'p1.0.0')?.name).toBe('keyvalue');
    expect(findNode(tree, 'nope')).toBeUndefined();
    expect(findNode(undefined, '0')).toBeUndefined();
    expect(pathTo(tree, 'p1.0.0')).toEqual(['0', '0.1', 'p1', 'p1.0', 'p1.0.0']);
    expect(pathTo(tree, 'nope')).toEqual([]);
  });

  test('a clicked byte selects the innermost field holding it, in the bytes shown', () => {
    expect(nodeAtByte(tree, 0, 5)?.name).toBe('tkt-vno');
    expect(nodeAtByte(tree, 0, 20)?.name).toBe('cipher');
    expect(nodeAtByte(tree, 0, 9)?.name).toBe('Ticket');
    expect(nodeAtByte(tree, 0, 99)).toBeUndefined();
    // the same offset in the plaintext is a field of the decrypted part
    expect(nodeAtByte(tree, 1, 9)?.name).toBe('keyvalue');
    expect(nodeAtByte(tree, 1, 5)?.name).toBe('key');
    expect(nodeAtByte(tree, 1, 1)?.name).toBe('EncTicketPart');
  });

  test('fields with the same bytes (NDR members of one PAC buffer): the first is picked', () => {
    const pac: ViewNode = {
      id: '0',
      name: 'PAC',
      tag: 'PACTYPE',
      space: 0,
      offset: 0,
      length: 10,
      children: [
        { id: '0.0', name: 'logonTime', tag: 'NDR', space: 0, offset: 0, length: 10 },
        { id: '0.1', name: 'logoffTime', tag: 'NDR', space: 0, offset: 0, length: 10 },
      ],
    };
    expect(nodeAtByte(pac, 0, 3)?.name).toBe('logonTime');
  });

  test('what starts open: the top two levels, the way to each opened part, and its plaintext’s top', () => {
    const open = initiallyOpen(tree);
    expect([...open].sort()).toEqual(['0', '0.1', 'p1', 'p1.0']);
    expect(initiallyOpen(undefined).size).toBe(0);
  });

  test('the rows on screen: open nodes show their children, each row with its level, parent and place', () => {
    const rows = visibleRows(tree, new Set(['0', '0.1']));
    expect(rows.map((r) => r.node.id)).toEqual(['0', '0.0', '0.1', '0.1.0', '0.1.1', 'p1']);
    expect(rows.map((r) => r.level)).toEqual([1, 2, 2, 3, 3, 3]);
    expect(rows.map((r) => r.parent)).toEqual([undefined, '0', '0', '0.1', '0.1', '0.1']);
    expect(rows.map((r) => `${r.posInSet}/${r.setSize}`)).toEqual(['1/1', '1/2', '2/2', '1/3', '2/3', '3/3']);
    expect(rows[5]!.path).toEqual(['Ticket', 'enc-part', 'EncTicketPart']);
    // a closed node hides all below it, even what is open further down
    expect(visibleRows(tree, new Set(['0.1', 'p1'])).map((r) => r.node.id)).toEqual(['0']);
    expect(visibleRows(undefined, new Set())).toEqual([]);
  });

  test('"expand all" in slices: every node with children once, parents before children, no slice too big', () => {
    const slices = expansionSlices(tree, 2);
    expect(slices).toEqual([
      ['0', '0.1'],
      ['p1', 'p1.0'],
    ]);
    // opened slice by slice, the tree ends as wide open as every node at once
    const open = new Set<string>();
    for (const s of slices) for (const id of s) open.add(id);
    expect(visibleRows(tree, open).length).toBe(8); // every node of the tree
    expect(expansionSlices(tree, 0).every((s) => s.length === 1)).toBe(true);
    expect(expansionSlices(undefined, 10)).toEqual([]);
  });
});

test('arrows run between lane centres, either way; unknown hosts get none', () => {
  const hosts = ['ws1', 'dc1', 'dc2', 'files'];
  expect(arrowGeometry(hosts, 'ws1', 'dc1')).toEqual({ left: 12.5, width: 25, leftward: false });
  expect(arrowGeometry(hosts, 'files', 'ws1')).toEqual({ left: 12.5, width: 75, leftward: true });
  expect(arrowGeometry(hosts, 'ws1', 'ws1')).toEqual({ left: 12.5, width: 0, leftward: false });
  expect(arrowGeometry(hosts, 'local', 'local')).toBeUndefined();
});

test('times are the world’s UTC, to the millisecond, and clock offsets are signed', () => {
  const t = Date.UTC(2026, 2, 2, 8, 0, 0, 5);
  expect(timeOfDay(t)).toBe('08:00:00.005');
  expect(clockOf(t)).toBe('08:00:00');
  expect(dayOf(t)).toBe('Mon 2 Mar 2026');
  expect(offsetText(0)).toBe('±0');
  expect(offsetText(6 * 60_000)).toBe('+6m');
  expect(offsetText(-(3600_000 + 2 * 60_000 + 5000))).toBe('-1h 2m 5s');
  expect(offsetText(250)).toBe('+250ms');
});

test('a time of day on a new day names its day: after a clock move of a day, or of 63 days', () => {
  const t = Date.parse('2026-03-02T08:00:00.136Z');
  // the same day, or the first line: no day
  expect(newDayOf(t + 3_600_000, t)).toBeUndefined();
  expect(newDayOf(Date.parse('2026-03-02T23:59:59.999Z'), t)).toBeUndefined();
  expect(newDayOf(t, undefined)).toBeUndefined();
  // the next morning, earlier in the day than the line before: the day says it is later
  expect(newDayOf(Date.parse('2026-03-03T08:00:00.000Z'), t)).toBe('Tue 3 Mar');
  expect(newDayOf(Date.parse('2026-03-03T00:00:00.000Z'), Date.parse('2026-03-02T23:59:59.999Z'))).toBe(
    'Tue 3 Mar',
  );
  expect(newDayOf(Date.parse('2026-05-04T08:00:00Z'), t)).toBe('Mon 4 May');
});

test('routes: #/crypto is the crypto proof, anything else the playground', () => {
  expect(routeOf('#/crypto')).toBe('crypto');
  expect(routeOf('#crypto')).toBe('crypto');
  expect(routeOf('')).toBe('playground');
  expect(routeOf('#/')).toBe('playground');
  expect(routeOf('#/cryptography')).toBe('playground');
  expect(routeOf('#/capture')).toBe('capture');
  expect(routeOf('#capture/')).toBe('capture');
  expect(routeOf('#/captures')).toBe('playground');
  expect(routeOf('#/paste')).toBe('paste');
  expect(routeOf('#paste/')).toBe('paste');
  expect(routeOf('#/pasted')).toBe('playground');
});

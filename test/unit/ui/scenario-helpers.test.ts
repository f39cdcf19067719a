// The page's helpers around scenarios: share links (the id, or the JSON deflated into the hash), the
// timeline's axis, the row shown after a step, and a host's console.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  catalogueHash,
  fromBase64Url,
  jsonHash,
  readShareHash,
  toBase64Url,
} from '../../../src/ui/lib/share';
import { percentOf, timelineAxis } from '../../../src/ui/lib/timeline';
import { messageToShow } from '../../../src/ui/state/playground.svelte';
import { commandOf, consoleOf } from '../../../src/ui/engine/views';
import { locateField, pathSegments } from '../../../src/ui/lib/json-path';
import type { TraceRow } from '../../../src/ui/engine/protocol';
import type { TraceEvent } from '../../../src/world';

const H = 3600_000;
const START = Date.UTC(2026, 2, 2, 8);

describe('share links', () => {
  test('a catalogue scenario is named by its id', async () => {
    expect(catalogueHash('clock-skew')).toBe('#/s/clock-skew');
    await expect(readShareHash('#/s/clock-skew')).resolves.toEqual({ kind: 'catalogue', id: 'clock-skew' });
    await expect(readShareHash('#/')).resolves.toBeUndefined();
    await expect(readShareHash('#/crypto')).resolves.toBeUndefined();
  });

  test('the user’s JSON goes into the hash deflated, and comes back the same, unicode and all', async () => {
    const text = JSON.stringify({
      id: 'mine',
      title: 'Ünïcode — ✓',
      timeline: Array(50).fill({ do: 'logon', host: 'ws1' }),
    });
    const hash = await jsonHash(text);
    expect(hash).toMatch(/^#\/j\/[A-Za-z0-9_-]+$/);
    expect(hash.length).toBeLessThan(text.length); // it compresses
    await expect(readShareHash(hash)).resolves.toEqual({ kind: 'json', text });
  });

  test('a damaged link says so', async () => {
    await expect(readShareHash('#/j/AAAA')).rejects.toThrow(/damaged/);
    await expect(readShareHash('#/j/not*base64')).rejects.toThrow(/damaged/);
  });

  test('base64url round-trips every byte value', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = toBase64Url(bytes);
    expect(text).not.toMatch(/[+/=]/);
    expect(fromBase64Url(text)).toEqual(bytes);
  });
});

describe('the timeline’s axis', () => {
  test('a ten-hour TGT: from the start to its end, ticks on round hours', () => {
    // 60 characters: five-character labels two hours apart fit, an hour apart they would touch
    const axis = timelineAxis(START, START + 12, [{ start: START, end: START + 10 * H }], 60);
    expect(axis.from).toBe(START);
    expect(axis.to).toBe(START + 10 * H);
    expect(axis.ticks.map((t) => t.label)).toEqual(['08:00', '10:00', '12:00', '14:00', '16:00', '18:00']);
    expect(percentOf(axis, START + 5 * H)).toBe(50);
    expect(percentOf(axis, START - H)).toBe(0);
    expect(percentOf(axis, START + 20 * H)).toBe(100);
  });

  test('the clock past the tickets widens the axis; the next day is named once, at its first tick', () => {
    const axis = timelineAxis(START, START + 26 * H, [{ start: START, end: START + 10 * H }], 40);
    expect(axis.to).toBe(START + 26 * H);
    expect(axis.ticks.length).toBeLessThanOrEqual(5);
    const labels = axis.ticks.map((t) => t.label);
    const named = labels.filter((l) => /^Tue \d\d:\d\d$/.test(l));
    expect(named, labels.join(' ')).toHaveLength(1);
    const first = axis.ticks.findIndex((t) => t.t >= Date.UTC(2026, 2, 3));
    expect(labels[first]).toBe(named[0]);
  });

  // where a label is drawn, in characters of the axis (tickPlace's clamp)
  const extents = (axis: ReturnType<typeof timelineAxis>, width: number) =>
    axis.ticks.map(({ t, label }) => {
      const left = Math.max(
        0,
        Math.min(((t - axis.from) / (axis.to - axis.from)) * width - label.length / 2, width - label.length),
      );
      return { label, left, right: left + label.length };
    });

  test('a day named once keeps an axis past midnight as fine as one inside a day, on the same width', () => {
    const oneDay = timelineAxis(START, START, [{ start: START, end: START + 10 * H }], 60);
    const twoDays = timelineAxis(START, START + 10 * H, [{ start: START, end: START + 20 * H }], 60);
    expect(oneDay.ticks.map((t) => t.label)).toEqual(['08:00', '10:00', '12:00', '14:00', '16:00', '18:00']);
    // 20 hours: two-hour steps would put labels six characters apart; at four hours "04:00", held inside
    // the axis's end, still keeps a character from "Tue 00:00"
    expect(twoDays.ticks.map((t) => t.label)).toEqual([
      '08:00',
      '12:00',
      '16:00',
      '20:00',
      'Tue 00:00',
      '04:00',
    ]);
  });

  test('any span, any width: each label inside the axis, a character clear of the one before', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 14 * 24 * 60 }),
        fc.integer({ min: 1, max: 14 * 24 * 60 }),
        fc.integer({ min: 12, max: 300 }),
        (startMin, lengthMin, width) => {
          const span = { start: START + startMin * 60_000, end: START + (startMin + lengthMin) * 60_000 };
          const axis = timelineAxis(START, START, [span], width);
          const drawn = extents(axis, width);
          expect(drawn.length).toBeGreaterThanOrEqual(1);
          for (const [i, d] of drawn.entries()) {
            expect(d.left).toBeGreaterThanOrEqual(0);
            expect(d.right).toBeLessThanOrEqual(width + 1e-9);
            if (i > 0) expect(d.left).toBeGreaterThanOrEqual(drawn[i - 1]!.right + 1 - 1e-9);
          }
        },
      ),
    );
  });

  test('nothing yet: an hour from the start', () => {
    const axis = timelineAxis(START, START, []);
    expect(axis.to - axis.from).toBe(H);
  });
});

describe('the row shown after a step', () => {
  const row = (seq: number, step: number, more: Partial<TraceRow> = {}): TraceRow => ({
    seq, t: START, kind: 'message', from: 'ws1', to: 'dc1', transport: 'tcp', type: 'AS-REQ', result: '',
    modelled: false, step, tone: 'request', inspectable: true, ...more,
  }); // prettier-ignore

  test('the step’s first Kerberos message', () => {
    expect(messageToShow([row(1, 1), row(2, 2), row(3, 2)], 2)).toBe(2);
  });

  test('a step that sent no Kerberos: its failure, not a message of an earlier step', () => {
    const trace = [
      row(1, 1),
      row(2, 2, { kind: 'action', inspectable: false, tone: 'action' }),
      row(3, 2, { type: 'SMB2 NEGOTIATE', modelled: true, inspectable: false }),
      row(4, 2, { kind: 'action', inspectable: false, tone: 'action', windowsError: 53 }),
    ];
    expect(messageToShow(trace, 2)).toBe(4);
  });

  test('step 0: nothing; a clock change: its line', () => {
    expect(messageToShow([], 0)).toBeUndefined();
    const trace = [row(1, 1), row(2, 2, { kind: 'action', inspectable: false, tone: 'action' })];
    expect(messageToShow(trace, 2)).toBe(2);
  });
});

describe('a host’s console', () => {
  const event = (seq: number, type: string, result: string): TraceEvent => ({
    seq, t: START + seq, kind: 'action', from: 'ws1', to: 'ws1', transport: 'local', type, result, narration: [],
  }); // prettier-ignore

  test('commands as typed; the client’s own failure and the system error in red; the Windows error explained', () => {
    const trace = [
      event(1, 'net use', 'net use Z: \\\\files\\share'),
      event(2, 'result', 'ws1: get a ticket for cifs/files failed: no TGT'),
      event(3, 'result', 'System error 1326 has occurred. The user name or password is incorrect.'),
    ];
    const view = consoleOf(
      'ws1',
      'alice@CORP',
      [
        {
          action: { do: 'net-use', host: 'ws1', unc: '\\\\files\\share', drive: 'Z:' },
          title: 'net use',
          record: { index: 0, do: 'net-use', t: START, fromSeq: 1, toSeq: 3, ok: false, output: '' },
        },
      ],
      trace,
      (seq) => (seq === 3 ? { windowsError: 1326 } : undefined),
    );
    expect(view.lines.map((l) => [l.kind, l.text.slice(0, 20)])).toEqual([
      ['command', 'net use Z: \\\\files\\s'],
      ['error', 'ws1: get a ticket fo'],
      ['error', 'System error 1326 ha'],
    ]);
    expect(view.lines[2]!.explain).toMatch(/^System error 1326: .*NTLM/);
  });

  test('what is typed at the prompt', () => {
    expect(commandOf({ do: 'klist-get', host: 'ws1', spn: 'cifs/x' })).toBe('klist get cifs/x');
    expect(commandOf({ do: 'test-netconnection', host: 'ws1', target: 'x', port: 445 })).toBe(
      'Test-NetConnection x -Port 445',
    );
    expect(commandOf({ do: 'logon', host: 'ws1' })).toBe('logon');
    // a change of the world is no command at a prompt
    expect(commandOf({ do: 'host-down', host: 'ws1' })).toBeUndefined();
  });
});

describe('the field at fault, found in the user’s text', () => {
  const text = JSON.stringify(
    {
      id: 'x',
      timeline: [
        { do: 'logon', host: 'ws1' },
        { do: 'net-use-everything', host: 'ws1' },
      ],
      kdc: { realms: [{ name: 'A' }] },
    },
    null,
    2,
  );
  const at = (field: string, reason?: string) => {
    const span = locateField(text, field, reason);
    return span && text.slice(span.start, span.end);
  };

  test('a value by its path', () => {
    expect(pathSegments('timeline[1].do')).toEqual(['timeline', 1, 'do']);
    expect(at('timeline[1].do')).toBe('"net-use-everything"');
    expect(at('kdc.realms[0].name')).toBe('"A"');
    expect(at('id')).toBe('"x"');
  });

  test('a missing field: its parent', () => {
    expect(at('timeline[0].unc')).toBe('{\n      "do": "logon",\n      "host": "ws1"\n    }');
  });

  test('bad JSON: the position the parser gave', () => {
    expect(
      locateField('{ "id": }', '(file)', 'not valid JSON: Unexpected token } in JSON at position 8'),
    ).toEqual({ start: 8, end: 9 });
    expect(locateField('{\n "id": }', '(file)', "Unexpected token '}', ... (line 2 column 8)")).toEqual({
      start: 9,
      end: 10,
    });
    expect(locateField(text, '(top)')).toBeUndefined();
  });
});

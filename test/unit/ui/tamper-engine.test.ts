// A tamper put in from the inspector, as the engine plays it: the tamper goes in before the step that sent
// the TGS-REQ, the step is played again, and the inspector decodes the new trace, not the one it saw.
import { beforeAll, describe, expect, test } from 'vitest';
import { Engine } from '../../../src/ui/engine/engine';
import type { Summary, TraceRow } from '../../../src/ui/engine/protocol';
import { replayOf, skipOf, ticketCipher } from '../../../src/ui/lib/tamper';

let engine: Engine;
let end: Summary;
let original: TraceRow;
beforeAll(() => {
  engine = new Engine({ scope: 'test', script: 'tamper-engine.test.ts' });
  const r = engine.load({ kind: 'catalogue', id: 'kerberos-101' });
  if (!r.ok) throw new Error(r.problem.reason);
  end = engine.goto(2);
  original = end.trace.find((r) => r.type === 'TGS-REQ')!;
});

describe('a tamper from the inspector', () => {
  test("a byte of the TGT's enc-part flipped: the replayed TGS-REQ is refused, and the inspector shows its bytes", () => {
    const before = engine.detail(original.seq);
    // the message two events on, decoded now: after the tamper's two lines the replayed TGS-REQ has its seq
    const seen = engine.detail(original.seq + 2);
    expect(seen.row.type).not.toBe('TGS-REQ');
    const cipher = ticketCipher(before.tree, before.parts)!;
    expect(cipher.length).toBeGreaterThan(100);
    const offset = cipher.offset + Math.floor(cipher.length / 2);
    expect(skipOf(end.trace, original)).toBe(0);

    engine.goto(original.step - 1);
    const s = engine.insert(
      {
        do: 'tamper',
        from: 'ws1',
        message: 'TGS-REQ',
        kind: 'wire',
        offset,
        byte: before.bytes![offset]! ^ 0xff,
      },
      'tamper',
      false,
    );
    expect(s.steps[original.step - 1]).toMatchObject({ source: 'tamper', injected: true });
    expect(s.undoable).toMatch(/attacker on the wire \(no keys\): byte \d+ of ws1's next TGS-REQ/);
    const replayedRun = engine.goto(original.step + 1);
    const replayed = replayOf(replayedRun.trace, original, original.step + 1, 0)!;
    const reply = replayedRun.trace.find((r) => r.replyTo === replayed.seq)!;
    expect(reply).toMatchObject({ type: 'KRB-ERROR', errorCode: 31 });

    // the inspector decodes the new trace: the message at the original's seq is not the one it saw
    expect(replayed.seq).toBe(original.seq + 2);
    const after = engine.detail(replayed.seq);
    expect(after.row.type).toBe('TGS-REQ');
    expect(after.tree?.name).toBe('TGS-REQ');
    expect(after.bytes![offset]).toBe(before.bytes![offset]! ^ 0xff);
    const sameSeq = engine.detail(original.seq);
    expect(sameSeq.row.type).not.toBe('TGS-REQ');

    // undo: the original again, its service ticket
    const back = engine.handle({ id: 1, kind: 'undo' }) as Summary;
    const again = engine.goto(2);
    expect(again.steps).toHaveLength(2);
    const req = again.trace.find((r) => r.type === 'TGS-REQ')!;
    expect(again.trace.find((r) => r.replyTo === req.seq)!.type).toBe('TGS-REP');
    expect(back.undoable).toBeUndefined();
  });
});

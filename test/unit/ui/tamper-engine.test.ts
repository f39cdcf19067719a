// A tamper put in from the inspector, as the engine plays it: the tamper goes in before the step that sent
// the TGS-REQ, the step is played again, and the inspector decodes the new trace, not the one it saw. Which
// messages the inspector offers to tamper with, and the bytes its buttons aim at in a reply and an AP-REQ.
import { beforeAll, describe, expect, test } from 'vitest';
import { Engine } from '../../../src/ui/engine/engine';
import type { Summary, TraceRow } from '../../../src/ui/engine/protocol';
import {
  afterReply,
  answerLine,
  authenticatorCipher,
  canTamper,
  insideTls,
  replayOf,
  replyCipher,
  skipOf,
  ticketCipher,
} from '../../../src/ui/lib/tamper';
import { decodeApReq, decodeKrb5GssToken, decodeTgsRep } from '../../../src/asn1';

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

  test('a KDC request, reply or KRB-ERROR on port 88 and an AP-REQ can be tampered with; an AP-REP or an action cannot', () => {
    const offered = end.trace.filter(canTamper).map((r) => r.type);
    expect(new Set(offered)).toEqual(
      new Set(['AS-REQ', 'KRB-ERROR', 'AS-REP', 'TGS-REQ', 'TGS-REP', 'AP-REQ']),
    );
    // a KDC's "too big for UDP" is its transport's word: no tamper reaches it
    const error = end.trace.find((r) => r.type === 'KRB-ERROR')!;
    expect(canTamper(error)).toBe(true);
    expect(canTamper({ ...error, errorCode: 52 })).toBe(false);
    // a service's KRB-ERROR (fs1's, on 445) is not the KDC's
    expect(canTamper({ ...error, from: 'fs1', port: 445 })).toBe(false);
    for (const r of end.trace.filter((r) => r.type === 'AP-REP' || r.kind !== 'message'))
      expect(canTamper(r), `${r.seq} ${r.type}`).toBe(false);
    // through the KDC proxy (inside TLS), or modelled without bytes: not offered
    const rep = end.trace.find((r) => r.type === 'TGS-REP')!;
    expect(canTamper({ ...rep, port: 443 })).toBe(false);
    const ap = end.trace.find((r) => r.type === 'AP-REQ')!;
    expect(canTamper({ ...ap, modelled: true })).toBe(false);
  });

  test("the aim buttons' bytes: a reply's enc-part and its ticket, an AP-REQ's authenticator and ticket", () => {
    // the field's node spans its tag and length too: it ends with the cipher, and its middle byte (where the
    // button aims) is one of the cipher's
    const span = (bytes: Uint8Array, s: { offset: number; length: number }) =>
      bytes.subarray(s.offset + Math.floor(s.length / 2), s.offset + s.length);
    const inCipher = (cipher: Uint8Array) => (aimed: Uint8Array) =>
      expect(cipher.subarray(cipher.length - aimed.length)).toEqual(aimed);
    const rep = engine.detail(end.trace.find((r) => r.type === 'TGS-REP')!.seq);
    const tgsRep = decodeTgsRep(rep.bytes!);
    inCipher(tgsRep.encPart.cipher)(span(rep.bytes!, replyCipher(rep.tree, rep.parts)!));
    inCipher(tgsRep.ticket.encPart.cipher)(span(rep.bytes!, ticketCipher(rep.tree, rep.parts)!));
    const ap = engine.detail(end.trace.find((r) => r.type === 'AP-REQ')!.seq);
    const apReq = decodeApReq(decodeKrb5GssToken(ap.bytes!).krbMessage);
    inCipher(apReq.authenticator.cipher)(span(ap.bytes!, authenticatorCipher(ap.tree, ap.parts)!));
    inCipher(apReq.ticket.encPart.cipher)(span(ap.bytes!, ticketCipher(ap.tree, ap.parts)!));
  });

  test("what came of a reply: its client's first word on it, then how the step ended", () => {
    const rep = end.trace.find((r) => r.type === 'TGS-REP')!;
    const came = afterReply(end.trace, rep);
    expect(came.answer).toMatch(/^ws1: got cifs\/fs1\.corp\.contoso\.com.*; then /);
    expect(came.refused).toBe(false);
  });
});

describe('a line for an answer', () => {
  const error = (result: string): TraceRow =>
    ({ type: 'KRB-ERROR', errorCode: 31, errorName: 'KRB_AP_ERR_BAD_INTEGRITY', result }) as TraceRow;
  test("the error named once: led by its name, unless the answer's words name it already", () => {
    expect(answerLine(error('Integrity check on decrypted field failed'))).toBe(
      'KRB_AP_ERR_BAD_INTEGRITY (31): Integrity check on decrypted field failed',
    );
    expect(answerLine(error('refused: KRB_AP_ERR_BAD_INTEGRITY (31)'))).toBe(
      'refused: KRB_AP_ERR_BAD_INTEGRITY (31)',
    );
    expect(answerLine(undefined)).toBe('no answer');
  });
});

describe('the inspector after an insert at an earlier step', () => {
  // every message was opened in the run before; a tamper put in before step 1 plays the rest again, and the
  // numbers the inspector read now name other messages: it reads them again, never its old decode
  test('a number that names another message now is decoded as that message', () => {
    const e = new Engine({ scope: 'test', script: 'tamper-engine.test.ts' });
    const loaded = e.load({ kind: 'catalogue', id: 'kerberos-101' });
    if (!loaded.ok) throw new Error(loaded.problem.reason);
    const before = e.goto(2);
    for (const r of before.trace) if (r.kind === 'message') e.detail(r.seq);
    const error = before.trace.find((r) => r.type === 'KRB-ERROR')!;
    const at = e.detail(error.seq).tree!.children!.find((n) => n.name === 'error-code')!;
    e.goto(0);
    e.insert(
      {
        do: 'tamper',
        from: 'dc1',
        message: 'KRB-ERROR',
        kind: 'wire',
        offset: at.offset + at.length - 1,
        byte: 6,
      },
      'tamper',
      false,
    );
    const after = e.goto(2);
    for (const r of after.trace.filter((r) => r.kind === 'message')) {
      const d = e.detail(r.seq);
      expect(d.tree?.name, `#${r.seq} ${r.type}`).toBe(r.type);
    }
    // the changed KRB-ERROR is read as it now is
    const changed = after.trace.find((r) => r.type === 'KRB-ERROR')!;
    const code = e.detail(changed.seq).tree!.children!.find((n) => n.name === 'error-code')!;
    expect(code.value).toBe('6');
  });
});

describe('a message through the KDC proxy', () => {
  test('is not offered to the tamper: it travels inside TLS, and the inspector says so', () => {
    const e = new Engine({ scope: 'test', script: 'tamper-engine.test.ts' });
    const loaded = e.load({ kind: 'catalogue', id: 'happy-path' });
    if (!loaded.ok) throw new Error(loaded.problem.reason);
    const trace = e.goto(2).trace;
    const proxied = trace.filter(insideTls);
    expect(proxied.map((r) => r.type)).toEqual(['TGS-REQ', 'TGS-REP']);
    for (const r of proxied) expect(canTamper(r), `#${r.seq}`).toBe(false);
    // the same messages over port 88 are offered, and are not inside TLS
    for (const r of trace.filter((r) => r.port === 88 && r.kind === 'message')) {
      expect(insideTls(r)).toBe(false);
      expect(canTamper(r)).toBe(true);
    }
  });
});

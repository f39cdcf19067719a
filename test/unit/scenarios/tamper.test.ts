// A tamper, one entry of the action table: an attacker on the wire (no keys) changes ws1's next TGS-REQ
// and the KDC refuses it for real; a what-if edit of the TGT, sealed again with the krbtgt key, is taken.
// A byte of the KDC's reply changed on its way: the client finds out (its enc-part) or the service does
// (the ticket inside, which the client cannot read). A byte of its KRB-ERROR: the client believes it. A
// byte of the AP-REQ: the service finds out.
import { describe, expect, test } from 'vitest';
import {
  decodeApReq,
  decodeAsRep,
  decodeKrb5GssToken,
  decodeKrbError,
  decodeTgsReq,
  decodeTgsRep,
} from '../../../src/asn1';
import { runScenario, validateScenario, type Scenario } from '../../../src/scenarios';
import kerberos101 from '../../../src/scenarios/catalogue/kerberos-101.json';
import type { TraceEvent } from '../../../src/world';

type Json = Record<string, unknown>;

function withTimeline(timeline: Json[]): Scenario {
  const s = structuredClone(kerberos101) as Json;
  s.timeline = timeline;
  s.outcomes = [{ id: 'ran', description: 'it ran', expect: [{ action: 'logon' }] }];
  return validateScenario(s) as Scenario;
}

const LOGON = { do: 'logon', host: 'ws1', id: 'logon' };
const MOUNT = {
  do: 'net-use',
  host: 'ws1',
  unc: '\\\\fs1.corp.contoso.com\\share',
  drive: 'S:',
  id: 'mount',
};
const tgsReqs = (trace: readonly TraceEvent[]) =>
  trace.filter((e) => e.kind === 'message' && e.type === 'TGS-REQ' && e.from === 'ws1');
const replyTo = (trace: readonly TraceEvent[], req: TraceEvent) => trace.find((e) => e.replyTo === req.seq)!;

/** Where `part` starts in `bytes`. */
function offsetOf(bytes: Uint8Array, part: Uint8Array): number {
  for (let i = 0; i + part.length <= bytes.length; i++)
    if (part.every((b, j) => bytes[i + j] === b)) return i;
  throw new Error('the part is not in the message');
}

/** Where the TGT's enc-part cipher starts in a TGS-REQ. */
function ticketCipherOffset(bytes: Uint8Array): number {
  const req = decodeTgsReq(bytes);
  return offsetOf(
    bytes,
    decodeApReq(req.padata!.find((p) => p.padataType === 1)!.padataValue).ticket.encPart.cipher,
  );
}

/** The AP-REQ in a message: itself, or the one its GSS-API token carries (RFC 4121 §4.1). */
const unwrapped = (bytes: Uint8Array): Uint8Array =>
  bytes[0] === 0x60 ? decodeKrb5GssToken(bytes).krbMessage : bytes;

/** The indexes where two messages of one length differ. */
const changedAt = (a: Uint8Array, b: Uint8Array) => [...a].flatMap((x, i) => (x === b[i] ? [] : [i]));

describe('tamper', () => {
  const original = runScenario(withTimeline([LOGON, MOUNT]));
  const firstReq = tgsReqs(original.trace)[0]!;

  test('untampered, the mount gets its service ticket', () => {
    expect(original.actions[1]!.ok).toBe(true);
    expect(replyTo(original.trace, firstReq).type).toBe('TGS-REP');
  });

  test("a byte flipped in the TGT's enc-part: KRB_AP_ERR_BAD_INTEGRITY (31), and the mount fails", () => {
    const offset = ticketCipherOffset(firstReq.bytes!) + 20;
    const byte = firstReq.bytes![offset]! ^ 0xff;
    const run = runScenario(
      withTimeline([
        LOGON,
        { do: 'tamper', from: 'ws1', message: 'TGS-REQ', kind: 'wire', offset, byte },
        MOUNT,
      ]),
    );
    const req = tgsReqs(run.trace)[0]!;
    // the bytes the KDC got differ from the original in that byte only
    expect(req.bytes!.length).toBe(firstReq.bytes!.length);
    expect([...req.bytes!].flatMap((b, i) => (b === firstReq.bytes![i] ? [] : [i]))).toEqual([offset]);
    expect(req.narration.some((n) => n.actor === 'attacker' && /set byte/.test(n.text))).toBe(true);
    expect(replyTo(run.trace, req).errorCode).toBe(31);
    expect(run.actions[2]!.ok).toBe(false);
    // the tamper is used once: nothing is left armed
    expect(run.world.network.tampers).toEqual([]);
  });

  test("req-body's nonce rewritten: the authenticator's checksum no longer matches", () => {
    const run = runScenario(
      withTimeline([
        LOGON,
        {
          do: 'tamper',
          from: 'ws1',
          message: 'TGS-REQ',
          kind: 'wire',
          field: 'req-body.nonce',
          value: '12345',
        },
        MOUNT,
      ]),
    );
    const req = tgsReqs(run.trace)[0]!;
    expect(decodeTgsReq(req.bytes!).reqBody.nonce).toBe(12345);
    expect(replyTo(run.trace, req).errorCode).toBe(31);
    expect(run.actions[2]!.ok).toBe(false);
  });

  test('what if the TGT had a day more: sealed again with the krbtgt key, the KDC accepts it', () => {
    const run = runScenario(
      withTimeline([
        LOGON,
        {
          do: 'tamper',
          from: 'ws1',
          message: 'TGS-REQ',
          kind: 'what-if',
          field: 'ticket.endtime',
          value: '+1d',
        },
        MOUNT,
      ]),
    );
    const req = tgsReqs(run.trace)[0]!;
    expect(req.narration.some((n) => n.actor === 'what if' && /sealed again/.test(n.text))).toBe(true);
    expect(req.bytes).not.toEqual(firstReq.bytes);
    const reply = replyTo(run.trace, req);
    expect(reply.type).toBe('TGS-REP');
    expect(decodeTgsRep(reply.bytes!).ticket.sname.nameString).toEqual(['cifs', 'fs1.corp.contoso.com']);
    expect(run.actions[2]!.ok).toBe(true);
  });

  test('skip lets the first such request pass; a second one is changed', () => {
    const run = runScenario(
      withTimeline([
        LOGON,
        {
          do: 'tamper',
          from: 'ws1',
          message: 'TGS-REQ',
          kind: 'wire',
          field: 'req-body.nonce',
          value: '1',
          skip: 1,
        },
        MOUNT,
      ]),
    );
    const reqs = tgsReqs(run.trace);
    expect(replyTo(run.trace, reqs[0]!).type).toBe('TGS-REP');
    // kerberos-101's mount asks for one ticket only: the armed tamper waits, one pass used up
    expect(reqs.length).toBe(1);
    expect(run.world.network.tampers).toEqual([expect.objectContaining({ skip: 0 })]);
  });

  test.each([
    [{ kind: 'wire', field: 'ticket.endtime', value: '+1d' }, /only a clear field can be rewritten/],
    [{ kind: 'what-if', offset: 3, byte: 1 }, /not a byte/],
    [{ kind: 'wire', offset: 3 }, /needs offset and byte/],
    [
      { kind: 'wire', offset: 3, byte: 1, field: 'req-body.nonce', value: '1' },
      /a byte or a field, not both/,
    ],
    [{ kind: 'wire', field: 'req-body.nonce', value: 'x' }, /a nonce is a whole number/],
    [{ kind: 'what-if', field: 'ticket.endtime', value: 'tomorrow' }, /neither an ISO-8601/],
    [{ kind: 'wire', offset: 3, byte: 256 }, /at most 255/],
  ])('a tamper that cannot be is refused when read: %j', (edit, why) => {
    expect(() => withTimeline([LOGON, { do: 'tamper', from: 'ws1', message: 'TGS-REQ', ...edit }])).toThrow(
      why,
    );
  });

  describe("a byte of the KDC's reply, on its way to ws1", () => {
    const firstRep = replyTo(original.trace, firstReq);
    const asRep = original.trace.find((e) => e.type === 'AS-REP' && e.to === 'ws1')!;
    const flip = (bytes: Uint8Array, at: number) => ({ offset: at, byte: bytes[at]! ^ 0xff });
    /** The run with a byte of the TGS-REP flipped, 20 bytes into `part`; and the TGS-REP ws1 got. */
    function withTgsRepFlipped(part: Uint8Array) {
      const { offset, byte } = flip(firstRep.bytes!, offsetOf(firstRep.bytes!, part) + 20);
      const run = runScenario(
        withTimeline([
          LOGON,
          { do: 'tamper', from: firstRep.from, message: 'TGS-REP', kind: 'wire', offset, byte },
          MOUNT,
        ]),
      );
      return { run, offset, rep: replyTo(run.trace, tgsReqs(run.trace)[0]!) };
    }

    test("in the TGS-REP's enc-part: the client cannot decrypt it, and the mount fails", () => {
      const { run, offset, rep } = withTgsRepFlipped(decodeTgsRep(firstRep.bytes!).encPart.cipher);
      // the trace holds what the client got: the reply, that byte changed, and who changed it
      expect(rep.type).toBe('TGS-REP');
      expect(changedAt(rep.bytes!, firstRep.bytes!)).toEqual([offset]);
      expect(rep.narration.some((n) => n.actor === 'attacker' && /set byte/.test(n.text))).toBe(true);
      const said = run.trace
        .filter((e) => e.seq > rep.seq)
        .flatMap((e) => [e.result, ...e.narration.map((n) => n.text)]);
      expect(said.join('\n')).toMatch(/does not decrypt with/);
      expect(run.actions[2]!.ok).toBe(false);
      expect(run.world.network.tampers).toEqual([]);
    });

    test('in the ticket it carries: the client keeps what it cannot read, and the file server refuses it', () => {
      const { run, offset, rep } = withTgsRepFlipped(decodeTgsRep(firstRep.bytes!).ticket.encPart.cipher);
      expect(changedAt(rep.bytes!, firstRep.bytes!)).toEqual([offset]);
      const apReq = run.trace.find((e) => e.seq > rep.seq && e.type === 'AP-REQ' && e.from === 'ws1');
      expect(apReq).toBeDefined();
      const answer = replyTo(run.trace, apReq!);
      expect(answer.errorCode).toBe(31);
      expect(run.actions[2]!.ok).toBe(false);
    });

    test("in the AS-REP's enc-part: the sign-in fails, as with a wrong password", () => {
      const { offset, byte } = flip(
        asRep.bytes!,
        offsetOf(asRep.bytes!, decodeAsRep(asRep.bytes!).encPart.cipher) + 20,
      );
      const run = runScenario(
        withTimeline([
          { do: 'tamper', from: asRep.from, message: 'AS-REP', kind: 'wire', offset, byte },
          LOGON,
        ]),
      );
      const rep = run.trace.find((e) => e.type === 'AS-REP' && e.to === 'ws1')!;
      expect(changedAt(rep.bytes!, asRep.bytes!)).toEqual([offset]);
      expect(run.actions[1]!.ok).toBe(false);
    });

    test.each([
      [{ kind: 'wire', field: 'req-body.nonce', value: '1' }, /a byte at a time/],
      [{ kind: 'what-if', field: 'ticket.endtime', value: '+1d' }, /a byte at a time/],
    ])('a reply is changed only a byte at a time: %j is refused when read', (edit, why) => {
      expect(() => withTimeline([LOGON, { do: 'tamper', from: 'dc1', message: 'TGS-REP', ...edit }])).toThrow(
        why,
      );
    });
  });

  describe("a byte of the KDC's KRB-ERROR, on its way to ws1: nothing protects it", () => {
    const error = original.trace.find((e) => e.type === 'KRB-ERROR' && e.to === 'ws1')!;
    /** The error-code's value, the last byte of its field ([6] INTEGER, one byte for codes below 128). */
    const codeAt = () => {
      const code = decodeKrbError(error.bytes!).errorCode;
      expect(code).toBe(25);
      const at = error.bytes!.findIndex(
        (b, i) =>
          b === 0xa6 && error.bytes![i + 1] === 3 && error.bytes![i + 2] === 2 && error.bytes![i + 3] === 1,
      );
      return at + 4;
    };

    test('PREAUTH_REQUIRED (25) becomes C_PRINCIPAL_UNKNOWN (6): ws1 believes it, and the sign-in fails', () => {
      const offset = codeAt();
      const run = runScenario(
        withTimeline([
          { do: 'tamper', from: error.from, message: 'KRB-ERROR', kind: 'wire', offset, byte: 6 },
          LOGON,
        ]),
      );
      const got = run.trace.find((e) => e.type === 'KRB-ERROR' && e.to === 'ws1')!;
      expect(changedAt(got.bytes!, error.bytes!)).toEqual([offset]);
      // the trace says the error the client read, and who changed it
      expect(got.errorCode).toBe(6);
      expect(got.narration.some((n) => n.actor === 'attacker' && /set byte/.test(n.text))).toBe(true);
      // no second AS-REQ with pre-authentication: the client gave up on the error it was told
      expect(run.trace.filter((e) => e.type === 'AS-REQ' && e.from === 'ws1')).toHaveLength(1);
      expect(run.actions[1]!.ok).toBe(false);
    });
  });

  describe('a byte of the AP-REQ, on its way from ws1 to fs1', () => {
    const apReq = original.trace.find((e) => e.type === 'AP-REQ' && e.from === 'ws1')!;

    test.each([
      ['the authenticator', (b: Uint8Array) => decodeApReq(unwrapped(b)).authenticator.cipher],
      ['the ticket', (b: Uint8Array) => decodeApReq(unwrapped(b)).ticket.encPart.cipher],
    ])('in %s: fs1 cannot decrypt it, KRB_AP_ERR_BAD_INTEGRITY (31), and the mount fails', (_, partOf) => {
      const offset = offsetOf(apReq.bytes!, partOf(apReq.bytes!)) + 20;
      const byte = apReq.bytes![offset]! ^ 0xff;
      const run = runScenario(
        withTimeline([
          LOGON,
          { do: 'tamper', from: 'ws1', message: 'AP-REQ', kind: 'wire', offset, byte },
          MOUNT,
        ]),
      );
      const sent = run.trace.find((e) => e.type === 'AP-REQ' && e.from === 'ws1')!;
      expect(changedAt(sent.bytes!, apReq.bytes!)).toEqual([offset]);
      expect(sent.narration.some((n) => n.actor === 'attacker' && /set byte/.test(n.text))).toBe(true);
      expect(replyTo(run.trace, sent).errorCode).toBe(31);
      expect(run.actions[2]!.ok).toBe(false);
      expect(run.world.network.tampers).toEqual([]);
    });

    test('untampered, fs1 answers the same AP-REQ with an AP-REP', () => {
      expect(replyTo(original.trace, apReq).type).toBe('AP-REP');
    });

    test.each([
      [{ kind: 'wire', field: 'req-body.nonce', value: '1' }, /a byte at a time/],
      [{ kind: 'what-if', field: 'ticket.endtime', value: '+1d' }, /a byte at a time/],
    ])('an AP-REQ is changed only a byte at a time: %j is refused when read', (edit, why) => {
      expect(() => withTimeline([LOGON, { do: 'tamper', from: 'ws1', message: 'AP-REQ', ...edit }])).toThrow(
        why,
      );
    });
  });

  test('a byte past the end of the message leaves it unchanged, and the trace says why', () => {
    const run = runScenario(
      withTimeline([
        LOGON,
        { do: 'tamper', from: 'ws1', message: 'TGS-REQ', kind: 'wire', offset: 60000, byte: 0 },
        MOUNT,
      ]),
    );
    const req = tgsReqs(run.trace)[0]!;
    expect(req.bytes).toEqual(firstReq.bytes);
    expect(req.narration.find((n) => n.stage === 'tamper')?.text).toMatch(/past the end of the message/);
    expect(run.actions[2]!.ok).toBe(true);
  });
});

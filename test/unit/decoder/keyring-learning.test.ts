// Trying the keytab's other keys on tickets (as Wireshark tries its whole keytab) costs one decryption
// per key and ticket; the keyring learns from each ticket which of those keys cannot be the service's,
// so a capture of many tickets of one service pays that once, not once per ticket. What it learns is
// seen in the reasons the decoder gives and in KeyRing.ruledOut.
import { beforeAll, describe, expect, test } from 'vitest';
import { parsePrincipal } from '../../../src/asn1/principal';
import { decodeAsRep, encodeAsRep } from '../../../src/asn1';
import { stringToKey } from '../../../src/crypto';
import { type KeytabEntry } from '../../../src/formats';
import { decodeMessage, KeyRing, type DecodedMessage } from '../../../src/formats/decoder';
import type { KdcConfig } from '../../../src/kdc';
import { asReq, makeKdc, name, seededRandom, T0 } from '../kdc/helper';

const REALM = 'EXAMPLE.TEST';
const config: KdcConfig = {
  realms: [
    {
      name: REALM,
      krbtgtPassword: 'krbtgt-secret',
      principals: [{ name: 'alice', password: 'alice-pw', requiresPreauth: false }],
    },
  ],
};
const alice = stringToKey(18, 'alice-pw', `${REALM}alice`);
const krbtgt = stringToKey(18, 'krbtgt-secret', `${REALM}krbtgt${REALM}`);
const KRBTGT = { components: ['krbtgt', REALM], realm: REALM };

const entry = (principal: string, key: { etype: number; bytes: Uint8Array }): KeytabEntry => ({
  principal: parsePrincipal(principal),
  timestamp: 0,
  kvno: 1,
  key,
});
/** Keys of eight other users: none of them opens a TGT. */
const strangers = Array.from({ length: 8 }, (_, i) =>
  entry(`user${i}@${REALM}`, { etype: 18, bytes: new Uint8Array(32).fill(i + 1) }),
);

/** `n` AS-REPs for alice from our KDC, each with its own TGT (krbtgt/EXAMPLE.TEST kvno 1, aes256). */
function asReps(n: number): Uint8Array[] {
  const kdc = makeKdc(config, 3);
  const random = seededRandom(9);
  return Array.from(
    { length: n },
    (_, i) =>
      kdc.handle(asReq({ realm: REALM, cname: name('alice'), nonce: i + 1 }), { now: T0 + i * 1000, random })
        .reply,
  );
}
let reps: Uint8Array[] = [];
// The KDC derives its keys with PBKDF2: made once, with a generous bound for a loaded machine.
beforeAll(() => {
  reps = asReps(3);
}, 120_000);
const ticketPart = (m: DecodedMessage) => m.encParts.find((p) => p.path === 'ticket.enc-part')!;

describe('the keytab keys a ticket of a service showed not to be its key', () => {
  test('are tried on two of its tickets, then no more; the reason says so', () => {
    const ring = new KeyRing().addKeytab([entry(`alice@${REALM}`, alice), ...strangers]);
    const [first, second, third] = reps.map((b, i) => decodeMessage(b, ring, { frame: i + 1 }));
    for (const m of [first!, second!]) {
      expect(m.encParts.find((p) => p.path === 'enc-part')!.decrypted).toBe(true);
      expect(ticketPart(m).reason).toBe(
        `no key for krbtgt/${REALM}@${REALM} kvno 1 (aes256-cts-hmac-sha1-96 (18)); 9 other key(s) of this enctype did not fit`,
      );
    }
    expect(ticketPart(third!)).toMatchObject({ decrypted: false });
    expect(ticketPart(third!).reason).toBe(
      `no key for krbtgt/${REALM}@${REALM} kvno 1 (aes256-cts-hmac-sha1-96 (18)); ` +
        `9 other keytab key(s) of this enctype were not tried again: they failed on earlier tickets of krbtgt/${REALM}@${REALM} kvno 1`,
    );
    expect(ring.ruledOut(KRBTGT, 18, 1)).toBe(9);
    // Another kvno of the same service is another key: nothing is known about it.
    expect(ring.ruledOut(KRBTGT, 18, 2)).toBe(0);
  });

  test('a key that opens a ticket under another name is tried first next time; those before it are ruled out at once', () => {
    // The krbtgt key filed under another name (an alias): found among the other keys, after four strangers.
    const ring = new KeyRing().addKeytab([
      ...strangers.slice(0, 4),
      entry(`alias@${REALM}`, krbtgt),
      ...strangers.slice(4),
    ]);
    const [first, second] = reps.slice(0, 2).map((b, i) => decodeMessage(b, ring, { frame: i + 1 }));
    expect(ticketPart(first!)).toMatchObject({ decrypted: true, key: `keytab alias@${REALM} kvno 1` });
    expect(ring.ruledOut(KRBTGT, 18, 1)).toBe(4);
    expect(ticketPart(second!)).toMatchObject({ decrypted: true, key: `keytab alias@${REALM} kvno 1` });
  });

  test('one ticket damaged in the capture rules nothing out: the next good ticket still opens', () => {
    const ring = new KeyRing().addKeytab([...strangers.slice(0, 4), entry(`alias@${REALM}`, krbtgt)]);
    const [bad, good] = reps;
    const m1 = decodeMessage(withDamagedTicket(bad!), ring, { frame: 1 });
    expect(ticketPart(m1)).toMatchObject({ decrypted: false });
    expect(ring.ruledOut(KRBTGT, 18, 1)).toBe(0);
    const m2 = decodeMessage(good!, ring, { frame: 2 });
    expect(ticketPart(m2)).toMatchObject({ decrypted: true, key: `keytab alias@${REALM} kvno 1` });
  });
});

/** The AS-REP with one byte of its ticket's ciphertext changed, as a damaged capture might hold it. */
function withDamagedTicket(bytes: Uint8Array): Uint8Array {
  const rep = decodeAsRep(bytes);
  const cipher = rep.ticket.encPart.cipher.slice();
  cipher[40]! ^= 0xff;
  return encodeAsRep({ ...rep, ticket: { ...rep.ticket, encPart: { ...rep.ticket.encPart, cipher } } });
}

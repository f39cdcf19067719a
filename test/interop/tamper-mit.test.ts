// The playground's tamper (src/world/tamper.ts) against MIT krb5kdc: the same TGS-REQ, changed on the wire
// by an attacker without keys, goes to a real MIT KDC and to ours, and both refuse it with the same code.
// Both KDCs hold the same krbtgt key (MIT's own, exported with ktadd -norandkey), so the TGT our KDC issues
// is as good at MIT's: untampered, both answer with a service ticket (the control). Then one byte of the
// TGT's enc-part is flipped (the ticket no longer decrypts), and req-body's nonce is rewritten (the
// authenticator's checksum no longer covers it).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeApReq, decodeTgsReq } from '../../src/asn1';
import { ErrorCode } from '../../src/asn1/registry';
import { decodeKeytab } from '../../src/formats';
import { buildKdcState, Kdc } from '../../src/kdc';
import { intercept, type TamperEdit } from '../../src/world';
import { hasPackages } from '../setup/needs';
import { MitLab } from './harness/mit';
import { udpExchange } from './harness/process';
import { hostName, name, readReply, seededRandom, signIn, tgsReq } from '../unit/kdc/helper';

const REALM = 'MIT.TEST';

/** The request as the playground's tamper leaves it: the path a run's `tamper` action takes. */
function tampered(bytes: Uint8Array, edit: TamperEdit): Uint8Array {
  const hit = intercept(
    [{ from: 'ws1', message: 'TGS-REQ', skip: 0, edit }],
    'ws1',
    bytes,
    () => undefined,
    seededRandom(5),
  );
  expect(hit?.said.ok, hit?.said.text).toBe(false);
  return hit!.bytes;
}

/** Where the TGT's enc-part cipher starts in a TGS-REQ. */
function ticketCipherOffset(bytes: Uint8Array): number {
  const req = decodeTgsReq(bytes);
  const cipher = decodeApReq(req.padata!.find((p) => p.padataType === 1)!.padataValue).ticket.encPart.cipher;
  for (let i = 0; i + cipher.length <= bytes.length; i++)
    if (cipher.every((b, j) => bytes[i + j] === b)) return i;
  throw new Error('the cipher is not in the message');
}

describe.runIf(hasPackages('krb5-kdc', 'krb5-admin-server'))(
  'a TGS-REQ tampered on the wire, MIT krb5kdc and ours',
  () => {
    let lab: MitLab;
    let ours: Kdc;
    /** A new TGS-REQ for host/svc.mit.test with alice's TGT: its own authenticator, never a replay. */
    let request: () => Uint8Array;

    beforeAll(async () => {
      lab = await MitLab.start({
        realms: [
          {
            name: REALM,
            principals: [
              { name: 'alice', password: 'alice-pw', enctypes: [18] },
              { name: 'host/svc.mit.test', password: 'svc-pw', enctypes: [18] },
            ],
          },
        ],
      });
      const keytab = decodeKeytab(
        readFileSync(await lab.exportKeytab(`${lab.ccache('krbtgt')}.keytab`, [`krbtgt/${REALM}@${REALM}`])),
      );
      const state = buildKdcState(
        {
          realms: [
            {
              name: REALM,
              etypes: [18],
              principals: [
                { name: 'alice', password: 'alice-pw' },
                { name: 'host/svc.mit.test', password: 'svc-pw' },
              ],
            },
          ],
        },
        seededRandom(31),
      );
      // MIT's krbtgt key, as MIT has it (its kvno too), in our KDC's database
      const krbtgt = state.realms[0]!.principals.find((p) => p.name.nameString[0] === 'krbtgt')!;
      krbtgt.keys = keytab.entries
        .filter((e) => e.key.etype === 18)
        .map((e) => ({ etype: 18, kvno: e.kvno, key: e.key.bytes }));
      expect(krbtgt.keys.length).toBe(1);
      ours = new Kdc(state);

      const tgt = signIn(ours, REALM, 'alice', 'alice-pw', Date.now(), seededRandom(32));
      let seed = 40;
      request = () =>
        tgsReq({
          realm: REALM,
          sname: hostName('host', 'svc.mit.test'),
          tgt: tgt.ticket,
          sessionKey: tgt.sessionKey,
          crealm: REALM,
          cname: name('alice'),
          now: Date.now(),
          // whole seconds apart, and a fresh confounder: each authenticator is new to both replay caches
          ctime: Date.now() - (60 - seed) * 1000,
          random: seededRandom(seed++),
        });
    });
    afterAll(async () => {
      await lab?.stop();
    });

    const fromMit = async (bytes: Uint8Array) => readReply(await udpExchange(lab.realm(REALM).port, bytes));
    const fromOurs = (bytes: Uint8Array) =>
      readReply(ours.handle(bytes, { now: Date.now(), random: seededRandom(33) }).reply);
    const said = (r: ReturnType<typeof readReply>) =>
      r.type === 'KRB-ERROR' ? `error ${r.error.errorCode}: ${r.error.eText ?? ''}` : r.type;
    const codeOf = (r: ReturnType<typeof readReply>) => (r.type === 'KRB-ERROR' ? r.error.errorCode : r.type);

    test('control: untampered, both answer with a service ticket', async () => {
      const bytes = request();
      const mit = await fromMit(bytes);
      expect(mit.type, said(mit)).toBe('TGS-REP');
      const mine = fromOurs(bytes);
      expect(mine.type, said(mine)).toBe('TGS-REP');
    });

    test("one byte flipped in the TGT's enc-part: KRB_AP_ERR_BAD_INTEGRITY (31) from both", async () => {
      const sent = request();
      const offset = ticketCipherOffset(sent) + 16;
      const bytes = tampered(sent, { kind: 'byte', offset, value: sent[offset]! ^ 0x01 });
      const mit = await fromMit(bytes);
      expect(codeOf(mit), said(mit)).toBe(ErrorCode.KRB_AP_ERR_BAD_INTEGRITY);
      const mine = fromOurs(bytes);
      expect(codeOf(mine), said(mine)).toBe(ErrorCode.KRB_AP_ERR_BAD_INTEGRITY);
    });

    test("req-body's nonce rewritten: the checksum fails, KRB_AP_ERR_BAD_INTEGRITY (31) from both", async () => {
      const bytes = tampered(request(), { kind: 'field', field: 'req-body.nonce', value: '4242' });
      expect(decodeTgsReq(bytes).reqBody.nonce).toBe(4242);
      // MIT's kdc_util.c (comp_cksum): a keyed checksum over req-body that does not verify
      const mit = await fromMit(bytes);
      expect(codeOf(mit), said(mit)).toBe(ErrorCode.KRB_AP_ERR_BAD_INTEGRITY);
      const mine = fromOurs(bytes);
      expect(codeOf(mine), said(mine)).toBe(ErrorCode.KRB_AP_ERR_BAD_INTEGRITY);
    });
  },
);

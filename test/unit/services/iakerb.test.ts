// IAKERB end to end in memory: our initiator (src/client) through our acceptor (src/services) to a real
// KDC (src/kdc), in both dialects; the finish catches a token changed on the way; the acceptor's own
// errors when no KDC answers.
import { describe, expect, test } from 'vitest';
import {
  decodeIakerbToken,
  decodeKerberos,
  encodeIakerbToken,
  IAKERB_OID,
  isIakerbProxyToken,
  type IakerbDialect,
} from '../../../src/asn1';
import { ErrorCode } from '../../../src/asn1/registry';
import {
  buildApReq,
  iakerbInitiate,
  KerberosClient,
  runClient,
  type IakerbOutcome,
} from '../../../src/client';
import {
  iakerbAnswerToken,
  KerberizedService,
  newIakerbAcceptor,
  readIakerbRequest,
  type AcceptResult,
  type IakerbAcceptorState,
} from '../../../src/services';
import { decodeMessage, KeyRing } from '../../../src/formats/decoder';
import { serviceStateFromKdc } from '../../../src/world/flows';
import { config, REALM } from '../client/config';
import { Net, seededRandom, T0 } from '../client/net';

const SPN = 'cifs/fs1.example.test';

interface Run {
  outcome: IakerbOutcome;
  tokens: Uint8Array[];
  acceptor: IakerbAcceptorState;
  accepted?: AcceptResult;
}

/**
 * Our acceptor in the middle: relays to the network's KDC, then accepts the AP-REQ. `onTheWay` may
 * change a token the acceptor sends before the client reads it.
 */
async function iakerb(
  dialect: IakerbDialect,
  o: { onTheWay?: (t: Uint8Array) => Uint8Array; kdcDown?: boolean } = {},
): Promise<Run> {
  const net = new Net(config);
  if (o.kdcDown) net.down.add(REALM);
  const random = seededRandom(5);
  const clock = () => ({ now: net.now, random });
  const service = new KerberizedService(serviceStateFromKdc(net.kdcs.get(REALM)!.snapshot(), REALM, SPN));
  const acceptor = newIakerbAcceptor();
  const run: Partial<Run> = { tokens: [], acceptor };
  const client = new KerberosClient({ principal: `alice@${REALM}` });
  run.outcome = await iakerbInitiate(
    client,
    { password: 'alice-pw', service: SPN, dialect },
    async (token) => {
      run.tokens!.push(token);
      let out: Uint8Array;
      if (isIakerbProxyToken(token)) {
        const req = readIakerbRequest(acceptor, token);
        if (req.kind !== 'relay') throw new Error(req.kind);
        const a = net.transport({ realm: req.realm, bytes: req.message, message: 'AS-REQ' });
        out = iakerbAnswerToken(
          acceptor,
          req.realm,
          'reply' in a
            ? { reply: a.reply }
            : {
                noKdc: 'no-response',
                now: net.now,
                sname: { nameType: 2, nameString: ['cifs', 'fs1.example.test'] },
              },
        );
      } else {
        run.accepted = service.accept(token, { now: net.now, random, iakerb: acceptor });
        out = run.accepted.ok ? run.accepted.apRep! : run.accepted.error;
      }
      out = o.onTheWay ? o.onTheWay(out) : out;
      run.tokens!.push(out);
      return out;
    },
    clock,
  );
  return run as Run;
}

describe('IAKERB through our acceptor to our KDC', () => {
  test.each(['draft', 'mit-1.20'] as const)(
    '%s: the sign-in and the ticket are relayed, the finish verifies',
    async (dialect) => {
      const r = await iakerb(dialect);
      if (!r.outcome.ok) throw r.outcome.error;
      expect(r.accepted?.ok && r.accepted.identity.principal).toBe(`alice@${REALM}`);
      expect(r.accepted!.events.map((e) => e.text).join('\n')).toMatch(
        new RegExp(`the IAKERB finish verifies.*key usage ${dialect === 'draft' ? 41 : 42}`),
      );
      const decoded = r.tokens.map((t) => decodeKerberos(t));
      expect(decoded.map((d) => d.type)).toEqual([
        'AS-REQ',
        'KRB-ERROR',
        'AS-REQ',
        'AS-REP',
        'TGS-REQ',
        'TGS-REP',
        'AP-REQ',
        'AP-REP',
      ]);
      // The draft frames every token; MIT before 1.22 frames only the initiator's first.
      const framed = decoded.slice(0, 6).map((d) => d.framing[0] === 'gssapi');
      expect(framed).toEqual(
        dialect === 'draft'
          ? [true, true, true, true, true, true]
          : [true, false, false, false, false, false],
      );
      expect(
        decoded
          .slice(0, 6)
          .every((d) => d.iakerb?.header.targetRealm === REALM && d.iakerb.dialect === dialect),
      ).toBe(true);
      expect(decoded[6]!.gss?.thisMech).toBe(IAKERB_OID);
      expect(decoded[7]!.gss?.thisMech).toBe(IAKERB_OID);
      // Both sides hold the same conversation: the six IAKERB tokens.
      const six = r.tokens.slice(0, 6).reduce((n, t) => n + t.length, 0);
      expect(r.acceptor.conv.length).toBe(six);
      expect(r.outcome.conversation.conv).toEqual(r.acceptor.conv);
    },
  );

  test("the inspector's decoder opens the relayed AS-REP inside its IAKERB token with alice's password", async () => {
    const r = await iakerb('mit-1.20');
    const ring = new KeyRing().addPassword(`alice@${REALM}`, 'alice-pw');
    const asRep = decodeMessage(r.tokens[3]!, ring);
    expect(asRep.type).toBe('AS-REP');
    expect(asRep.tree.children!.map((c) => c.name)).toEqual(['tok-id', 'IAKERB-HEADER', 'AS-REP']);
    expect(asRep.encParts.find((p) => p.path === 'enc-part')).toMatchObject({ decrypted: true, keyUsage: 3 });
  });

  test('a token changed on the way (a cookie slipped into the TGS-REP) fails the finish: KRB_AP_ERR_BAD_INTEGRITY', async () => {
    let n = 0;
    const r = await iakerb('draft', {
      onTheWay: (t) => {
        if (++n !== 3) return t;
        const read = decodeIakerbToken(t);
        return encodeIakerbToken({
          header: { ...read.header, cookie: new Uint8Array([1, 2, 3]) },
          message: read.message,
          framed: true,
        });
      },
    });
    expect(r.outcome.ok).toBe(false);
    expect(r.accepted?.ok).toBe(false);
    if (r.accepted?.ok !== false || r.outcome.ok) return;
    expect(r.accepted.errorCode).toBe(ErrorCode.KRB_AP_ERR_BAD_INTEGRITY);
    expect(r.accepted.message).toMatch(/a token was changed on the way/);
    expect(r.outcome.error.code).toBe(ErrorCode.KRB_AP_ERR_BAD_INTEGRITY);
  });

  test('an AP-REQ without the finish is refused after IAKERB: KRB_AP_ERR_INAPP_CKSUM', async () => {
    const r = await iakerb('draft');
    if (!r.outcome.ok) throw r.outcome.error;
    const net = new Net(config);
    const random = seededRandom(9);
    const client = new KerberosClient({ principal: `alice@${REALM}` });
    const relay = (req: { realm: string; bytes: Uint8Array }) => net.transport({ ...req, message: 'AS-REQ' });
    expect(
      runClient(client, { kind: 'sign-in', password: 'alice-pw' }, relay, { now: T0, random }).result.ok,
    ).toBe(true);
    const t = runClient(client, { kind: 'service-ticket', service: SPN }, relay, { now: T0, random }).result;
    if (!t.ok) throw t.error;
    const acceptor = { ...r.acceptor, conv: r.acceptor.conv.slice() };
    const plain = buildApReq(t.credential, { mech: IAKERB_OID }, { now: T0, random });
    const svc = new KerberizedService(serviceStateFromKdc(net.kdcs.get(REALM)!.snapshot(), REALM, SPN));
    const result = svc.accept(plain.token, { now: T0, random, iakerb: acceptor });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errorCode).toBe(ErrorCode.KRB_AP_ERR_INAPP_CKSUM);
  });

  test('when no KDC answers the acceptor, the client hears KRB_AP_ERR_IAKERB_KDC_NO_RESPONSE (86)', async () => {
    const r = await iakerb('draft', { kdcDown: true });
    expect(r.outcome.ok).toBe(false);
    if (r.outcome.ok) return;
    expect(r.outcome.error.message).toMatch(/KRB_AP_ERR_IAKERB_KDC_NO_RESPONSE, 86/);
    const back = decodeKerberos(r.tokens[1]!);
    expect(back.type).toBe('KRB-ERROR');
    if (back.type === 'KRB-ERROR') expect(back.value.errorCode).toBe(86);
  });
});

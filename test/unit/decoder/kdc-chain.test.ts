// Key learning across a whole exchange built by our own KDC (src/kdc): AS with pre-authentication, TGS
// with a subkey, then an AP exchange with AP-REP, KRB-PRIV and KRB-CRED. Given only alice's password and
// the two long-term keys a service and a KDC hold, every encrypted part of every message opens.
import { describe, expect, test } from 'vitest';
import {
  decodeEtypeInfo2,
  decodeKrbError,
  decodeMethodData,
  encodeEtypeInfo2,
  encodeKrbError,
  encodeMethodData,
  PA_TYPE,
  encodeApRep,
  encodeApReq,
  encodeAuthenticator,
  encodeEncApRepPart,
  encodeEncKrbCredPart,
  encodeEncKrbPrivPart,
  encodeKrbCred,
  encodeKrbPriv,
} from '../../../src/asn1';
import { encrypt, KeyUsage, s2kparamsOf, stringToKey } from '../../../src/crypto';
import type { KdcConfig } from '../../../src/kdc';
import { decodeMessage, KeyRing, type DecodedMessage } from '../../../src/formats/decoder';
import { parsePrincipal } from '../../../src/asn1/principal';
import { wholeSeconds } from '../../../src/asn1/time';
import {
  asReq,
  encTimestamp,
  etypeInfoFromError,
  expectError,
  hostName,
  makeKdc,
  name,
  openAsRep,
  openTgsRep,
  randomKey,
  seededRandom,
  T0,
  tgsReq,
} from '../kdc/helper';

const REALM = 'EXAMPLE.TEST';
const SALT = 'EXAMPLE.TESTsalt-from-etype-info2';
const config: KdcConfig = {
  realms: [
    {
      name: REALM,
      krbtgtPassword: 'krbtgt-secret',
      principals: [
        {
          name: 'alice',
          password: 'alice-pw',
          salt: SALT,
          sid: 'S-1-5-21-1-2-3-1104',
          groups: ['S-1-5-21-1-2-3-513'],
        },
        { name: 'cifs/fs1.example.test', password: 'fs1-pw' },
      ],
    },
  ],
};
const krbtgtKey = stringToKey(18, 'krbtgt-secret', `${REALM}krbtgt${REALM}`);
const fs1Key = stringToKey(18, 'fs1-pw', `${REALM}cifsfs1.example.test`);
const keytab = [
  {
    principal: parsePrincipal(`krbtgt/${REALM}@${REALM}`, undefined, 2),
    timestamp: 0,
    kvno: 1,
    key: krbtgtKey,
  },
  {
    principal: parsePrincipal(`cifs/fs1.example.test@${REALM}`, undefined, 3),
    timestamp: 0,
    kvno: 1,
    key: fs1Key,
  },
];

/** Runs the exchange and returns the bytes on the wire, in order, as frames 1…N. */
function exchange(): Uint8Array[] {
  const kdc = makeKdc(config, 3);
  const random = seededRandom(99);
  const now = T0;
  const wire: Uint8Array[] = [];
  const send = (b: Uint8Array) => (wire.push(b), b);

  const first = send(asReq({ realm: REALM, cname: name('alice') }));
  const err = expectError(send(kdc.handle(first, { now, random }).reply));
  const info = etypeInfoFromError(err)[0]!;
  const userKey = stringToKey(info.etype, 'alice-pw', info.salt!);
  const second = send(
    asReq({ realm: REALM, cname: name('alice'), padata: [encTimestamp(userKey, now, random)] }),
  );
  const tgt = openAsRep(send(kdc.handle(second, { now, random }).reply), userKey);

  const subkey = randomKey(18, random);
  const tgs = send(
    tgsReq({
      realm: REALM,
      sname: hostName('cifs', 'fs1.example.test'),
      tgt: tgt.ticket,
      sessionKey: tgt.sessionKey,
      crealm: REALM,
      cname: name('alice'),
      now,
      random,
      subkey,
    }),
  );
  const svc = openTgsRep(
    send(kdc.handle(tgs, { now, random }).reply),
    subkey,
    KeyUsage.TGS_REP_ENCPART_SUBKEY,
  );

  // The AP exchange with the service (RFC 4120 §3.2), and an application message each way.
  const apSubkey = randomKey(18, random);
  send(
    encodeApReq({
      pvno: 5,
      msgType: 14,
      apOptions: 0x20000000,
      ticket: svc.ticket,
      authenticator: {
        etype: 18,
        cipher: encrypt(
          svc.sessionKey,
          KeyUsage.AP_REQ_AUTH,
          encodeAuthenticator({
            authenticatorVno: 5,
            crealm: REALM,
            cname: name('alice'),
            cusec: 0,
            ctime: wholeSeconds(now),
            subkey: { keytype: 18, keyvalue: apSubkey.bytes },
            seqNumber: 1,
          }),
          random,
        ),
      },
    }),
  );
  send(
    encodeApRep({
      pvno: 5,
      msgType: 15,
      encPart: {
        etype: 18,
        cipher: encrypt(
          svc.sessionKey,
          KeyUsage.AP_REP_ENCPART,
          encodeEncApRepPart({ ctime: wholeSeconds(now), cusec: 0, seqNumber: 7 }),
          random,
        ),
      },
    }),
  );
  const addr = { addrType: 2, address: new Uint8Array([192, 0, 2, 1]) };
  send(
    encodeKrbPriv({
      pvno: 5,
      msgType: 21,
      encPart: {
        etype: 18,
        cipher: encrypt(
          apSubkey,
          KeyUsage.KRB_PRIV_ENCPART,
          encodeEncKrbPrivPart({ userData: new TextEncoder().encode('hello'), seqNumber: 2, sAddress: addr }),
          random,
        ),
      },
    }),
  );
  send(
    encodeKrbCred({
      pvno: 5,
      msgType: 22,
      tickets: [tgt.ticket],
      encPart: {
        etype: 18,
        cipher: encrypt(
          svc.sessionKey,
          KeyUsage.KRB_CRED_ENCPART,
          encodeEncKrbCredPart({
            ticketInfo: [
              { key: { keytype: 18, keyvalue: tgt.sessionKey.bytes }, prealm: REALM, pname: name('alice') },
            ],
          }),
          random,
        ),
      },
    }),
  );
  return wire;
}

const TYPES = [
  'AS-REQ',
  'KRB-ERROR',
  'AS-REQ',
  'AS-REP',
  'TGS-REQ',
  'TGS-REP',
  'AP-REQ',
  'AP-REP',
  'KRB-PRIV',
  'KRB-CRED',
];

describe('AS → TGS → AP built by our KDC', () => {
  const wire = exchange();
  const ring = new KeyRing().addKeytab(keytab).addPassword(`alice@${REALM}`, 'alice-pw');
  const messages: DecodedMessage[] = wire.map((b, i) => decodeMessage(b, ring, { frame: i + 1 }));
  const table = messages.flatMap((m) =>
    m.encParts.map(
      (p) =>
        `${m.frame} ${m.type} ${p.path} usage ${p.keyUsage}: ${p.decrypted ? p.key : `NOT OPENED ${p.reason}`}`,
    ),
  );

  test('the messages are the exchange', () => {
    expect(messages.map((m) => m.type)).toEqual(TYPES);
  });

  test('every encrypted part opens, each with the key that belongs to it', () => {
    expect(table).toEqual([
      `3 AS-REQ padata[0].padata-value usage 1: password of alice@${REALM}`,
      `4 AS-REP enc-part usage 3: password of alice@${REALM}`,
      `4 AS-REP ticket.enc-part usage 2: keytab krbtgt/${REALM}@${REALM} kvno 1`,
      `5 TGS-REQ padata[0].padata-value.ticket.enc-part usage 2: keytab krbtgt/${REALM}@${REALM} kvno 1`,
      '5 TGS-REQ padata[0].padata-value.authenticator usage 7: session key learnt in frame 4',
      '6 TGS-REP enc-part usage 9: authenticator subkey learnt in frame 5',
      `6 TGS-REP ticket.enc-part usage 2: keytab cifs/fs1.example.test@${REALM} kvno 1`,
      `7 AP-REQ ticket.enc-part usage 2: keytab cifs/fs1.example.test@${REALM} kvno 1`,
      '7 AP-REQ authenticator usage 11: session key learnt in frame 6',
      '8 AP-REP enc-part usage 12: session key learnt in frame 6',
      '9 KRB-PRIV enc-part usage 13: authenticator subkey learnt in frame 7',
      `10 KRB-CRED tickets[0].enc-part usage 2: keytab krbtgt/${REALM}@${REALM} kvno 1`,
      '10 KRB-CRED enc-part usage 14: session key learnt in frame 6',
    ]);
  });

  test('the password key used the salt the KDC announced in ETYPE-INFO2, not the default one', () => {
    const fresh = new KeyRing().addPassword(`alice@${REALM}`, 'alice-pw');
    const withoutHint = decodeMessage(wire[2]!, fresh, { frame: 3 });
    expect(withoutHint.encParts[0]!.reason).toBe(`integrity check failed with password of alice@${REALM}`);
    decodeMessage(wire[1]!, fresh, { frame: 2 }); // KDC_ERR_PREAUTH_REQUIRED with ETYPE-INFO2
    expect(decodeMessage(wire[2]!, fresh, { frame: 3 }).encParts[0]!.decrypted).toBe(true);
  });

  test('an ETYPE-INFO2 asking for 2^24 iterations: the part says why it stayed closed, and decoding goes on', () => {
    // the KDC's KRB_ERR_PREAUTH_REQUIRED, its s2kparams changed to 2^24 (MIT's clients refuse it)
    const err = decodeKrbError(wire[1]!);
    const md = decodeMethodData(err.eData!).map((pa) =>
      pa.padataType === PA_TYPE.ETYPE_INFO2
        ? {
            ...pa,
            padataValue: encodeEtypeInfo2(
              decodeEtypeInfo2(pa.padataValue).map((e) => ({ ...e, s2kparams: s2kparamsOf(2 ** 24) })),
            ),
          }
        : pa,
    );
    const hostile = encodeKrbError({ ...err, eData: encodeMethodData(md) });
    const ring = new KeyRing().addKeytab(keytab).addPassword(`alice@${REALM}`, 'alice-pw');
    const frames = [hostile, wire[2]!, wire[3]!].map((b, i) => decodeMessage(b, ring, { frame: i + 2 }));
    const timestamp = frames[1]!.encParts[0]!;
    expect(timestamp.decrypted).toBe(false);
    expect(timestamp.reason).toBe(
      `the password of alice@${REALM} was not used: string-to-key refused: 16777216 PBKDF2 iterations for ` +
        'the aes256-cts-hmac-sha1-96 (18) key (as the s2kparams ask) are too many; the most accepted is ' +
        '16777215 (2^24 - 1), as in MIT krb5, which refuses more as "Invalid key generation parameters"; ' +
        'so many would take minutes (real KDCs ask for 4096 with AES-SHA1, 32768 with AES-SHA2)',
    );
    // the AS-REP that follows carries the KDC's true salt information: its parts open
    expect(frames[2]!.encParts.map((p) => [p.path, p.decrypted])).toEqual([
      ['enc-part', true],
      ['ticket.enc-part', true],
    ]);
  });

  /** What each PAC signature check under the part at `path` says ("valid (…)", "not checked …"). */
  const verified = (m: DecodedMessage, path: string): unknown[] => {
    const out: unknown[] = [];
    const walk = (n: { name: string; value?: unknown; children?: unknown[] }) => {
      if (n.name === 'verified') out.push(n.value);
      (n.children as (typeof n)[] | undefined)?.forEach(walk);
    };
    walk(m.encParts.find((p) => p.path === path)!.plain!);
    return out;
  };

  test('the PACs in the TGT and in the service ticket verify with the service and krbtgt keys', () => {
    expect(verified(messages[3]!, 'ticket.enc-part').every((v) => String(v).startsWith('valid'))).toBe(true);
    const svc = verified(messages[5]!, 'ticket.enc-part');
    expect(svc.length).toBeGreaterThanOrEqual(2);
    expect(svc.every((v) => String(v).startsWith('valid'))).toBe(true);
  });

  test('a krbtgt key named by its Active Directory account (krbtgt@REALM) signs the PAC as krbtgt/REALM does', () => {
    // samba-tool domain exportkeytab writes the realm's krbtgt key under the account's name; the service
    // ticket's KDC and ticket signatures are made with it all the same (MS-PAC §2.8.5, §2.8.2).
    const adKeytab = [
      { ...keytab[0]!, principal: parsePrincipal(`krbtgt@${REALM}`, undefined, 1) },
      keytab[1]!,
    ];
    const adRing = new KeyRing().addKeytab(adKeytab).addPassword(`alice@${REALM}`, 'alice-pw');
    const decoded = wire.map((b, i) => decodeMessage(b, adRing, { frame: i + 1 }));
    const checks = verified(decoded[5]!, 'ticket.enc-part').map(String);
    expect(checks.length).toBeGreaterThanOrEqual(2);
    expect(checks.filter((c) => !c.startsWith('valid'))).toEqual([]);
  });
});

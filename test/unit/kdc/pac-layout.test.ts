// The KDC reads a TGT's PAC through src/formats/pac.ts, so the PAC layout rules hold there too: a PAC
// with overlapping buffers is refused even when its signatures are valid (made by someone holding the
// krbtgt key, a trusted realm's KDC for one), before any buffer is decoded or carried on.
import { describe, expect, test } from 'vitest';
import { encodeAuthorizationData, encodeEncTicketPart } from '../../../src/asn1';
import { ErrorCode } from '../../../src/asn1/registry';
import { encrypt, KeyUsage, stringToKey } from '../../../src/crypto';
import { verifyPac } from '../../../src/formats';
import type { KdcConfig } from '../../../src/kdc';
import { findPacIn } from '../../../src/protocol/authdata';
import { signRaw, withExtraDescriptor } from '../formats/pac-craft';
import {
  expectError,
  expectRep,
  hostName,
  makeKdc,
  name,
  openTicket,
  seededRandom,
  signIn,
  T0,
  tgsReq,
} from './helper';

const REALM = 'EXAMPLE.TEST';
const config: KdcConfig = {
  realms: [
    {
      name: REALM,
      krbtgtPassword: 'krbtgt-secret',
      principals: [
        { name: 'alice', password: 'alice-pw', sid: 'S-1-5-21-1-2-3-1104' },
        { name: 'cifs/fs1.example.test', password: 'fs1-pw' },
      ],
    },
  ],
};
const krbtgt = stringToKey(18, 'krbtgt-secret', `${REALM}krbtgt${REALM}`);

describe("the KDC and a TGT's PAC layout", () => {
  test('a validly signed PAC with a descriptor over its LOGON_INFO: refused, naming the overlap', () => {
    const kdc = makeKdc(config, 1);
    const random = seededRandom(101);
    const creds = signIn(kdc, REALM, 'alice', 'alice-pw', T0, random);
    const part = openTicket(creds.ticket, krbtgt);
    const pac = signRaw(
      withExtraDescriptor(findPacIn(part.authorizationData)!, (moved) => ({
        type: 99,
        size: moved[0]!.size,
        offset: moved[0]!.offset,
      })),
      krbtgt,
      krbtgt,
    );
    const tgsFor = (pacBytes: Uint8Array, now: number) => {
      const forged = {
        ...part,
        authorizationData: [
          { adType: 1, adData: encodeAuthorizationData([{ adType: 128, adData: pacBytes }]) },
        ],
      };
      const ticket = {
        ...creds.ticket,
        encPart: {
          ...creds.ticket.encPart,
          cipher: encrypt(krbtgt, KeyUsage.KDC_REP_TICKET, encodeEncTicketPart(forged), random),
        },
      };
      return kdc.handle(
        tgsReq({
          realm: REALM,
          sname: hostName('cifs', 'fs1.example.test'),
          tgt: ticket,
          sessionKey: creds.sessionKey,
          crealm: REALM,
          cname: name('alice'),
          now,
          random,
        }),
        { now, random },
      ).reply;
    };
    // The same signing over the untouched PAC is accepted: only the layout differs. (A second later, so
    // that the replay cache does not answer first.)
    const untouched = signRaw(findPacIn(part.authorizationData)!, krbtgt, krbtgt);
    expect(expectRep(tgsFor(untouched, T0)).msgType).toBe(13);

    const err = expectError(tgsFor(pac, T0 + 1000));
    expect(err.errorCode).toBe(ErrorCode.KRB_ERR_GENERIC);
    expect(err.eText).toMatch(
      /^pac: buffer 1 \(Logon information \(KERB_VALIDATION_INFO\)\) and buffer \d+ \(type 99\) overlap: bytes/,
    );
    // Signed as MS-PAC §2.8 says: it is the layout, not a signature, that the KDC refuses.
    expect(() => verifyPac(pac, { serverKey: krbtgt, kdcKey: krbtgt })).toThrow(/overlap/);
  });
});

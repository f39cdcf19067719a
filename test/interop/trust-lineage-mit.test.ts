// The same hostile cross-realm TGT to MIT krb5kdc and to our KDC: a trusted realm (OTHER.TEST, which holds
// the key krbtgt/MIT.TEST@OTHER.TEST) makes a TGT naming alice@MIT.TEST, a user of the realm it is sent
// to, with a PAC making her RID 500 with groups 512 and 519. MIT refuses it with KDC_ERR_POLICY (12) and
// logs "INVALID LINEAGE"; ours gives the same code. As a control, the same forgery naming bob@OTHER.TEST
// is answered by both: the refusal is for the lineage, not for the way the ticket was made.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeEncTicketPart, type EncTicketPart, type PrincipalName, type Ticket } from '../../src/asn1';
import { ErrorCode, TicketFlag } from '../../src/asn1/registry';
import { encrypt, KeyUsage, randomKey, stringToKey, type Key } from '../../src/crypto';
import {
  buildPac,
  FILETIME_NEVER,
  SE_GROUP_DEFAULT,
  unixSecondsToFileTime,
  type PacBufferContent,
} from '../../src/formats';
import { buildKdcState, Kdc } from '../../src/kdc';
import { wrapPac } from '../../src/protocol/authdata';
import { krbtgtName } from '../../src/asn1/principal';
import { hasPackages } from '../setup/needs';
import { MitLab } from './harness/mit';
import { udpExchange } from './harness/process';
import { expectError, hostName, name, openTgsRep, readReply, seededRandom, tgsReq } from '../unit/kdc/helper';

const REALM = 'MIT.TEST';
const TRUSTED = 'OTHER.TEST';
const TRUST_PW = 'trust-password';
const REALM_SID = 'S-1-5-21-111-222-333';
const TRUSTED_SID = 'S-1-5-21-444-555-666';
const HOUR = 3_600_000;

const trustKey = stringToKey(18, TRUST_PW, `${TRUSTED}krbtgt${REALM}`);

function adminPac(domain: string, user: string): PacBufferContent[] {
  const now = unixSecondsToFileTime(Math.floor(Date.now() / 1000));
  return [
    {
      kind: 'logonInfo',
      type: 1,
      logonInfo: {
        logonTime: now,
        logoffTime: FILETIME_NEVER,
        kickOffTime: FILETIME_NEVER,
        passwordLastSet: now,
        passwordCanChange: now,
        passwordMustChange: FILETIME_NEVER,
        effectiveName: user,
        fullName: user,
        logonScript: '',
        profilePath: '',
        homeDirectory: '',
        homeDirectoryDrive: '',
        logonCount: 1,
        badPasswordCount: 0,
        userId: 500,
        primaryGroupId: 513,
        groupIds: [513, 512, 519].map((relativeId) => ({ relativeId, attributes: SE_GROUP_DEFAULT })),
        userFlags: 0,
        userSessionKey: new Uint8Array(16),
        logonServer: 'DC1',
        logonDomainName: 'DOMAIN',
        logonDomainId: domain,
        userAccountControl: 0x210,
        subAuthStatus: 0,
        lastSuccessfulILogon: 0n,
        lastFailedILogon: 0n,
        failedILogonCount: 0,
        extraSids: [],
        resourceGroupDomainSid: null,
        resourceGroupIds: [],
      },
    },
    { kind: 'clientInfo', type: 10, clientInfo: { clientId: now, name: user } },
  ];
}

/** A TGT krbtgt/MIT.TEST@OTHER.TEST in the trust key, as OTHER.TEST (or whoever holds its key) can make. */
function forge(
  crealm: string,
  cname: PrincipalName,
  pac: PacBufferContent[],
  session: Key,
  now: number,
): Ticket {
  const random = seededRandom(21);
  const second = Math.floor(now / 1000) * 1000; // KerberosTime has whole seconds
  const part: EncTicketPart = {
    flags: TicketFlag.FORWARDABLE | TicketFlag.RENEWABLE | TicketFlag.PRE_AUTHENT,
    key: { keytype: session.etype, keyvalue: session.bytes },
    crealm,
    cname,
    transited: { trType: 1, contents: new Uint8Array(0) },
    authtime: new Date(second),
    starttime: new Date(second),
    endtime: new Date(second + 10 * HOUR),
    authorizationData: wrapPac(buildPac(pac, { serverKey: trustKey, kdcKey: randomKey(18, random) })),
  };
  return {
    tktVno: 5,
    realm: TRUSTED,
    sname: krbtgtName(REALM),
    encPart: {
      etype: 18,
      kvno: 1,
      cipher: encrypt(trustKey, KeyUsage.KDC_REP_TICKET, encodeEncTicketPart(part), random),
    },
  };
}

describe.runIf(hasPackages('krb5-kdc', 'krb5-admin-server'))(
  'a cross-realm TGT naming a client of the realm it is sent to',
  () => {
    let lab: MitLab;
    // Our KDC, serving the same realm with the same trust key.
    const ours = new Kdc(
      buildKdcState(
        {
          realms: [
            {
              name: REALM,
              etypes: [18],
              domainSid: REALM_SID,
              principals: [
                { name: 'alice', password: 'alice-pw', sid: `${REALM_SID}-1104` },
                { name: 'host/svc.mit.test', password: 'svc-pw' },
              ],
            },
          ],
          trusts: [{ from: TRUSTED, to: REALM, password: TRUST_PW, etypes: [18] }],
        },
        seededRandom(22),
      ),
    );

    beforeAll(async () => {
      lab = await MitLab.start({
        realms: [
          {
            name: REALM,
            principals: [
              { name: 'alice', password: 'alice-pw' },
              { name: 'host/svc.mit.test', password: 'svc-pw', enctypes: [18] },
            ],
          },
        ],
        trusts: [{ from: TRUSTED, to: REALM, password: TRUST_PW, enctypes: [18] }],
      });
    });
    afterAll(async () => {
      await lab?.stop();
    });

    function request(
      crealm: string,
      cname: PrincipalName,
      domain: string,
    ): { bytes: Uint8Array; session: Key } {
      const now = Date.now();
      const random = seededRandom(23);
      const session = randomKey(18, random);
      const tgt = forge(crealm, cname, adminPac(domain, cname.nameString[0]!), session, now);
      const bytes = tgsReq({
        realm: REALM,
        sname: hostName('host', 'svc.mit.test'),
        tgt,
        sessionKey: session,
        crealm,
        cname,
        now,
        random,
      });
      return { bytes, session };
    }

    test('MIT krb5kdc: KDC_ERR_POLICY (12), "INVALID LINEAGE" in its log; ours: the same code', async () => {
      const { bytes } = request(REALM, name('alice'), REALM_SID);
      const mit = expectError(await udpExchange(lab.realm(REALM).port, bytes));
      expect(mit.errorCode).toBe(ErrorCode.KDC_ERR_POLICY);
      expect(readFileSync(lab.realm(REALM).log, 'utf8')).toMatch(/INVALID LINEAGE/);

      const mine = expectError(ours.handle(bytes, { now: Date.now(), random: seededRandom(24) }).reply);
      expect(mine.errorCode).toBe(ErrorCode.KDC_ERR_POLICY);
    });

    test('control: the same forgery naming a user of the trusted realm gets a service ticket from both', async () => {
      const { bytes, session } = request(TRUSTED, name('bob'), TRUSTED_SID);
      const mit = readReply(await udpExchange(lab.realm(REALM).port, bytes));
      expect(
        mit.type,
        mit.type === 'KRB-ERROR' ? `MIT said ${mit.error.errorCode}: ${mit.error.eText}` : '',
      ).toBe('TGS-REP');
      const mine = openTgsRep(
        ours.handle(bytes, { now: Date.now(), random: seededRandom(25) }).reply,
        session,
      );
      expect(mine.part.sname.nameString).toEqual(['host', 'svc.mit.test']);
    });
  },
);

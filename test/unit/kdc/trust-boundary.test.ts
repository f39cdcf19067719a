// The trust boundary, attacked as a compromised trusted realm would attack it. A realm that shares a
// cross-realm key with this KDC can make any TGT it likes in that key: it names any client and writes any
// PAC, and signs the PAC correctly. What this KDC must still refuse:
//  - a client of this KDC's own realm in such a TGT (MIT krb5kdc: KDC_ERR_POLICY, "INVALID LINEAGE");
//  - SIDs the trust may not pass (MS-PAC §4.1.2.2 SID filtering): this domain's own SIDs (RIDs 500, 512,
//    519 of its domain SID), well-known SIDs, SIDs of domains the trusted realm does not speak for.
// And krbtgt and trust principals never answer AS-REQs as clients (their keys would be guessable offline).
import { describe, expect, test } from 'vitest';
import { encodeEncTicketPart, type EncTicketPart, type PrincipalName, type Ticket } from '../../../src/asn1';
import { ErrorCode, TicketFlag } from '../../../src/asn1/registry';
import { encrypt, KeyUsage, stringToKey, type Key } from '../../../src/crypto';
import {
  buildPac,
  decodePac,
  findPacBuffer,
  SE_GROUP_DEFAULT,
  unixSecondsToFileTime,
  FILETIME_NEVER,
  verifyPac,
  type KerbValidationInfo,
  type PacBufferContent,
} from '../../../src/formats';
import { findPacIn, wrapPac } from '../../../src/protocol/authdata';
import { krbtgtName } from '../../../src/asn1/principal';
import { buildKdcState, Kdc, type KdcConfig } from '../../../src/kdc';
import {
  asReq,
  encTimestamp,
  expectError,
  HOUR,
  hostName,
  makeKdc,
  name,
  openTgsRep,
  openTicket,
  randomKey,
  seededRandom,
  signIn,
  T0,
  tgsReq,
} from './helper';

const LOCAL = 'EXAMPLE.TEST';
const TRUSTED = 'OTHER.TEST';
const LOCAL_SID = 'S-1-5-21-100-200-300';
const TRUSTED_SID = 'S-1-5-21-700-800-900';
const THIRD_SID = 'S-1-5-21-9-9-9';

const config: KdcConfig = {
  realms: [
    {
      name: LOCAL,
      etypes: [18],
      krbtgtPassword: 'krbtgt-secret',
      domainSid: LOCAL_SID,
      principals: [
        { name: 'administrator', password: 'admin-pw', sid: `${LOCAL_SID}-500` },
        { name: 'alice', password: 'alice-pw', sid: `${LOCAL_SID}-1104`, groups: [`${LOCAL_SID}-513`] },
        { name: 'cifs/fs1.example.test', password: 'fs1-pw' },
      ],
    },
  ],
  // OTHER.TEST's principals may use EXAMPLE.TEST's services: EXAMPLE.TEST holds krbtgt/EXAMPLE.TEST@OTHER.TEST.
  trusts: [{ from: TRUSTED, to: LOCAL, password: 'trust-pw', etypes: [18] }],
};

// Keys are derived once, when the file loads (PBKDF2 is slow on purpose); each test gets a fresh copy.
const base = buildKdcState(config, seededRandom(1));
const fresh = () => Kdc.restore(base);

const trustKey = stringToKey(18, 'trust-pw', `${TRUSTED}krbtgt${LOCAL}`);
const localKrbtgt = stringToKey(18, 'krbtgt-secret', `${LOCAL}krbtgt${LOCAL}`);
const fs1Key = stringToKey(18, 'fs1-pw', `${LOCAL}cifsfs1.example.test`);
/** OTHER.TEST's own krbtgt key: it makes the KDC signature, which EXAMPLE.TEST cannot check. */
const trustedKrbtgt = stringToKey(18, 'other-krbtgt', `${TRUSTED}krbtgt${TRUSTED}`);

const LOGON_EXTRA_SIDS = 0x20;
const LOGON_RESOURCE_GROUPS = 0x200;

function logonInfo(o: {
  domain: string;
  userId: number;
  groups: number[];
  extraSids?: string[];
  resource?: { domain: string; rids: number[] };
}): KerbValidationInfo {
  const now = unixSecondsToFileTime(T0 / 1000);
  return {
    logonTime: now,
    logoffTime: FILETIME_NEVER,
    kickOffTime: FILETIME_NEVER,
    passwordLastSet: now,
    passwordCanChange: now,
    passwordMustChange: FILETIME_NEVER,
    effectiveName: 'bob',
    fullName: 'Bob',
    logonScript: '',
    profilePath: '',
    homeDirectory: '',
    homeDirectoryDrive: '',
    logonCount: 1,
    badPasswordCount: 0,
    userId: o.userId,
    primaryGroupId: 513,
    groupIds: o.groups.map((relativeId) => ({ relativeId, attributes: SE_GROUP_DEFAULT })),
    userFlags: (o.extraSids?.length ? LOGON_EXTRA_SIDS : 0) | (o.resource ? LOGON_RESOURCE_GROUPS : 0),
    userSessionKey: new Uint8Array(16),
    logonServer: 'DC1',
    logonDomainName: 'OTHER',
    logonDomainId: o.domain,
    userAccountControl: 0x210,
    subAuthStatus: 0,
    lastSuccessfulILogon: 0n,
    lastFailedILogon: 0n,
    failedILogonCount: 0,
    extraSids: (o.extraSids ?? []).map((sid) => ({ sid, attributes: SE_GROUP_DEFAULT })),
    resourceGroupDomainSid: o.resource?.domain ?? null,
    resourceGroupIds: (o.resource?.rids ?? []).map((relativeId) => ({
      relativeId,
      attributes: SE_GROUP_DEFAULT,
    })),
  };
}

/**
 * What a compromised OTHER.TEST can make: a TGT krbtgt/EXAMPLE.TEST@OTHER.TEST in the cross-realm key,
 * naming any client, with any PAC, the PAC's server signature made with that same key (so it verifies).
 */
function forgeCrossRealmTgt(
  crealm: string,
  cname: PrincipalName,
  buffers: PacBufferContent[],
  sessionKey: Key,
  random = seededRandom(7),
): Ticket {
  const pac = buildPac(buffers, { serverKey: trustKey, kdcKey: trustedKrbtgt });
  const part: EncTicketPart = {
    flags: TicketFlag.FORWARDABLE | TicketFlag.RENEWABLE | TicketFlag.PRE_AUTHENT,
    key: { keytype: sessionKey.etype, keyvalue: sessionKey.bytes },
    crealm,
    cname,
    transited: { trType: 1, contents: new Uint8Array(0) },
    authtime: new Date(T0),
    starttime: new Date(T0),
    endtime: new Date(T0 + 10 * HOUR),
    renewTill: new Date(T0 + 24 * HOUR),
    authorizationData: wrapPac(pac),
  };
  return {
    tktVno: 5,
    realm: TRUSTED,
    sname: krbtgtName(LOCAL),
    encPart: {
      etype: 18,
      kvno: 1,
      cipher: encrypt(trustKey, KeyUsage.KDC_REP_TICKET, encodeEncTicketPart(part), random),
    },
  };
}

/** The hostile PAC of the issue: user RID 500, groups 512 and 519, all in `domain`. */
function adminPac(domain: string, extra: Partial<Parameters<typeof logonInfo>[0]> = {}): PacBufferContent[] {
  return [
    {
      kind: 'logonInfo',
      type: 1,
      logonInfo: logonInfo({ domain, userId: 500, groups: [513, 512, 519], ...extra }),
    },
    { kind: 'clientInfo', type: 10, clientInfo: { clientId: unixSecondsToFileTime(T0 / 1000), name: 'bob' } },
  ];
}

function askFs1(kdc: Kdc, tgt: Ticket, sessionKey: Key, crealm: string, cname: PrincipalName) {
  const random = seededRandom(11);
  return kdc.handle(
    tgsReq({
      realm: LOCAL,
      sname: hostName('cifs', 'fs1.example.test'),
      tgt,
      sessionKey,
      crealm,
      cname,
      now: T0 + 1000,
      random,
    }),
    { now: T0 + 1000, random },
  );
}

describe('a cross-realm TGT naming a client of this realm (MIT: INVALID LINEAGE)', () => {
  test('a trusted realm cannot speak for this realm’s own users: KDC_ERR_POLICY (12), in words a learner follows', () => {
    const kdc = fresh();
    const session = randomKey(18, seededRandom(3));
    const tgt = forgeCrossRealmTgt(LOCAL, name('administrator'), adminPac(LOCAL_SID), session);
    const r = askFs1(kdc, tgt, session, LOCAL, name('administrator'));
    const err = expectError(r.reply);
    expect(err.errorCode).toBe(ErrorCode.KDC_ERR_POLICY);
    expect(err.eText).toMatch(/administrator@EXAMPLE\.TEST/);
    expect(err.eText).toMatch(/OTHER\.TEST/);
    const why = r.events.find((e) => e.stage === 'refuse');
    expect(why?.ok).toBe(false);
    expect(why?.text).toMatch(/only EXAMPLE\.TEST itself/);
  });

  test('the realm name is compared as AD compares domain names: in any case', () => {
    const kdc = fresh();
    const session = randomKey(18, seededRandom(4));
    const tgt = forgeCrossRealmTgt('example.test', name('administrator'), adminPac(TRUSTED_SID), session);
    const err = expectError(askFs1(kdc, tgt, session, 'example.test', name('administrator')).reply);
    expect(err.errorCode).toBe(ErrorCode.KDC_ERR_POLICY);
  });

  test('a TGT this realm issued itself to its own user is not affected', () => {
    const kdc = fresh();
    const random = seededRandom(5);
    const creds = signIn(kdc, LOCAL, 'alice', 'alice-pw', T0, random);
    const svc = openTgsRep(
      askFs1(kdc, creds.ticket, creds.sessionKey, LOCAL, name('alice')).reply,
      creds.sessionKey,
    );
    expect(svc.part.sname.nameString).toEqual(['cifs', 'fs1.example.test']);
  });
});

describe('SID filtering of a PAC that crosses a trust (MS-PAC §4.1.2.2)', () => {
  const hostileExtras = [
    `${LOCAL_SID}-500`, // this domain's Administrator
    `${LOCAL_SID}-512`, // this domain's Domain Admins
    `${LOCAL_SID}-519`, // this domain's Enterprise Admins
    'S-1-5-32-544', // BUILTIN\Administrators
    'S-1-5-18', // Local System
    'S-1-5-9', // Enterprise Domain Controllers
    'S-1-5-21-0-0-0-497', // Claims Valid: only the KDC that checked the claims adds it
    `${THIRD_SID}-1234`, // a group of a domain OTHER.TEST does not speak for
    `${TRUSTED_SID}-1300`, // a group of OTHER.TEST's own domain: passes
    'S-1-18-1', // "authentication authority asserted identity": passes
  ];

  function hostileTicket() {
    const kdc = fresh();
    const session = randomKey(18, seededRandom(6));
    const tgt = forgeCrossRealmTgt(
      TRUSTED,
      name('bob'),
      adminPac(TRUSTED_SID, {
        extraSids: hostileExtras,
        resource: { domain: LOCAL_SID, rids: [512, 544] },
      }),
      session,
    );
    const r = askFs1(kdc, tgt, session, TRUSTED, name('bob'));
    const svc = openTgsRep(r.reply, session);
    return { r, pac: findPacIn(openTicket(svc.ticket, fs1Key).authorizationData)! };
  }

  test('this domain’s SIDs, well-known SIDs and a third domain’s SIDs are gone from the service ticket; its signatures verify', () => {
    const { pac } = hostileTicket();
    const check = verifyPac(pac, { serverKey: fs1Key, kdcKey: localKrbtgt });
    expect(check.server.status).toBe('valid');
    expect(check.kdc.status).toBe('valid');
    const logon = findPacBuffer(decodePac(pac), 'logonInfo')!;
    // OTHER.TEST's own accounts and groups are its business (an administrator of OTHER.TEST is not one here).
    expect(logon.sids!.userSid).toBe(`${TRUSTED_SID}-500`);
    expect(logon.sids!.groupSids).toEqual([`${TRUSTED_SID}-513`, `${TRUSTED_SID}-512`, `${TRUSTED_SID}-519`]);
    expect(logon.sids!.extraSids).toEqual([`${TRUSTED_SID}-1300`, 'S-1-18-1']);
    expect(logon.sids!.resourceGroupSids).toEqual([]);
    expect(logon.logonInfo.resourceGroupDomainSid).toBeNull();
    expect(logon.logonInfo.userFlags & LOGON_RESOURCE_GROUPS).toBe(0);
    expect(logon.logonInfo.userFlags & LOGON_EXTRA_SIDS).toBe(LOGON_EXTRA_SIDS);
    const every = [...logon.sids!.groupSids, ...logon.sids!.extraSids, ...logon.sids!.resourceGroupSids];
    for (const sid of [
      `${LOCAL_SID}-500`,
      `${LOCAL_SID}-512`,
      `${LOCAL_SID}-519`,
      'S-1-5-32-544',
      'S-1-5-18',
    ])
      expect(every).not.toContain(sid);
  });

  test('the KDC says which SIDs it removed and why', () => {
    const { r } = hostileTicket();
    const text = r.events
      .filter((e) => e.stage === 'pac')
      .map((e) => e.text)
      .join('\n');
    expect(text).toMatch(/MS-PAC §4\.1\.2\.2/);
    expect(text).toMatch(new RegExp(`${LOCAL_SID}-512 \\(Domain Admins of EXAMPLE\\.TEST\\)`));
    expect(text).toMatch(/S-1-5-32-544 \(BUILTIN\\Administrators\)/);
    expect(text).toMatch(new RegExp(`${THIRD_SID}-1234`));
    expect(text).toMatch(/only EXAMPLE\.TEST's own KDC/);
  });

  test('a PAC that makes the user an account of this domain is refused: KDC_ERR_POLICY (12)', () => {
    const kdc = fresh();
    const session = randomKey(18, seededRandom(8));
    const tgt = forgeCrossRealmTgt(TRUSTED, name('bob'), adminPac(LOCAL_SID), session);
    const r = askFs1(kdc, tgt, session, TRUSTED, name('bob'));
    const err = expectError(r.reply);
    expect(err.errorCode).toBe(ErrorCode.KDC_ERR_POLICY);
    expect(err.eText).toMatch(new RegExp(`${LOCAL_SID}-500`));
    expect(r.events.find((e) => e.stage === 'refuse')?.text).toMatch(/may speak only for its own accounts/);
  });

  test('device information in a foreign PAC does not pass (it would carry unfiltered SIDs)', () => {
    const kdc = fresh();
    const session = randomKey(18, seededRandom(9));
    const device: PacBufferContent = {
      kind: 'deviceInfo',
      type: 14,
      deviceInfo: {
        userId: 1200,
        primaryGroupId: 515,
        accountDomainId: LOCAL_SID,
        accountGroupIds: [{ relativeId: 512, attributes: SE_GROUP_DEFAULT }],
        extraSids: [],
        domainGroups: [],
      },
    };
    const tgt = forgeCrossRealmTgt(TRUSTED, name('bob'), [...adminPac(TRUSTED_SID), device], session);
    const svc = openTgsRep(askFs1(kdc, tgt, session, TRUSTED, name('bob')).reply, session);
    const pac = decodePac(findPacIn(openTicket(svc.ticket, fs1Key).authorizationData)!);
    expect(pac.buffers.map((b) => b.type)).not.toContain(14);
    expect(findPacBuffer(pac, 'logonInfo')!.sids!.userSid).toBe(`${TRUSTED_SID}-500`);
  });
});

describe('the scenarios’ trust keeps working: CORP → the cloud realm (Entra modelled)', () => {
  const CORP = 'CORP.CONTOSO.COM';
  const CLOUD = 'KERBEROS.MICROSOFTONLINE.COM';
  const CORP_SID = 'S-1-5-21-2146773085-903363285-719344707';
  const cloudConfig: KdcConfig = {
    realms: [
      {
        name: CORP,
        etypes: [18],
        domainSid: CORP_SID,
        principals: [
          {
            name: 'alice',
            password: 'alice-pw',
            sid: `${CORP_SID}-1104`,
            groups: [`${CORP_SID}-513`, `${CORP_SID}-2201`],
          },
        ],
        hostRealm: { '.file.core.windows.net': CLOUD },
      },
      {
        name: CLOUD,
        etypes: [18],
        domainSid: 'S-1-5-21-3623811015-3361044348-30300820',
        principals: [{ name: 'cifs/contoso.file.core.windows.net', password: 'files-pw', etypes: [18] }],
      },
    ],
    trusts: [{ from: CORP, to: CLOUD, password: 'azure-ad-kerberos-server-key', etypes: [18] }],
  };
  const cloudBase = buildKdcState(cloudConfig, seededRandom(2));

  test('the on-prem user and group SIDs (synced to Entra) survive the cloud realm’s SID filter', () => {
    const kdc = Kdc.restore(cloudBase);
    const random = seededRandom(12);
    const creds = signIn(kdc, CORP, 'alice', 'alice-pw', T0, random);
    const base = {
      tgt: creds.ticket,
      sessionKey: creds.sessionKey,
      crealm: CORP,
      cname: name('alice'),
      random,
    };
    const ref = openTgsRep(
      kdc.handle(
        tgsReq({ ...base, realm: CORP, sname: hostName('cifs', 'contoso.file.core.windows.net'), now: T0 }),
        { now: T0, random },
      ).reply,
      creds.sessionKey,
    );
    expect(ref.ticket.sname.nameString).toEqual(['krbtgt', CLOUD]);
    const r = kdc.handle(
      tgsReq({
        ...base,
        tgt: ref.ticket,
        sessionKey: ref.sessionKey,
        realm: CLOUD,
        sname: hostName('cifs', 'contoso.file.core.windows.net'),
        now: T0 + 1000,
      }),
      { now: T0 + 1000, random },
    );
    const svc = openTgsRep(r.reply, ref.sessionKey);
    const files = stringToKey(18, 'files-pw', `${CLOUD}cifscontoso.file.core.windows.net`);
    const logon = findPacBuffer(
      decodePac(findPacIn(openTicket(svc.ticket, files).authorizationData)!),
      'logonInfo',
    )!;
    expect(logon.sids!.userSid).toBe(`${CORP_SID}-1104`);
    expect(logon.sids!.groupSids).toEqual([`${CORP_SID}-513`, `${CORP_SID}-2201`]);
    expect(r.events.some((e) => e.stage === 'pac' && /Nothing to remove/.test(e.text))).toBe(true);
  });

  test('two realms configured without a domain SID do not share one (a PAC would otherwise look local)', () => {
    const kdc = makeKdc({
      realms: [
        {
          name: 'A.TEST',
          etypes: [18],
          principals: [{ name: 'u', password: 'u-pw' }],
          hostRealm: { '.b.test': 'B.TEST' },
        },
        { name: 'B.TEST', etypes: [18], principals: [{ name: 'host/s.b.test', password: 's-pw' }] },
      ],
      trusts: [{ from: 'A.TEST', to: 'B.TEST', password: 't-pw' }],
    });
    const [a, b] = kdc.database.realms;
    expect(a!.domainSid).toMatch(/^S-1-5-21(-\d+){3}$/);
    expect(b!.domainSid).toMatch(/^S-1-5-21(-\d+){3}$/);
    expect(a!.domainSid).not.toBe(b!.domainSid);
    // and the same realm name gives the same SID every time (the world replays byte for byte)
    expect(makeKdc({ realms: [{ name: 'A.TEST' }] }).database.realms[0]!.domainSid).toBe(a!.domainSid);
    const random = seededRandom(13);
    const creds = signIn(kdc, 'A.TEST', 'u', 'u-pw', T0, random);
    const base = { sessionKey: creds.sessionKey, crealm: 'A.TEST', cname: name('u'), random };
    const ref = openTgsRep(
      kdc.handle(
        tgsReq({ ...base, tgt: creds.ticket, realm: 'A.TEST', sname: hostName('host', 's.b.test'), now: T0 }),
        {
          now: T0,
          random,
        },
      ).reply,
      creds.sessionKey,
    );
    const svc = kdc.handle(
      tgsReq({
        ...base,
        tgt: ref.ticket,
        sessionKey: ref.sessionKey,
        realm: 'B.TEST',
        sname: hostName('host', 's.b.test'),
        now: T0 + 1000,
      }),
      { now: T0 + 1000, random },
    );
    expect(openTgsRep(svc.reply, ref.sessionKey).part.sname.nameString).toEqual(['host', 's.b.test']);
  });
});

describe('krbtgt and trust principals are never AS clients (Active Directory keeps krbtgt disabled)', () => {
  const asConfig: KdcConfig = {
    realms: [
      {
        name: LOCAL,
        etypes: [18],
        krbtgtPassword: 'krbtgt-secret',
        principals: [{ name: 'alice', password: 'alice-pw' }],
      },
      { name: TRUSTED, etypes: [18] },
    ],
    trusts: [{ from: LOCAL, to: TRUSTED, password: 'weak', bidirectional: true, etypes: [18] }],
  };
  const asBase = buildKdcState(asConfig, seededRandom(3));

  test.each([
    ['the realm’s krbtgt', krbtgtName(LOCAL)],
    ['an outgoing trust principal', krbtgtName(TRUSTED)],
  ])(
    '%s without pre-authentication: KDC_ERR_CLIENT_REVOKED (18), no AS-REP and no salt to guess with',
    (_, cname) => {
      const kdc = Kdc.restore(asBase);
      const random = seededRandom(14);
      const r = kdc.handle(asReq({ realm: LOCAL, cname }), { now: T0, random });
      const err = expectError(r.reply);
      expect(err.errorCode).toBe(ErrorCode.KDC_ERR_CLIENT_REVOKED);
      expect(err.eData).toBeUndefined();
      expect(err.eText).toMatch(/never signs in/);
      expect(r.events.some((e) => e.stage === 'preauth')).toBe(false);
    },
  );

  test('even with a correct PA-ENC-TIMESTAMP in the krbtgt key', () => {
    const kdc = Kdc.restore(asBase);
    const random = seededRandom(15);
    const padata = [encTimestamp(localKrbtgt, T0, random)];
    const err = expectError(
      kdc.handle(asReq({ realm: LOCAL, cname: krbtgtName(LOCAL), padata }), { now: T0, random }).reply,
    );
    expect(err.errorCode).toBe(ErrorCode.KDC_ERR_CLIENT_REVOKED);
  });

  test('an ordinary user still signs in and gets a TGT for krbtgt', () => {
    const kdc = Kdc.restore(asBase);
    const creds = signIn(kdc, LOCAL, 'alice', 'alice-pw', T0, seededRandom(16));
    expect(creds.part.sname.nameString).toEqual(['krbtgt', LOCAL]);
  });
});

// The PAC (MS-PAC) against test/fixtures/vectors/pac.json: real PACs from gokrb5's and Kerberos.NET's
// tests decode to the fields those projects assert, their signatures verify with the recorded keys
// (and fail with one byte changed), and PACs we build decode back equal and verify.
import { describe, expect, test } from 'vitest';
import { stringToKey, type Key } from '../../../src/crypto';
import {
  buildPac,
  decodePac,
  decodePacBuffer,
  encodeKerbValidationInfo,
  encodePac,
  FILETIME_NEVER,
  fileTimeToIso,
  findPacBuffer,
  FormatError,
  MAX_PAC_BUFFERS,
  parseSid,
  sidToString,
  signPac,
  unixSecondsToFileTime,
  verifyPac,
  type KerbValidationInfo,
  type Pac,
  type PacBufferContent,
} from '../../../src/formats';
import { fromHex, toHex } from '../../../src/util/bytes';
import v from '../../fixtures/vectors/pac.json';
import { craftPac, descriptorsOf, withExtraDescriptor } from './pac-craft';

type Sample = (typeof v.pacs)[number];
const whole = v.pacs.filter((p) => !('buffer_type' in p)) as (Sample & {
  decoded_by_helper: DecodedByHelper;
})[];

interface DecodedByHelper {
  buffers: { offset: number; size: number; type: number }[];
  c_buffers: number;
  client_info: { client_id_raw: number; name: string };
  server_signature: { signature_hex: string; signature_type: number };
  kdc_signature: { signature_hex: string; signature_type: number };
  upn_dns_info?: { dns_domain: string; flags: number; upn: string };
  logon_info_filetimes_read_from_ndr?: Record<string, { raw_hex: string }>;
}

interface Expected {
  EffectiveName: string;
  FullName: string;
  LogonScript: string;
  ProfilePath: string;
  HomeDirectory: string;
  HomeDirectoryDrive: string;
  LogonCount: number;
  BadPasswordCount: number;
  UserID: number;
  PrimaryGroupID: number;
  GroupCount: number;
  UserFlags: number;
  LogonServer: string;
  LogonDomainName: string;
  LogonDomainID: string;
  UserAccountControl: number;
  SubAuthStatus: number;
  FailedILogonCount: number;
  SIDCount: number;
  GroupIDs: { relative_id: number; attributes: number }[];
  'ExtraSIDs(as asserted)': { sid: string; attributes: number }[];
  ResourceGroupDomainSID?: string;
  ResourceGroupIDs?: { relative_id: number; attributes: number }[];
  GroupMembershipSIDs?: string[];
}

function keysOf(p: Sample): { server?: Key; kdc?: Key } {
  const k = p.keys as Record<string, string | number> | null;
  if (!k) return {};
  const etype = (k.server_key_etype ?? k.key_etype) as number;
  if (k.server_and_kdc_signature_key_hex) {
    const key = { etype, bytes: fromHex(k.server_and_kdc_signature_key_hex as string) };
    return { server: key, kdc: key };
  }
  return { server: { etype, bytes: fromHex(k.server_signature_key_hex as string) } };
}

const FT_FIELDS: Record<string, keyof KerbValidationInfo> = {
  LogonTime: 'logonTime',
  LogoffTime: 'logoffTime',
  KickOffTime: 'kickOffTime',
  PasswordLastSet: 'passwordLastSet',
  PasswordCanChange: 'passwordCanChange',
  PasswordMustChange: 'passwordMustChange',
};

function checkLogonInfo(info: KerbValidationInfo, e: Expected) {
  expect(info).toMatchObject({
    effectiveName: e.EffectiveName,
    fullName: e.FullName,
    logonScript: e.LogonScript,
    profilePath: e.ProfilePath,
    homeDirectory: e.HomeDirectory,
    homeDirectoryDrive: e.HomeDirectoryDrive,
    logonCount: e.LogonCount,
    badPasswordCount: e.BadPasswordCount,
    userId: e.UserID,
    primaryGroupId: e.PrimaryGroupID,
    userFlags: e.UserFlags,
    logonServer: e.LogonServer,
    logonDomainName: e.LogonDomainName,
    logonDomainId: e.LogonDomainID,
    userAccountControl: e.UserAccountControl,
    subAuthStatus: e.SubAuthStatus,
    failedILogonCount: e.FailedILogonCount,
  });
  expect(info.groupIds).toHaveLength(e.GroupCount);
  // gokrb5's trust test lists the resource groups after the groups: compare the first GroupCount.
  expect(info.groupIds).toEqual(
    e.GroupIDs.slice(0, e.GroupCount).map((g) => ({ relativeId: g.relative_id, attributes: g.attributes })),
  );
  expect(info.extraSids).toHaveLength(e.SIDCount);
  const asserted = e['ExtraSIDs(as asserted)'];
  expect(info.extraSids.slice(0, asserted.length)).toEqual(asserted);
  if (e.ResourceGroupDomainSID) {
    expect(info.resourceGroupDomainSid).toBe(e.ResourceGroupDomainSID);
    expect(info.resourceGroupIds).toEqual(
      e.ResourceGroupIDs!.map((g) => ({ relativeId: g.relative_id, attributes: g.attributes })),
    );
  }
}

const ft = (hex: string) => BigInt('0x' + hex);

describe('PAC samples decode', () => {
  test.each(whole.map((p) => [p.name, p]))('%s: buffers, client info, UPN/DNS info, signatures', (_n, p) => {
    const d = p.decoded_by_helper;
    const pac = decodePac(fromHex(p.hex));
    expect(pac.version).toBe(0);
    expect(pac.buffers.map((b) => ({ type: b.type, offset: b.offset, size: b.size }))).toEqual(d.buffers);

    const ci = findPacBuffer(pac, 'clientInfo')!.clientInfo;
    expect(ci.name).toBe(d.client_info.name);
    expect(ci.clientId).toBe(BigInt(d.client_info.client_id_raw));

    if (d.upn_dns_info) {
      expect(findPacBuffer(pac, 'upnDnsInfo')!.upnDnsInfo).toEqual({
        upn: d.upn_dns_info.upn,
        dnsDomainName: d.upn_dns_info.dns_domain,
        flags: d.upn_dns_info.flags,
      });
    }
    const sig = (type: number) => pac.buffers.find((b) => b.type === type)!;
    for (const [type, want] of [
      [6, d.server_signature],
      [7, d.kdc_signature],
    ] as const) {
      const b = sig(type);
      if (b.kind !== 'signature') throw new Error('not a signature buffer');
      expect(b.signature.signatureType).toBe(want.signature_type);
      expect(toHex(b.signature.signature)).toBe(want.signature_hex);
    }

    const logon = findPacBuffer(pac, 'logonInfo')!;
    for (const [name, field] of Object.entries(FT_FIELDS)) {
      expect(logon.logonInfo[field], name).toBe(ft(d.logon_info_filetimes_read_from_ndr![name]!.raw_hex));
    }
    if ('logon_info_expected_by_source_tests' in p) {
      checkLogonInfo(logon.logonInfo, p.logon_info_expected_by_source_tests as unknown as Expected);
    }
    // The buffer's bytes are where the header says.
    expect(toHex(logon.bytes)).toBe(p.hex.slice(logon.offset * 2, (logon.offset + logon.size) * 2));
  });

  test('a lone KERB_VALIDATION_INFO from a trust logon: resource groups and all SIDs as strings', () => {
    const p = v.pacs.find((x) => x.name === 'gokrb5-logon-info-domain-trust')!;
    const b = decodePacBuffer(1, fromHex(p.hex));
    if (b.kind !== 'logonInfo') throw new Error('expected logon info');
    const e = p.logon_info_expected_by_source_tests as unknown as Expected;
    checkLogonInfo(b.logonInfo, e);
    const s = b.sids!;
    expect(s.userSid).toBe(`${e.LogonDomainID}-${e.UserID}`);
    expect([...s.groupSids, ...s.extraSids, ...s.resourceGroupSids]).toEqual(e.GroupMembershipSIDs);
    const times = (p as { logon_info_filetimes_read_from_ndr: Record<string, { raw_hex: string }> })
      .logon_info_filetimes_read_from_ndr;
    expect(b.logonInfo.logonTime).toBe(ft(times.LogonTime!.raw_hex));
    expect(fileTimeToIso(b.logonInfo.logonTime)).toBe('2017-10-14T12:03:41.0524099Z');
    expect(fileTimeToIso(b.logonInfo.kickOffTime)).toBe('never');
  });

  test('the AD-IF-RELEVANT wrappers in the samples carry exactly these PAC bytes', () => {
    for (const p of whole) {
      const w = p as { ad_if_relevant_wrapper_hex?: string; authorization_data_wrapper_hex?: string };
      const wrapper = w.ad_if_relevant_wrapper_hex ?? w.authorization_data_wrapper_hex;
      if (wrapper) expect(wrapper.endsWith(p.hex)).toBe(true);
    }
  });
});

describe('PAC signatures (MS-PAC §2.8) verify with the recorded keys', () => {
  const withKeys = whole.filter((p) => p.keys);

  test.each(withKeys.map((p) => [p.name, p]))('%s', (_n, p) => {
    const keys = keysOf(p);
    const bytes = fromHex(p.hex);
    const r = verifyPac(bytes, { serverKey: keys.server, kdcKey: keys.kdc });
    expect(r.server.status).toBe('valid');
    expect(r.kdc.status).toBe(keys.kdc ? 'valid' : 'no-key');
    expect(r.ok).toBe(true);

    // One changed byte in the user's logon information breaks the server signature.
    const logon = decodePac(bytes).buffers.find((b) => b.type === 1)!;
    const changed = bytes.slice();
    changed[logon.offset + 100]! ^= 0x01;
    const bad = verifyPac(changed, { serverKey: keys.server, kdcKey: keys.kdc });
    expect(bad.server.status).toBe('invalid');
    expect(bad.ok).toBe(false);
    // The KDC signature covers only the server signature, so it still holds.
    if (keys.kdc) expect(bad.kdc.status).toBe('valid');
  });

  test('a changed server signature breaks the KDC signature', () => {
    const p = withKeys.find((x) => x.name === 'knet-tgt-pac-testuser-CORP')!;
    const keys = keysOf(p);
    const bytes = fromHex(p.hex);
    const server = decodePac(bytes).buffers.find((b) => b.type === 6)!;
    bytes[server.offset + 6]! ^= 0x80;
    const r = verifyPac(bytes, { serverKey: keys.server, kdcKey: keys.kdc });
    expect(r.server.status).toBe('invalid');
    expect(r.kdc.status).toBe('invalid');
  });

  test('a key of the wrong enctype is reported, not thrown', () => {
    const p = withKeys.find((x) => x.name === 'knet-service-ticket-pac-aes256')!;
    const r = verifyPac(fromHex(p.hex), { serverKey: { etype: 23, bytes: new Uint8Array(16) } });
    expect(r.server.status).toBe('error');
    expect(r.server.reason).toMatch(/hmac-sha1-96-aes256/);
    expect(r.ok).toBe(false);
  });

  test('re-signing a real PAC with its own key reproduces its signatures', () => {
    const p = withKeys.find((x) => x.name === 'knet-tgt-pac-testuser-CORP')!;
    const keys = keysOf(p);
    const bytes = fromHex(p.hex);
    expect(toHex(signPac(bytes, { serverKey: keys.server!, kdcKey: keys.kdc! }))).toBe(p.hex);
  });
});

// ---- building PACs ----

const DOMAIN = 'S-1-5-21-1004336348-1177238915-682003330';

function logonInfo(overrides: Partial<KerbValidationInfo> = {}): KerbValidationInfo {
  return {
    logonTime: unixSecondsToFileTime(1772438400),
    logoffTime: FILETIME_NEVER,
    kickOffTime: FILETIME_NEVER,
    passwordLastSet: unixSecondsToFileTime(1770000000),
    passwordCanChange: unixSecondsToFileTime(1770086400),
    passwordMustChange: FILETIME_NEVER,
    effectiveName: 'alice',
    fullName: 'Alice Example',
    logonScript: '',
    profilePath: '',
    homeDirectory: '',
    homeDirectoryDrive: '',
    logonCount: 12,
    badPasswordCount: 0,
    userId: 1104,
    primaryGroupId: 513,
    groupIds: [
      { relativeId: 513, attributes: 7 },
      { relativeId: 1105, attributes: 7 },
    ],
    userFlags: 0x20,
    userSessionKey: new Uint8Array(16),
    logonServer: 'DC1',
    logonDomainName: 'EXAMPLE',
    logonDomainId: DOMAIN,
    userAccountControl: 0x210,
    subAuthStatus: 0,
    lastSuccessfulILogon: 0n,
    lastFailedILogon: 0n,
    failedILogonCount: 0,
    extraSids: [{ sid: 'S-1-18-1', attributes: 7 }],
    resourceGroupDomainSid: null,
    resourceGroupIds: [],
    ...overrides,
  };
}

function contents(pac: Pac): PacBufferContent[] {
  // What a decoded buffer carries beyond its content: position, bytes, derived SIDs.
  return pac.buffers.map((b) => {
    const { offset: _o, size: _s, bytes: _b, infoOffset: _i, ...rest } = b;
    if (rest.kind === 'logonInfo') {
      const { sids: _sids, ...content } = rest;
      return content;
    }
    return rest;
  });
}

const aes256 = (password: string): Key => stringToKey(18, password, 'EXAMPLE.TESTsvc');

describe('building and signing a PAC', () => {
  const everything: PacBufferContent[] = [
    { kind: 'logonInfo', type: 1, logonInfo: logonInfo() },
    {
      kind: 'clientInfo',
      type: 10,
      clientInfo: { clientId: unixSecondsToFileTime(1772438400), name: 'alice' },
    },
    {
      kind: 'upnDnsInfo',
      type: 12,
      upnDnsInfo: {
        upn: 'alice@example.test',
        dnsDomainName: 'EXAMPLE.TEST',
        flags: 2,
        samName: 'alice',
        sid: `${DOMAIN}-1104`,
      },
    },
    {
      kind: 'claims',
      type: 13,
      claims: {
        compressionFormat: 0,
        uncompressedSize: 5,
        claimsSet: new Uint8Array([1, 2, 3, 4, 5]),
        reservedType: 0,
        reservedField: new Uint8Array(0),
      },
    },
    {
      kind: 'deviceInfo',
      type: 14,
      deviceInfo: {
        userId: 1601,
        primaryGroupId: 515,
        accountDomainId: DOMAIN,
        accountGroupIds: [{ relativeId: 515, attributes: 7 }],
        extraSids: [{ sid: 'S-1-18-1', attributes: 7 }],
        domainGroups: [
          { domainId: 'S-1-5-21-1-2-3', groupIds: [{ relativeId: 1000, attributes: 0x20000007 }] },
        ],
      },
    },
    { kind: 'attributes', type: 17, attributes: { flagsLength: 2, flags: [1] } },
    { kind: 'requestor', type: 18, requestor: { sid: `${DOMAIN}-1104` } },
    { kind: 'raw', type: 11, data: new Uint8Array([9, 8, 7]) },
  ];

  test.each([17, 18, 19, 20, 23])('with enctype %i keys: decodes back equal and verifies', (etype) => {
    const serverKey = stringToKey(etype, 'service password', 'EXAMPLE.TESTcifsfs1', { iterations: 1 });
    const kdcKey = stringToKey(etype, 'krbtgt password', 'EXAMPLE.TESTkrbtgtEXAMPLE.TEST', { iterations: 1 });
    const ticket = new Uint8Array([0x63, 0x03, 0x30, 0x01, 0x00]);
    const bytes = buildPac(everything, { serverKey, kdcKey, ticket, fullChecksum: true });
    const pac = decodePac(bytes);
    expect(contents(pac).slice(0, everything.length)).toEqual(everything);
    expect(pac.buffers.slice(everything.length).map((b) => b.type)).toEqual([6, 7, 16, 19]);
    expect(pac.buffers.every((b) => b.offset % 8 === 0)).toBe(true);

    const r = verifyPac(bytes, { serverKey, kdcKey, ticket });
    expect([r.server.status, r.kdc.status, r.ticket.status, r.full.status]).toEqual([
      'valid',
      'valid',
      'valid',
      'valid',
    ]);
    expect(r.ok).toBe(true);

    // A service checks the server signature only; it has no krbtgt key.
    expect(verifyPac(bytes, { serverKey }).ok).toBe(true);

    // One changed byte in the UPN: server and full checksums fail; the ticket checksum does not cover it.
    const upn = pac.buffers.find((b) => b.type === 12)!;
    const changed = bytes.slice();
    changed[upn.offset + 30]! ^= 1;
    const bad = verifyPac(changed, { serverKey, kdcKey, ticket });
    expect(bad.server.status).toBe('invalid');
    expect(bad.full.status).toBe('invalid');
    expect(bad.ticket.status).toBe('valid');
    expect(bad.ok).toBe(false);
    // A different ticket breaks the ticket checksum.
    expect(verifyPac(bytes, { serverKey, kdcKey, ticket: new Uint8Array([1]) }).ticket.status).toBe(
      'invalid',
    );
  });

  test('a TGT PAC (MIT does not add ticket or full checksums for krbtgt) with the usual five buffers', () => {
    const key = aes256('krbtgt');
    const bytes = buildPac(everything.slice(0, 3), { serverKey: key, kdcKey: key });
    const pac = decodePac(bytes);
    expect(pac.buffers.map((b) => b.type)).toEqual([1, 10, 12, 6, 7]);
    expect(verifyPac(bytes, { serverKey: key, kdcKey: key })).toMatchObject({
      ok: true,
      ticket: { status: 'absent' },
      full: { status: 'absent' },
    });
    const logon = findPacBuffer(pac, 'logonInfo')!;
    expect(logon.sids).toEqual({
      userSid: `${DOMAIN}-1104`,
      primaryGroupSid: `${DOMAIN}-513`,
      groupSids: [`${DOMAIN}-513`, `${DOMAIN}-1105`],
      extraSids: ['S-1-18-1'],
      resourceGroupSids: [],
    });
  });

  test('real LOGON_INFO buffers re-encode to structures that decode equal', () => {
    for (const p of v.pacs) {
      const hex = 'buffer_type' in p ? p.hex : undefined;
      const info = hex
        ? decodePacBuffer(1, fromHex(hex))
        : findPacBuffer(decodePac(fromHex(p.hex)), 'logonInfo')!;
      if (info.kind !== 'logonInfo') throw new Error('expected logon info');
      const again = decodePacBuffer(1, encodeKerbValidationInfo(info.logonInfo));
      if (again.kind !== 'logonInfo') throw new Error('expected logon info');
      expect(again.logonInfo).toEqual(info.logonInfo);
    }
  });

  test('a real PAC re-encoded from its decoded buffers decodes equal', () => {
    for (const p of whole) {
      const pac = decodePac(fromHex(p.hex));
      expect(contents(decodePac(encodePac({ buffers: contents(pac) })))).toEqual(contents(pac));
    }
  });

  test('an RODC identifier after the KDC signature is kept', () => {
    const key = aes256('x');
    const bytes = buildPac(everything.slice(0, 2), { serverKey: key, kdcKey: key });
    const pac = decodePac(bytes);
    const withRodc = contents(pac).map((b) =>
      b.kind === 'signature' && b.type === 7
        ? { ...b, signature: { ...b.signature, rodcIdentifier: 0x1234 } }
        : b,
    );
    const again = decodePac(signPac(encodePac({ buffers: withRodc }), { serverKey: key, kdcKey: key }));
    const kdc = again.buffers.find((b) => b.type === 7)!;
    expect(kdc.kind === 'signature' && kdc.signature.rodcIdentifier).toBe(0x1234);
  });

  test('signing needs the buffers and the ticket bytes it is asked to sign', () => {
    const key = aes256('x');
    expect(() =>
      signPac(encodePac({ buffers: everything.slice(0, 2) }), { serverKey: key, kdcKey: key }),
    ).toThrow(/no Server checksum buffer \(type 6\)/);
  });
});

describe('SIDs', () => {
  test('string form round-trips, hex authorities above 2^32 (MS-DTYP §2.4.2.1)', () => {
    for (const s of ['S-1-5-21-1-2-3-500', 'S-1-18-1', 'S-1-0x123456789ABC-7', 'S-1-5']) {
      expect(sidToString(parseSid(s))).toBe(s);
    }
    expect(() => parseSid('S-1-5-x')).toThrow(/not a SID/);
  });
});

describe('PAC errors name the part and the byte', () => {
  const p = whole[0]!;
  const bytes = fromHex(p.hex);

  test('a buffer outside the PAC', () => {
    const bad = bytes.slice();
    bad[8 + 4] = 0xff; // buffer 1's size, low byte
    bad[8 + 5] = 0xff;
    expect(() => decodePac(bad)).toThrow(
      /^pac: buffer 1 \(type 1\) described at byte 8 claims 65535 bytes at offset 88/,
    );
  });

  test('an absurd buffer count', () => {
    const bad = bytes.slice();
    bad.set([0xff, 0xff, 0xff, 0x0f], 0);
    expect(() => decodePac(bad)).toThrow(/^pac: PACTYPE claims 268435455 buffers/);
  });

  test('a lying NDR count inside LOGON_INFO, with its absolute offset; lenient decoding keeps the rest', () => {
    const bad = bytes.slice();
    const groupCount = 88 + 16 + 4 + 48 + 48 + 4 + 4 + 4; // after the pointer, times, strings, counts, ids
    bad.set([0xff, 0xff, 0, 0], groupCount);
    let err: unknown;
    try {
      decodePac(bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).message).toMatch(
      /^pac: GroupIds holds 5 elements where its count field says 65535 at byte \d+$/,
    );
    const lenient = decodePac(bad, { lenient: true });
    expect(lenient.buffers[0]).toMatchObject({ kind: 'raw', type: 1 });
    expect(lenient.buffers[0]!.error).toMatch(/GroupIds/);
    expect(lenient.buffers[1]!.kind).toBe('clientInfo');
  });
});

/** The FormatError `fn` throws (fails the test when it throws nothing, or something else). */
function formatErrorOf(fn: () => unknown): FormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return e as FormatError;
  }
  throw new Error('expected a FormatError, nothing was thrown');
}

describe('the PAC layout is checked before any buffer is read (MS-PAC §2.3, §2.4)', () => {
  const real = fromHex(whole[0]!.hex);
  const key: Key = { etype: 18, bytes: new Uint8Array(32) };

  test('a thousand descriptors over the same 100 KB: refused as overlapping, by every reader', () => {
    const headerEnd = 8 + 16 * 1000;
    const bomb = craftPac(
      Array.from({ length: 1000 }, () => ({ type: 99, size: 100_000, offset: headerEnd })),
      new Uint8Array(100_000),
    );
    const e = formatErrorOf(() => decodePac(bomb, { lenient: true }));
    expect(e.message).toBe(
      'pac: buffer 1 (type 99) and buffer 2 (type 99) overlap: bytes 16008–116007 and 16008–116007 ' +
        '(MS-PAC §2.3 lays the buffers out one after another)',
    );
    expect(e.format).toBe('pac');
    expect(e.offset).toBe(24); // buffer 2's PAC_INFO_BUFFER
    expect(formatErrorOf(() => verifyPac(bomb, { serverKey: key, kdcKey: key })).message).toMatch(/overlap/);
    expect(formatErrorOf(() => signPac(bomb, { serverKey: key, kdcKey: key })).message).toMatch(/overlap/);
  });

  test('a real PAC with one more descriptor over part of its LOGON_INFO: refused, naming both buffers', () => {
    const n = descriptorsOf(real).length;
    const bad = withExtraDescriptor(real, (moved) => ({ type: 99, size: 8, offset: moved[0]!.offset + 8 }));
    expect(decodePac(real).buffers).toHaveLength(n); // the same PAC without it is fine
    expect(formatErrorOf(() => decodePac(bad)).message).toMatch(
      new RegExp(
        `^pac: buffer 1 \\(Logon information \\(KERB_VALIDATION_INFO\\)\\) and buffer ${n + 1} \\(type 99\\) overlap`,
      ),
    );
  });

  test('a buffer whose size runs into the next buffer', () => {
    const ds = descriptorsOf(real);
    const [a, b] = [...ds].sort((x, y) => x.offset - y.offset);
    const grown = craftPac(
      ds.map((d) => (d === a ? { ...d, size: b!.offset - a.offset + 1 } : d)),
      real.subarray(8 + 16 * ds.length),
    );
    expect(formatErrorOf(() => decodePac(grown)).message).toMatch(/ overlap: bytes \d+–\d+ and \d+–\d+/);
  });

  test('a buffer off the 8-byte boundary', () => {
    const bad = craftPac([{ type: 10, size: 4, offset: 28 }], new Uint8Array(8));
    expect(formatErrorOf(() => decodePac(bad)).message).toBe(
      'pac: buffer 1 (Client name and ticket information (PAC_CLIENT_INFO)) described at byte 8 starts at offset 28, ' +
        'not on an 8-byte boundary (MS-PAC §2.3)',
    );
  });

  test(`at most ${MAX_PAC_BUFFERS} descriptors (MIT's bound), even when the bytes could hold more`, () => {
    const pacOf = (count: number) =>
      craftPac(
        Array.from({ length: count }, () => ({ type: 99, size: 0, offset: 8 + 16 * count })),
        new Uint8Array(0),
      );
    // Empty buffers share no byte with anything, so these are laid out correctly.
    expect(decodePac(pacOf(MAX_PAC_BUFFERS)).buffers).toHaveLength(MAX_PAC_BUFFERS);
    const e = formatErrorOf(() => decodePac(pacOf(MAX_PAC_BUFFERS + 1)));
    expect(e.message).toBe(
      `pac: PACTYPE claims ${MAX_PAC_BUFFERS + 1} buffers; a PAC holds at most ${MAX_PAC_BUFFERS} (a real one about ten)`,
    );
  });
});

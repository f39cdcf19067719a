/**
 * The PAC buffers that are NDR-serialized structures (MS-PAC §2.5, §2.11, §2.12), each wrapped in the
 * MS-RPCE §2.2.6 type serialization headers and reached through one top-level unique pointer:
 *
 * - KERB_VALIDATION_INFO (LOGON_INFO, type 1): who the user is, for Windows: the user's RID in its
 *   domain, the groups, the extra SIDs (other domains, well-known SIDs such as S-1-18-1), the resource
 *   groups of a trusting domain.
 * - PAC_DEVICE_INFO (type 14): the same facts for the device (compound identity, FAST armour).
 * - PAC_CLIENT_CLAIMS_INFO / PAC_DEVICE_CLAIMS_INFO (13, 15): CLAIMS_SET_METADATA, read shallowly —
 *   the claims set inside is itself NDR, often compressed, and is kept as bytes.
 *
 * NDR places the referents of embedded pointers after the structure that holds them, in the order the
 * pointers appear (C706 §14.3.12.3), and the referents of pointers inside an array right after that
 * array. The readers below follow that order with one cursor.
 */
import { ByteWriter } from './bytes-io';
import {
  NdrReader,
  NdrWriter,
  readTypeSerializationHeaders,
  readUnicodeStringHeader,
  readUnicodeStringReferent,
  sidToString,
  sidWithRid,
  withTypeSerializationHeaders,
  type UnicodeStringHeader,
} from './ndr';

/** A FILETIME: 100-nanosecond intervals since 1601-01-01 UTC, kept raw (compare PAC times raw). */
export type FileTime = bigint;

/** "Never" in a PAC time field (MS-PAC §2.5: KickOffTime, PasswordMustChange, …). */
export const FILETIME_NEVER: FileTime = 0x7fffffffffffffffn;

/** Seconds between 1601-01-01 and 1970-01-01. */
const EPOCH_DIFF = 11644473600n;

export function unixSecondsToFileTime(seconds: number): FileTime {
  return (BigInt(Math.floor(seconds)) + EPOCH_DIFF) * 10_000_000n;
}

/** Whole seconds since 1970 (rounded down), or null for 0 and "never". */
export function fileTimeToUnixSeconds(ft: FileTime): number | null {
  if (ft === 0n || ft >= FILETIME_NEVER) return null;
  return Number(ft / 10_000_000n - EPOCH_DIFF);
}

/** ISO-8601 UTC with the FILETIME's full 100 ns precision, or "never" / "not set". */
export function fileTimeToIso(ft: FileTime): string {
  if (ft >= FILETIME_NEVER) return 'never';
  if (ft === 0n) return 'not set';
  const secs = ft / 10_000_000n - EPOCH_DIFF;
  const frac = (ft % 10_000_000n).toString().padStart(7, '0');
  const d = new Date(Number(secs) * 1000);
  if (Number.isNaN(d.getTime())) return `FILETIME 0x${ft.toString(16)}`;
  return d.toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`);
}

/** GROUP_MEMBERSHIP (MS-PAC §2.2.2): a RID in the logon domain and its SE_GROUP_* attributes. */
export interface GroupMembership {
  readonly relativeId: number;
  readonly attributes: number;
}

/** KERB_SID_AND_ATTRIBUTES (MS-PAC §2.2.1), the SID as a string. */
export interface SidAndAttributes {
  readonly sid: string;
  readonly attributes: number;
}

/** SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED, what a DC sets on groups. */
export const SE_GROUP_DEFAULT = 7;
/** SE_GROUP_RESOURCE: the group is a domain-local group of a resource domain. */
export const SE_GROUP_RESOURCE = 0x20000000;

/** KERB_VALIDATION_INFO (MS-PAC §2.5), field names as the spec spells them, in camelCase. */
export interface KerbValidationInfo {
  readonly logonTime: FileTime;
  readonly logoffTime: FileTime;
  readonly kickOffTime: FileTime;
  readonly passwordLastSet: FileTime;
  readonly passwordCanChange: FileTime;
  readonly passwordMustChange: FileTime;
  readonly effectiveName: string;
  readonly fullName: string;
  readonly logonScript: string;
  readonly profilePath: string;
  readonly homeDirectory: string;
  readonly homeDirectoryDrive: string;
  readonly logonCount: number;
  readonly badPasswordCount: number;
  readonly userId: number;
  readonly primaryGroupId: number;
  readonly groupIds: readonly GroupMembership[];
  /** LOGON_EXTRA_SIDS 0x20, LOGON_RESOURCE_GROUPS 0x200, … (MS-PAC §2.5 UserFlags). */
  readonly userFlags: number;
  /** 16 bytes; zero in Kerberos PACs (it is an NTLM concept). */
  readonly userSessionKey: Uint8Array;
  readonly logonServer: string;
  readonly logonDomainName: string;
  /** The domain SID that userId, primaryGroupId and groupIds are relative to; null if absent. */
  readonly logonDomainId: string | null;
  readonly userAccountControl: number;
  readonly subAuthStatus: number;
  readonly lastSuccessfulILogon: FileTime;
  readonly lastFailedILogon: FileTime;
  readonly failedILogonCount: number;
  readonly extraSids: readonly SidAndAttributes[];
  readonly resourceGroupDomainSid: string | null;
  readonly resourceGroupIds: readonly GroupMembership[];
}

/** The SIDs a KERB_VALIDATION_INFO stands for, spelled out ("S-1-5-21-…-1104"). */
export interface LogonInfoSids {
  readonly userSid: string | null;
  readonly primaryGroupSid: string | null;
  readonly groupSids: readonly string[];
  readonly extraSids: readonly string[];
  readonly resourceGroupSids: readonly string[];
}

export function logonInfoSids(info: KerbValidationInfo): LogonInfoSids {
  const dom = info.logonDomainId;
  const res = info.resourceGroupDomainSid;
  return {
    userSid: dom === null ? null : sidWithRid(dom, info.userId),
    primaryGroupSid: dom === null ? null : sidWithRid(dom, info.primaryGroupId),
    groupSids: dom === null ? [] : info.groupIds.map((g) => sidWithRid(dom, g.relativeId)),
    extraSids: info.extraSids.map((s) => s.sid),
    resourceGroupSids: res === null ? [] : info.resourceGroupIds.map((g) => sidWithRid(res, g.relativeId)),
  };
}

/** The group SIDs a token gets from LOGON_INFO: the primary group, the groups, extra and resource SIDs, each once. */
export function tokenGroupSids(sids: LogonInfoSids): string[] {
  const all = [
    ...(sids.primaryGroupSid ? [sids.primaryGroupSid] : []),
    ...sids.groupSids,
    ...sids.extraSids,
    ...sids.resourceGroupSids,
  ];
  return all.filter((s, i) => all.indexOf(s) === i);
}

function fileTime(r: NdrReader, what: string): FileTime {
  // FILETIME is a structure of two DWORDs (low, high): 4-aligned, not 8 (MS-DTYP §2.3.3).
  r.align(4, what);
  const low = r.u32(`${what} (low)`);
  const high = r.u32(`${what} (high)`);
  return (BigInt(high) << 32n) | BigInt(low);
}

function writeFileTime(w: ByteWriter, ft: FileTime): void {
  const v = BigInt.asUintN(64, ft);
  w.u32(Number(v & 0xffffffffn)).u32(Number(v >> 32n));
}

function readGroupArray(r: NdrReader, ptr: number, count: number, what: string): GroupMembership[] {
  if (ptr === 0) {
    if (count !== 0) throw r.fail(`${what}: count ${count} with a null pointer`);
    return [];
  }
  const n = r.conformance(what, 8, count);
  const out: GroupMembership[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      relativeId: r.u32(`${what}[${i}] RelativeId`),
      attributes: r.u32(`${what}[${i}] Attributes`),
    });
  }
  return out;
}

function writeGroupArray(w: NdrWriter, groups: readonly GroupMembership[]): void {
  w.align(4).u32(groups.length);
  for (const g of groups) w.u32(g.relativeId).u32(g.attributes);
}

function readSidAndAttributesArray(
  r: NdrReader,
  ptr: number,
  count: number,
  what: string,
): SidAndAttributes[] {
  if (ptr === 0) {
    if (count !== 0) throw r.fail(`${what}: count ${count} with a null pointer`);
    return [];
  }
  const n = r.conformance(what, 8, count);
  const heads: { ptr: number; attributes: number }[] = [];
  for (let i = 0; i < n; i++) {
    heads.push({ ptr: r.pointer(`${what}[${i}].Sid`), attributes: r.u32(`${what}[${i}].Attributes`) });
  }
  // The SIDs those pointers refer to follow the array, in order.
  return heads.map((h, i) => {
    if (h.ptr === 0) throw r.fail(`${what}[${i}] has a null SID pointer`);
    return { sid: sidToString(r.sid(`${what}[${i}].Sid`)), attributes: h.attributes };
  });
}

function writeSidAndAttributesArray(w: NdrWriter, sids: readonly SidAndAttributes[]): void {
  w.align(4).u32(sids.length);
  for (const s of sids) w.pointer(true).u32(s.attributes);
  for (const s of sids) w.sid(s.sid);
}

/** Reads the NDR-serialized KERB_VALIDATION_INFO of a LOGON_INFO buffer; `base` is its offset in the PAC. */
export function decodeKerbValidationInfo(bytes: Uint8Array, base = 0): KerbValidationInfo {
  const r = readTypeSerializationHeaders(bytes, base, 'LOGON_INFO');
  const top = r.pointer('KERB_VALIDATION_INFO');
  if (top === 0) throw r.fail('LOGON_INFO: the top-level KERB_VALIDATION_INFO pointer is null', r.pos - 4);
  const t = (what: string) => fileTime(r, what);
  const logonTime = t('LogonTime');
  const logoffTime = t('LogoffTime');
  const kickOffTime = t('KickOffTime');
  const passwordLastSet = t('PasswordLastSet');
  const passwordCanChange = t('PasswordCanChange');
  const passwordMustChange = t('PasswordMustChange');
  const s = (what: string) => readUnicodeStringHeader(r, what);
  const hEffectiveName = s('EffectiveName');
  const hFullName = s('FullName');
  const hLogonScript = s('LogonScript');
  const hProfilePath = s('ProfilePath');
  const hHomeDirectory = s('HomeDirectory');
  const hHomeDirectoryDrive = s('HomeDirectoryDrive');
  const logonCount = r.u16('LogonCount');
  const badPasswordCount = r.u16('BadPasswordCount');
  const userId = r.u32('UserId');
  const primaryGroupId = r.u32('PrimaryGroupId');
  const groupCount = r.u32('GroupCount');
  const pGroupIds = r.pointer('GroupIds');
  const userFlags = r.u32('UserFlags');
  const userSessionKey = r.take(16, 'UserSessionKey');
  const hLogonServer = s('LogonServer');
  const hLogonDomainName = s('LogonDomainName');
  const pLogonDomainId = r.pointer('LogonDomainId');
  r.skip(8, 'Reserved1');
  const userAccountControl = r.u32('UserAccountControl');
  const subAuthStatus = r.u32('SubAuthStatus');
  const lastSuccessfulILogon = t('LastSuccessfulILogon');
  const lastFailedILogon = t('LastFailedILogon');
  const failedILogonCount = r.u32('FailedILogonCount');
  r.skip(4, 'Reserved3');
  const sidCount = r.u32('SidCount');
  const pExtraSids = r.pointer('ExtraSids');
  const pResourceGroupDomainSid = r.pointer('ResourceGroupDomainSid');
  const resourceGroupCount = r.u32('ResourceGroupCount');
  const pResourceGroupIds = r.pointer('ResourceGroupIds');

  // Deferred referents, in the order of their pointers.
  const str = (h: UnicodeStringHeader, what: string) => readUnicodeStringReferent(r, h, what);
  const effectiveName = str(hEffectiveName, 'EffectiveName');
  const fullName = str(hFullName, 'FullName');
  const logonScript = str(hLogonScript, 'LogonScript');
  const profilePath = str(hProfilePath, 'ProfilePath');
  const homeDirectory = str(hHomeDirectory, 'HomeDirectory');
  const homeDirectoryDrive = str(hHomeDirectoryDrive, 'HomeDirectoryDrive');
  const groupIds = readGroupArray(r, pGroupIds, groupCount, 'GroupIds');
  const logonServer = str(hLogonServer, 'LogonServer');
  const logonDomainName = str(hLogonDomainName, 'LogonDomainName');
  const logonDomainId = pLogonDomainId === 0 ? null : sidToString(r.sid('LogonDomainId'));
  const extraSids = readSidAndAttributesArray(r, pExtraSids, sidCount, 'ExtraSids');
  const resourceGroupDomainSid =
    pResourceGroupDomainSid === 0 ? null : sidToString(r.sid('ResourceGroupDomainSid'));
  const resourceGroupIds = readGroupArray(r, pResourceGroupIds, resourceGroupCount, 'ResourceGroupIds');

  return {
    logonTime,
    logoffTime,
    kickOffTime,
    passwordLastSet,
    passwordCanChange,
    passwordMustChange,
    effectiveName,
    fullName,
    logonScript,
    profilePath,
    homeDirectory,
    homeDirectoryDrive,
    logonCount,
    badPasswordCount,
    userId,
    primaryGroupId,
    groupIds,
    userFlags,
    userSessionKey,
    logonServer,
    logonDomainName,
    logonDomainId,
    userAccountControl,
    subAuthStatus,
    lastSuccessfulILogon,
    lastFailedILogon,
    failedILogonCount,
    extraSids,
    resourceGroupDomainSid,
    resourceGroupIds,
  };
}

/** Serializes a KERB_VALIDATION_INFO as a LOGON_INFO buffer (headers included). */
export function encodeKerbValidationInfo(info: KerbValidationInfo): Uint8Array {
  const w = new NdrWriter();
  w.pointer(true);
  for (const ft of [
    info.logonTime,
    info.logoffTime,
    info.kickOffTime,
    info.passwordLastSet,
    info.passwordCanChange,
    info.passwordMustChange,
  ]) {
    writeFileTime(w, ft);
  }
  const strings1 = [
    info.effectiveName,
    info.fullName,
    info.logonScript,
    info.profilePath,
    info.homeDirectory,
    info.homeDirectoryDrive,
  ];
  for (const str of strings1) w.unicodeStringHeader(str);
  w.u16(info.logonCount).u16(info.badPasswordCount);
  w.u32(info.userId).u32(info.primaryGroupId);
  w.u32(info.groupIds.length).pointer(info.groupIds.length > 0);
  w.u32(info.userFlags);
  const key = new Uint8Array(16);
  key.set(info.userSessionKey.subarray(0, 16));
  w.bytes(key);
  w.unicodeStringHeader(info.logonServer).unicodeStringHeader(info.logonDomainName);
  w.pointer(info.logonDomainId !== null);
  w.zeros(8); // Reserved1
  w.u32(info.userAccountControl).u32(info.subAuthStatus);
  writeFileTime(w, info.lastSuccessfulILogon);
  writeFileTime(w, info.lastFailedILogon);
  w.u32(info.failedILogonCount).u32(0); // Reserved3
  w.u32(info.extraSids.length).pointer(info.extraSids.length > 0);
  w.pointer(info.resourceGroupDomainSid !== null);
  w.u32(info.resourceGroupIds.length).pointer(info.resourceGroupIds.length > 0);

  for (const str of strings1) w.unicodeStringBody(str);
  if (info.groupIds.length > 0) writeGroupArray(w, info.groupIds);
  w.unicodeStringBody(info.logonServer).unicodeStringBody(info.logonDomainName);
  if (info.logonDomainId !== null) w.sid(info.logonDomainId);
  if (info.extraSids.length > 0) writeSidAndAttributesArray(w, info.extraSids);
  if (info.resourceGroupDomainSid !== null) w.sid(info.resourceGroupDomainSid);
  if (info.resourceGroupIds.length > 0) writeGroupArray(w, info.resourceGroupIds);
  return withTypeSerializationHeaders(w.finish());
}

// ---- PAC_DEVICE_INFO (MS-PAC §2.12) ----

/** DOMAIN_GROUP_MEMBERSHIP (MS-PAC §2.2.3): groups of another domain the device belongs to. */
export interface DomainGroupMembership {
  readonly domainId: string;
  readonly groupIds: readonly GroupMembership[];
}

export interface PacDeviceInfo {
  readonly userId: number;
  readonly primaryGroupId: number;
  readonly accountDomainId: string;
  readonly accountGroupIds: readonly GroupMembership[];
  readonly extraSids: readonly SidAndAttributes[];
  readonly domainGroups: readonly DomainGroupMembership[];
}

export function decodeDeviceInfo(bytes: Uint8Array, base = 0): PacDeviceInfo {
  const r = readTypeSerializationHeaders(bytes, base, 'DEVICE_INFO');
  if (r.pointer('PAC_DEVICE_INFO') === 0)
    throw r.fail('DEVICE_INFO: the top-level pointer is null', r.pos - 4);
  const userId = r.u32('UserId');
  const primaryGroupId = r.u32('PrimaryGroupId');
  const pDomain = r.pointer('AccountDomainId');
  const groupCount = r.u32('AccountGroupCount');
  const pGroups = r.pointer('AccountGroupIds');
  const sidCount = r.u32('SidCount');
  const pSids = r.pointer('ExtraSids');
  const domainGroupCount = r.u32('DomainGroupCount');
  const pDomainGroups = r.pointer('DomainGroup');

  if (pDomain === 0) throw r.fail('DEVICE_INFO: AccountDomainId is null');
  const accountDomainId = sidToString(r.sid('AccountDomainId'));
  const accountGroupIds = readGroupArray(r, pGroups, groupCount, 'AccountGroupIds');
  const extraSids = readSidAndAttributesArray(r, pSids, sidCount, 'ExtraSids');
  const domainGroups: DomainGroupMembership[] = [];
  if (pDomainGroups !== 0) {
    const n = r.conformance('DomainGroup', 12, domainGroupCount);
    const heads: { pDomain: number; count: number; pGroups: number }[] = [];
    for (let i = 0; i < n; i++) {
      heads.push({
        pDomain: r.pointer(`DomainGroup[${i}].DomainId`),
        count: r.u32(`DomainGroup[${i}].GroupCount`),
        pGroups: r.pointer(`DomainGroup[${i}].GroupIds`),
      });
    }
    heads.forEach((h, i) => {
      if (h.pDomain === 0) throw r.fail(`DomainGroup[${i}].DomainId is null`);
      const domainId = sidToString(r.sid(`DomainGroup[${i}].DomainId`));
      domainGroups.push({
        domainId,
        groupIds: readGroupArray(r, h.pGroups, h.count, `DomainGroup[${i}].GroupIds`),
      });
    });
  } else if (domainGroupCount !== 0) {
    throw r.fail(`DomainGroup: count ${domainGroupCount} with a null pointer`);
  }
  return { userId, primaryGroupId, accountDomainId, accountGroupIds, extraSids, domainGroups };
}

export function encodeDeviceInfo(info: PacDeviceInfo): Uint8Array {
  const w = new NdrWriter();
  w.pointer(true).u32(info.userId).u32(info.primaryGroupId).pointer(true);
  w.u32(info.accountGroupIds.length).pointer(info.accountGroupIds.length > 0);
  w.u32(info.extraSids.length).pointer(info.extraSids.length > 0);
  w.u32(info.domainGroups.length).pointer(info.domainGroups.length > 0);
  w.sid(info.accountDomainId);
  if (info.accountGroupIds.length > 0) writeGroupArray(w, info.accountGroupIds);
  if (info.extraSids.length > 0) writeSidAndAttributesArray(w, info.extraSids);
  if (info.domainGroups.length > 0) {
    w.align(4).u32(info.domainGroups.length);
    for (const g of info.domainGroups)
      w.pointer(true)
        .u32(g.groupIds.length)
        .pointer(g.groupIds.length > 0);
    for (const g of info.domainGroups) {
      w.sid(g.domainId);
      if (g.groupIds.length > 0) writeGroupArray(w, g.groupIds);
    }
  }
  return withTypeSerializationHeaders(w.finish());
}

// ---- CLAIMS_SET_METADATA (MS-PAC §2.11, MS-ADTS §2.2.18.7), read shallowly ----

/** CLAIMS_COMPRESSION_FORMAT: 0 none, 2 LZNT1, 3 XPRESS, 4 XPRESS_HUFF (MS-ADTS §2.2.18.4). */
export interface PacClaimsInfo {
  readonly compressionFormat: number;
  readonly uncompressedSize: number;
  /** The serialized CLAIMS_SET (NDR; compressed when compressionFormat ≠ 0), not decoded further. */
  readonly claimsSet: Uint8Array;
  readonly reservedType: number;
  readonly reservedField: Uint8Array;
}

function readByteArray(r: NdrReader, ptr: number, size: number, what: string): Uint8Array {
  if (ptr === 0) {
    if (size !== 0) throw r.fail(`${what}: size ${size} with a null pointer`);
    return new Uint8Array(0);
  }
  const n = r.conformance(what, 1, size);
  return r.take(n, what);
}

export function decodeClaimsInfo(bytes: Uint8Array, base = 0): PacClaimsInfo {
  const r = readTypeSerializationHeaders(bytes, base, 'CLAIMS_INFO');
  if (r.pointer('CLAIMS_SET_METADATA') === 0)
    throw r.fail('CLAIMS_INFO: the top-level pointer is null', r.pos - 4);
  const size = r.u32('ulClaimsSetSize');
  const pSet = r.pointer('ClaimsSet');
  // An NDR enum travels as a 16-bit value (C706 §14.2.5), then the next ULONG realigns to 4.
  const compressionFormat = r.u16('usCompressionFormat');
  r.align(4, 'ulUncompressedClaimsSetSize');
  const uncompressedSize = r.u32('ulUncompressedClaimsSetSize');
  const reservedType = r.u16('usReservedType');
  r.align(4, 'ulReservedFieldSize');
  const reservedSize = r.u32('ulReservedFieldSize');
  const pReserved = r.pointer('ReservedField');
  const claimsSet = readByteArray(r, pSet, size, 'ClaimsSet');
  const reservedField = readByteArray(r, pReserved, reservedSize, 'ReservedField');
  return { compressionFormat, uncompressedSize, claimsSet, reservedType, reservedField };
}

export function encodeClaimsInfo(info: PacClaimsInfo): Uint8Array {
  const w = new NdrWriter();
  w.pointer(true)
    .u32(info.claimsSet.length)
    .pointer(info.claimsSet.length > 0);
  w.u16(info.compressionFormat).align(4).u32(info.uncompressedSize);
  w.u16(info.reservedType)
    .align(4)
    .u32(info.reservedField.length)
    .pointer(info.reservedField.length > 0);
  if (info.claimsSet.length > 0) w.align(4).u32(info.claimsSet.length).bytes(info.claimsSet);
  if (info.reservedField.length > 0) w.align(4).u32(info.reservedField.length).bytes(info.reservedField);
  return withTypeSerializationHeaders(w.finish());
}

/**
 * The files real Kerberos tools use: MIT keytabs and credential caches, and the PAC (MS-PAC) that
 * Active Directory puts in tickets. Readers keep byte offsets for the hex view and throw only
 * FormatError; writers produce what MIT `klist`/`ktutil` and Windows read.
 */
export { FormatError } from './errors';
export type { FormatName } from './errors';
export type { Span } from './bytes-io';
export { ticketFlagNames, ticketFlagLetters, flagsHex } from './ticket-flags';

export {
  decodeKeytab,
  encodeKeytab,
  keytabToListJson,
  describeKeytabEntry,
  MAX_KEYTAB_RECORDS,
} from './keytab';
export type { Keytab, KeytabEntry, KeytabEntryStorage, KeytabEntrySpans, KeytabListJson } from './keytab';

export {
  decodeCcache,
  encodeCcache,
  ccacheToListJson,
  isConfigPrincipal,
  configEntryAsCredential,
  CACHECONF_REALM,
  CACHECONF_PREFIX,
  MAX_CCACHE_RECORDS,
} from './ccache';
export type {
  Ccache,
  CcacheCredential,
  CcacheConfigEntry,
  CcacheHeaderField,
  CcacheAddress,
  CcacheAuthData,
  CcacheCredentialSpans,
  CcacheListJson,
  KdcTimeOffset,
} from './ccache';

export {
  decodePac,
  decodePacBuffer,
  encodePac,
  encodePacBufferContent,
  signPac,
  buildPac,
  verifyPac,
  findPacBuffer,
  PacBufferType,
  PAC_BUFFER_NAMES,
  PAC_CHECKSUM_KEY_USAGE,
  MAX_PAC_BUFFERS,
  UpnDnsFlags,
  PacAttributeFlags,
} from './pac';
export type {
  Pac,
  PacBuffer,
  PacBufferContent,
  PacClientInfo,
  UpnDnsInfo,
  PacSignatureData,
  PacAttributesInfo,
  PacSigningKeys,
  PacVerifyKeys,
  PacVerification,
  PacSignatureCheck,
  DecodePacOptions,
} from './pac';
export {
  decodeKerbValidationInfo,
  encodeKerbValidationInfo,
  decodeDeviceInfo,
  encodeDeviceInfo,
  decodeClaimsInfo,
  encodeClaimsInfo,
  logonInfoSids,
  tokenGroupSids,
  FILETIME_NEVER,
  fileTimeToIso,
  fileTimeToUnixSeconds,
  unixSecondsToFileTime,
  SE_GROUP_DEFAULT,
  SE_GROUP_RESOURCE,
} from './pac-ndr';
export type {
  FileTime,
  KerbValidationInfo,
  LogonInfoSids,
  GroupMembership,
  SidAndAttributes,
  PacDeviceInfo,
  DomainGroupMembership,
  PacClaimsInfo,
} from './pac-ndr';
export { sidToString, parseSid, sidWithRid, encodeBinarySid } from './ndr';
export type { SidParts } from './ndr';
export { decodeKirbi, encodeKirbi, ccacheCredentialToKirbi, kirbiCredentialToCcache } from './kirbi';
export type { Kirbi, KirbiCredential } from './kirbi';

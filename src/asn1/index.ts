/**
 * The DER layer: RFC 4120 §5 messages and their extensions (RFC 6113 FAST, RFC 6806, MS-KILE, MS-SFU,
 * MS-KKDCP), the GSS-API and SPNEGO framings, and `decodeKerberos` that recognises any of them.
 * Every decode can also give the tree of fields with their byte offsets (`decodeKerberos(...).tree`).
 */
export { DecodeError } from './errors';
export { DEFAULT_LIMITS } from './der';
export type { DecodeLimits } from './der';
export {
  decodeValue,
  decodeWith,
  encodeWith,
  flagBits,
  flagsOf,
  formatKerberosTime,
  hasFlag,
  nodePathAt,
  oidToBytes,
  oidToString,
} from './codec';
export type { Codec, DecodeOptions, Decoded, KrbNode } from './codec';
export * from './common';
export * from './ticket';
export * from './kdc';
export * from './ap';
export * from './cred';
export * from './krberror';
export * from './padata';
export * from './fast';
export * from './kkdcp';
export * from './gssapi';
export * from './iakerb';
export * from './framing';
export * from './detect';

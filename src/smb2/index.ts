/**
 * SMB2 on the wire (MS-SMB2): the messages of a mount and of the file operations as real bytes, SMB 3.1.1's
 * keys (preauth integrity, SP800-108 KDF), signing (AES-CMAC, AES-GMAC) and AES-128-GCM encryption.
 * Pure: no I/O; randomness comes from a seed the caller gives.
 */
export { NtlmFormatError, Smb2Error, STATUS_INVALID_PARAMETER } from './errors';
export { Command, HeaderFlag, NtStatus, decodeHeader, encodeHeader, HEADER_SIZE } from './header';
export type { Smb2Header } from './header';
export { KdfLabel, smb2Kdf, sessionKeyFromGss, preauthNext, PREAUTH_START, deriveSessionKeys } from './keys';
export type { SessionKeys } from './keys';
export {
  SigningAlgorithm,
  Cipher,
  signMessage,
  verifySignature,
  encryptMessage,
  decryptMessage,
  TRANSFORM_HEADER_SIZE,
} from './protect';
export * from './messages';
export * from './files';
export * from './security';
export {
  negotiate,
  sessionSetup,
  ntlmSessionSetup,
  exchange,
  treeConnect,
  nextFileId,
  currentFileId,
  connectionSeed,
} from './connection';
export type {
  Smb2ConnectionState,
  Smb2SessionState,
  Smb2Exchange,
  SessionAnswer,
  NtlmTokens,
} from './connection';
export {
  ntowfv2,
  ntlmV2Response,
  avPairs,
  AvId,
  ntlmNegotiate,
  ntlmChallenge,
  ntlmAuthenticate,
  NTLM_FLAGS,
  AV_FLAG_MIC,
  readChallenge,
  readAuthenticate,
  withMic,
  ntlmVerify,
  ntlmClientAuthenticate,
  ntlmServerChallenge,
} from './ntlm';
export type { NtlmV2Response, AuthenticateFields, ReadAuthenticate, NtlmClientInput } from './ntlm';

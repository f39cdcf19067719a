/**
 * The Kerberos client: a pure state machine (machine.ts) that says what to send to which realm and is
 * told what came back; its credential cache (cache.ts) with klist listings and ccache export; the AP
 * exchange (ap.ts); host-to-realm mapping (realm.ts); typed errors (errors.ts).
 */
export {
  KerberosClient,
  TRANSITIONS,
  AT_REST,
  WAITING,
  WINDOWS_AS_OPTIONS,
  WINDOWS_TGS_OPTIONS,
} from './machine';
export type {
  ClientState,
  ClientTrigger,
  Transition,
  ClientConfig,
  ClientRequest,
  StepInput,
  StepContext,
  StepOutput,
  SendRequest,
  ClientResult,
  ClientSnapshot,
} from './machine';
export {
  newCredentialCache,
  storeCredential,
  findCredential,
  findTgt,
  isExpired,
  listMit,
  listWindows,
  exportMitCcache,
  ccacheCredentialOf,
  filePrincipal,
} from './cache';
export type { CachedCredential, CredentialCache, KeyData, ListOptions } from './cache';
export {
  buildApReq,
  acceptApRep,
  sessionWithoutApRep,
  gssChecksumBytes,
  GssFlag,
  GSS_CHECKSUM_TYPE,
} from './ap';
export type { ApReqOptions, ApRequestContext, ApSession, AuthenticatorChecksum, BuiltApReq } from './ap';
export { realmForHost } from './realm';
export type { RealmChoice } from './realm';
export { runClient, stepInputOf } from './drive';
export { credentialOf } from './messages';
export type { Transport, TransportAnswer, Exchange, Run } from './drive';
export {
  ClientError,
  KdcError,
  ReplyCheckError,
  TransportError,
  ReferralError,
  CredentialError,
  ApError,
  ClientInputError,
} from './errors';
export type { ClientErrorKind, ReplyCheck } from './errors';
export type { ClientEvent, ClientStage } from './events';

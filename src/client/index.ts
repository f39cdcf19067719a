/**
 * The Kerberos client: a pure state machine (machine.ts, moving along the table in states.ts) whose step
 * functions — AS (as.ts), TGS with the referral chase (tgs.ts), renewal (renew.ts) — say what to send to
 * which realm and are told what came back; the one loop that drives it over a transport (drive.ts); its
 * credential cache (cache.ts) with klist listings and ccache export; the AP exchange (ap.ts);
 * host-to-realm mapping (realm.ts); typed errors (errors.ts).
 */
export { KerberosClient, stepClient } from './machine';
export { TRANSITIONS, AT_REST, WAITING, edge } from './states';
export type { ClientState, ClientTrigger, Transition } from './states';
export { WINDOWS_AS_OPTIONS, WINDOWS_TGS_OPTIONS, settingsOf } from './config';
export type { ClientConfig } from './config';
export type {
  ClientRequest,
  StepInput,
  StepContext,
  StepOutput,
  SendRequest,
  ClientResult,
  ClientSnapshot,
} from './step';
export {
  newCredentialCache,
  storeCredential,
  findCredential,
  findTgt,
  isExpired,
  listMit,
  listWindows,
  showWindowsTgt,
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
export { mitMessage } from './mit-words';
export type { RealmChoice } from './realm';
export { runClient, runClientAsync, stepInputOf, MAX_EXCHANGES } from './drive';
export { credentialOf } from './messages';
export type { Transport, AsyncTransport, TransportAnswer, Exchange, Run } from './drive';
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

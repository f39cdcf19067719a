/** Kerberized services: the AP-REQ check and AP-REP of RFC 4120 §3.2, with the PAC handed to authorization. */
export { KerberizedService } from './service';
export type { AcceptContext, AcceptResult, AuthenticatedIdentity, ServiceKey, ServiceState } from './service';
export {
  newIakerbAcceptor,
  readIakerbRequest,
  iakerbAnswerToken,
  verifyIakerbFinished,
  gssChecksumExtensions,
} from './iakerb';
export type { IakerbAcceptorState, IakerbRequest } from './iakerb';

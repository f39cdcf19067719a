/**
 * IAKERB from the initiator's side (draft-ietf-kitten-iakerb-03; MIT's iakerb_initiator_step): the
 * client's own step functions (AS, TGS) run unchanged, and this module is their transport. Each request
 * the client would send to a KDC goes into an IAKERB_PROXY token to the service; the service's token
 * back carries the KDC's reply. Every token sent and received is kept, in order, for the finish checksum
 * the AP-REQ then carries (`finishedOption`).
 *
 * Plain data, so a world can snapshot it: the dialect, the conversation so far, how many tokens went.
 */
import {
  DecodeError,
  decodeIakerbToken,
  decodeKrbError,
  encodeIakerbToken,
  IAKERB_DIALECTS,
  IAKERB_OID,
  type IakerbDialect,
} from '../asn1';
import { concatBytes } from '../util/bytes';
import { acceptApRep, buildApReq, type ApReqOptions, type ApSession } from './ap';
import { actorOf } from './config';
import { runClientAsync, type TransportAnswer } from './drive';
import { ClientError, ClientInputError } from './errors';
import type { ClientEvent } from './events';
import type { KerberosClient } from './machine';
import type { ClientRequest, ClientResult, SendRequest, StepContext } from './step';

/** KRB_AP_ERR_IAKERB_KDC_NOT_FOUND and _NO_RESPONSE (draft §3.2): the proxy could not reach a KDC. */
export const IAKERB_KDC_NOT_FOUND = 85;
export const IAKERB_KDC_NO_RESPONSE = 86;

/** MIT's IAKERB_MAX_HOPS: 16 AS round trips and the referral hops. */
export const IAKERB_MAX_TOKENS = 16 + 10;

export interface IakerbInitiator {
  dialect: IakerbDialect;
  /** Every IAKERB token sent and received, concatenated: what the finish checksum covers. */
  conv: Uint8Array;
  /** Tokens sent. */
  sent: number;
}

export function newIakerbInitiator(dialect: IakerbDialect = 'draft'): IakerbInitiator {
  return { dialect, conv: new Uint8Array(0), sent: 0 };
}

/** The token that carries `send` to the acceptor (framed when it is the first, or always in the draft). */
export function iakerbRequestToken(state: IakerbInitiator, send: SendRequest): Uint8Array {
  if (state.sent >= IAKERB_MAX_TOKENS)
    throw new ClientInputError(`the client sent ${IAKERB_MAX_TOKENS} IAKERB tokens without a ticket`);
  const framed = state.sent === 0 || IAKERB_DIALECTS[state.dialect].frameAll;
  const token = encodeIakerbToken(
    { header: { targetRealm: send.realm }, message: send.bytes, framed },
    state.dialect,
  );
  state.conv = concatBytes(state.conv, token);
  state.sent++;
  return token;
}

/**
 * Reads the acceptor's token: the KDC's reply for the client's step, or the proxy's own KRB-ERROR
 * (85, 86) as a transport failure. A token that is not IAKERB is a failure the client reports.
 */
export function iakerbReplyOf(state: IakerbInitiator, token: Uint8Array, from?: string): TransportAnswer {
  let read;
  let code: number | undefined;
  try {
    read = decodeIakerbToken(token);
    if (read.messageType === 'KRB-ERROR') code = decodeKrbError(read.message).errorCode;
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { failure: 'unreachable', message: `the service's answer is not an IAKERB token: ${e.message}` };
  }
  state.conv = concatBytes(state.conv, token);
  if (read.message.length === 0)
    return { failure: 'unreachable', message: 'the service relayed no KDC reply (an empty IAKERB token)' };
  if (code === IAKERB_KDC_NOT_FOUND || code === IAKERB_KDC_NO_RESPONSE) {
    const realm = read.header.targetRealm;
    return code === IAKERB_KDC_NO_RESPONSE
      ? {
          failure: 'timeout',
          message: `the service could not get an answer from a KDC of ${realm} (KRB_AP_ERR_IAKERB_KDC_NO_RESPONSE, 86)`,
        }
      : {
          failure: 'unreachable',
          message: `the service knows no KDC of ${realm} (KRB_AP_ERR_IAKERB_KDC_NOT_FOUND, 85)`,
        };
  }
  return { reply: read.message, ...(from ? { from } : {}) };
}

/** The AP-REQ options that close an IAKERB exchange: the IAKERB OID and the finish over the tokens. */
export function iakerbApOptions(state: IakerbInitiator): Pick<ApReqOptions, 'mech' | 'finished'> {
  const d = IAKERB_DIALECTS[state.dialect];
  return {
    mech: IAKERB_OID,
    finished: { conv: state.conv.slice(), extension: d.finishedExtension, usage: d.finishedUsage },
  };
}

/** Carries one token to the acceptor and brings its answer back (a socket, a GSS-API application's own framing). */
export type TokenExchange = (token: Uint8Array) => Promise<Uint8Array>;

export type IakerbOutcome =
  | { ok: true; session: ApSession; conversation: IakerbInitiator; events: ClientEvent[] }
  | { ok: false; error: ClientError; events: ClientEvent[] };

/**
 * The whole initiator, over any token exchange: the sign-in (when a password is given) and the service
 * ticket, each KDC message through the acceptor, then the AP-REQ with the finish and the AP-REP's check.
 */
export async function iakerbInitiate(
  client: KerberosClient,
  o: { password?: string; service: string; dialect?: IakerbDialect },
  exchange: TokenExchange,
  clock: () => StepContext,
): Promise<IakerbOutcome> {
  const state = newIakerbInitiator(o.dialect);
  const transport = async (send: SendRequest): Promise<TransportAnswer> =>
    iakerbReplyOf(state, await exchange(iakerbRequestToken(state, send)), 'the IAKERB acceptor');
  const events: ClientEvent[] = [];
  const requests: ClientRequest[] = [
    ...(o.password !== undefined ? [{ kind: 'sign-in' as const, password: o.password }] : []),
    { kind: 'service-ticket', service: o.service },
  ];
  let ticket: ClientResult | undefined;
  for (const request of requests) {
    const run = await runClientAsync(client, request, transport, clock);
    events.push(...run.events);
    ticket = run.result;
    if (!ticket.ok) return { ok: false, error: ticket.error, events };
  }
  if (!ticket?.ok) throw new ClientInputError('no service ticket');
  const actor = actorOf(client.snapshot().config);
  const built = buildApReq(ticket.credential, { actor, ...iakerbApOptions(state) }, clock());
  events.push(...built.events);
  try {
    const answer = acceptApRep(built.context, await exchange(built.token), actor);
    events.push(...answer.events);
    return { ok: true, session: answer.session, conversation: state, events };
  } catch (e) {
    if (e instanceof ClientError) return { ok: false, error: e, events };
    throw e;
  }
}

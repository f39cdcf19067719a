/**
 * IAKERB in the world (draft-ietf-kitten-iakerb-03): a client host that cannot reach any KDC opens a
 * Kerberized service that can. The client's own AS and TGS steps run as ever; their transport is the
 * service: each request goes to the service's port inside an IAKERB token, the service relays it to the
 * KDC of the realm the token names (a real round trip from the service's host, traced inside the
 * client's), and wraps the reply. Then the AP-REQ, under the IAKERB OID, with the finish checksum over
 * every token, which the service checks against the tokens it relayed.
 *
 * The trace shows each token as the Kerberos message it carries (its type), with its bytes the whole
 * token: the inspector opens the GSS-API framing, the IAKERB-HEADER and the relayed message inside.
 */
import { decodeKerberos, isIakerbProxyToken, type IakerbDialect } from '../asn1';
import { errorCodes } from '../asn1/registry';
import {
  acceptApRep,
  buildApReq,
  ClientError,
  iakerbApOptions,
  iakerbReplyOf,
  iakerbRequestToken,
  newIakerbInitiator,
  runClient,
  type ClientRequest,
  type ClientResult,
  type IakerbInitiator,
  type TransportAnswer,
} from '../client';
import { formatPrincipal } from '../asn1/principal';
import {
  iakerbAnswerToken,
  KerberizedService,
  newIakerbAcceptor,
  readIakerbRequest,
  type AcceptResult,
  type IakerbAcceptorState,
} from '../services';
import { acceptReply, clientOf, type ServiceAccess } from './flows';
import { sendToKdc } from './kdc-exchange';
import type { ServiceActorState } from './state';
import type { Narration } from './trace';
import { TCP_CONNECT_TIMEOUT, type Answer, type Protocol, type World } from './world';

interface IakerbRequestToService {
  serviceId: string;
  token: Uint8Array;
  acceptor: IakerbAcceptorState;
}

type IakerbServed = { token: Uint8Array } | { accepted: AcceptResult } | { refused: string };

const said = (actor: string, stage: string, text: string, ok = true): Narration => ({
  actor,
  stage,
  text,
  ok,
});

const an = (type: string) => (type.startsWith('A') ? 'an' : 'a');

/** The message a token carries, for the trace's type column. */
function carried(token: Uint8Array): { type: string; errorCode?: number } {
  const d = decodeKerberos(token);
  return d.type === 'KRB-ERROR' ? { type: d.type, errorCode: d.value.errorCode } : { type: d.type };
}

/** A service's answer to an IAKERB_PROXY token: the KDC's reply, relayed from the service's own host. */
function relay(world: World, svc: ServiceActorState, req: IakerbRequestToService): Answer<IakerbServed> {
  const me = `service ${svc.state.name.nameString.join('/')}@${svc.state.realm}`;
  const r = readIakerbRequest(req.acceptor, req.token);
  if (r.kind !== 'relay') {
    const why =
      r.kind === 'refused' ? r.reason : 'realm discovery is not modelled: the client names its realm';
    return {
      heard: [said(me, 'refuse', why, false)],
      value: { refused: why },
      reply: { type: 'refused', result: `refused: ${why}` },
    };
  }
  const heard = [
    said(me, 'decode', `an IAKERB token for the KDC of ${r.realm}: relaying the ${r.messageType} inside it`),
  ];
  const ex = sendToKdc(world, svc.host, r.realm, r.message, [
    said(
      me,
      'referral',
      `relays ${world.host(svc.host).name}'s copy of the client's ${r.messageType} (IAKERB)`,
    ),
  ]);
  const token = iakerbAnswerToken(
    req.acceptor,
    r.realm,
    ex.reply
      ? { reply: ex.reply }
      : {
          noKdc: ex.failure?.reason === 'no-listener' ? 'not-found' : 'no-response',
          now: world.hostNow(svc.host),
          sname: svc.state.name,
        },
  );
  const inner = carried(token);
  return {
    heard,
    requestResult: `IAKERB: ${an(r.messageType)} ${r.messageType} for the KDC of ${r.realm}, relayed`,
    value: { token },
    reply: {
      ...inner,
      bytes: token,
      result: ex.reply
        ? `IAKERB: the KDC's ${inner.type}, wrapped for the client`
        : `IAKERB: no KDC answered the service (${errorCodes.describe(inner.errorCode ?? 0)})`,
    },
  };
}

/** A Kerberized service that relays IAKERB tokens and accepts the AP-REQ that ends them. */
export const iakerbListener: Protocol<IakerbRequestToService, IakerbServed, ServiceActorState> = {
  listener: (world, at, req) => {
    const svc = world.service(req.serviceId);
    return svc.host === at.host && svc.port === at.port ? svc : undefined;
  },
  absent: (at) => `nothing listens on ${at.host}:${at.port}`,
  serve(world, svc, req) {
    if (isIakerbProxyToken(req.token)) return relay(world, svc, req);
    const accepted = new KerberizedService(svc.state).accept(req.token, {
      now: world.hostNow(svc.host),
      random: world.random,
      iakerb: req.acceptor,
    });
    return {
      heard: accepted.events,
      requestResult: `presents a ticket for ${svc.state.name.nameString.join('/')}@${svc.state.realm}, with the IAKERB finish`,
      value: { accepted },
      reply: acceptReply(accepted),
    };
  },
};

/** What the client has after an IAKERB conversation: the same as after a direct AP exchange. */
export type IakerbAccess = ServiceAccess;

interface Conversation {
  svc: ServiceActorState;
  initiator: IakerbInitiator;
  acceptor: IakerbAcceptorState;
}

/** One token to the service and its answer: the client's transport while IAKERB runs. */
function toService(
  world: World,
  hostId: string,
  c: Conversation,
  token: Uint8Array,
  message: { type: string; result: string; narration?: Narration[] },
) {
  return world.roundTrip(
    hostId,
    { host: c.svc.host, port: c.svc.port, transport: c.svc.transport },
    iakerbListener,
    { serviceId: c.svc.id, token, acceptor: c.acceptor },
    { ...message, bytes: token },
    {
      timeout: TCP_CONNECT_TIMEOUT,
      lossy: true,
      unanswered: (why) => ({
        request: `no answer: ${why.text}`,
        wait: `${hostId} could not connect to ${c.svc.host}:${c.svc.port}`,
      }),
    },
  );
}

/** Runs one client operation with the service as its only way to a KDC. */
function throughService(world: World, hostId: string, c: Conversation, request: ClientRequest): ClientResult {
  const client = clientOf(world, hostId);
  const what =
    request.kind === 'sign-in'
      ? 'sign in'
      : request.kind === 'service-ticket'
        ? `get a ticket for ${request.service}`
        : 'renew';
  world.action(hostId, request.kind, `${hostId}: ${what}, through ${c.svc.host} (IAKERB)`);
  const run = runClient(
    client,
    request,
    (send, narration): TransportAnswer => {
      const token = iakerbRequestToken(c.initiator, send);
      const trip = toService(world, hostId, c, token, {
        type: send.message,
        result: `IAKERB to ${c.svc.host}: ${an(send.message)} ${send.message} for the KDC of ${send.realm}`,
        ...(narration ? { narration: narration as Narration[] } : {}),
      });
      if (!trip.ok) return { failure: 'unreachable', message: trip.failure.text };
      const v = trip.value;
      if (!('token' in v))
        return { failure: 'unreachable', message: 'refused' in v ? v.refused : 'no token' };
      return iakerbReplyOf(c.initiator, v.token, c.svc.host);
    },
    () => ({ now: world.hostNow(hostId), random: world.random }),
  );
  world.setClient(hostId, client.snapshot());
  const r = run.result;
  world.action(
    hostId,
    'result',
    r.ok
      ? `${hostId}: got ${formatPrincipal(r.credential.server)} through IAKERB`
      : `${hostId}: ${what} failed: ${r.error.message}`,
    run.steps[run.steps.length - 1]!.events,
  );
  return r;
}

/**
 * Opens service `serviceId` through IAKERB: the sign-in (when `password` is given), the service ticket
 * for `spn`, each KDC message relayed by the service, then the AP exchange with the finish.
 */
export function accessServiceViaIakerb(
  world: World,
  hostId: string,
  serviceId: string,
  spn: string,
  o: { password?: string; dialect?: IakerbDialect } = {},
): IakerbAccess {
  const c: Conversation = {
    svc: world.service(serviceId),
    initiator: newIakerbInitiator(o.dialect),
    acceptor: newIakerbAcceptor(),
  };
  if (o.password !== undefined) {
    const signedIn = throughService(world, hostId, c, { kind: 'sign-in', password: o.password });
    if (!signedIn.ok) return failed(signedIn);
  }
  const ticket = throughService(world, hostId, c, { kind: 'service-ticket', service: spn });
  if (!ticket.ok) return failed(ticket);
  const client = clientOf(world, hostId);
  const actor = `${hostId} (${formatPrincipal(client.principal)})`;
  const built = buildApReq(
    ticket.credential,
    { actor, clockOffset: client.clockOffset, ...iakerbApOptions(c.initiator) },
    { now: world.hostNow(hostId), random: world.random },
  );
  // an attacker on the wire may change a byte of it (a tamper), as of any AP-REQ (flows.ts accessService)
  const changed = world.tamperedOnTheWay(hostId, built.token, 'AP-REQ');
  const trip = toService(world, hostId, c, changed?.bytes ?? built.token, {
    type: 'AP-REQ',
    result: 'sent',
    narration: changed ? [...built.events, changed.said] : built.events,
  });
  if (!trip.ok) return { ok: false, error: trip.failure.text, ticket };
  const v = trip.value;
  if (!('accepted' in v)) return { ok: false, error: 'the service did not answer the AP-REQ', ticket };
  if (!v.accepted.ok)
    return { ok: false, error: v.accepted.message, errorCode: v.accepted.errorCode, ticket };
  try {
    const mutual = v.accepted.apRep ? acceptApRep(built.context, v.accepted.apRep, actor) : undefined;
    if (mutual?.events.length)
      world.action(hostId, 'mutual-auth', `${hostId}: the service proved itself`, mutual.events);
    return {
      ok: true,
      identity: v.accepted.identity,
      ...(mutual ? { session: mutual.session } : {}),
      ticket,
    };
  } catch (e) {
    if (!(e instanceof ClientError)) throw e;
    return { ok: false, error: e.message, ...(e.code !== undefined ? { errorCode: e.code } : {}), ticket };
  }
}

function failed(r: ClientResult): IakerbAccess {
  if (r.ok) return { ok: true, ticket: r };
  return {
    ok: false,
    error: r.error.message,
    ...(r.error.code !== undefined ? { errorCode: r.error.code } : {}),
    ticket: r,
  };
}

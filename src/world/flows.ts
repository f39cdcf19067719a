/**
 * Clients living in the world: each client host keeps a Kerberos client (src/client) whose state is
 * plain data in the world's state, and the operations a person starts — sign in, get a ticket, open a
 * service, renew — run that client's state machine over the world's network, on the host's own clock.
 *
 * The narration of each client step is attached to the message it sends, so the trace reads as the
 * story: "the client asks… / the KDC checks… / the client verifies…".
 */
import {
  acceptApRep,
  buildApReq,
  KerberosClient,
  sessionWithoutApRep,
  type ApReqOptions,
  type ApSession,
  type ClientConfig,
  type ClientRequest,
  type ClientResult,
  type SendRequest,
  type TransportAnswer,
  runClient,
} from '../client';
import { ClientError } from '../client';
import { formatPrincipal } from '../asn1/principal';
import { errorCodes } from '../asn1/registry';
import { KerberizedService, type AcceptResult, type AuthenticatedIdentity } from '../services';
import { WorldError } from './errors';
import { sendToKdc } from './kdc-exchange';
import type { ServiceActorState } from './state';
import type { Narration } from './trace';
import { TCP_CONNECT_TIMEOUT, type Protocol, type World } from './world';
import { copyKey } from '../protocol/long-term-key';

/** Puts a Kerberos client on a host (a workstation and its user). */
export function addClient(world: World, hostId: string, config: ClientConfig): void {
  const client = new KerberosClient({ actor: `${hostId} (${config.principal})`, ...config });
  world.setClient(hostId, client.snapshot());
}

/** The Kerberos client on a host, to run (a copy: `world.setClient` puts it back). */
export function clientOf(world: World, hostId: string): KerberosClient {
  return KerberosClient.restore(world.client(hostId));
}

function save(world: World, hostId: string, client: KerberosClient): void {
  world.setClient(hostId, client.snapshot());
}

function describeRequest(r: ClientRequest): string {
  switch (r.kind) {
    case 'sign-in':
      return 'sign in';
    case 'service-ticket':
      return `get a ticket for ${r.service}`;
    case 'renew':
      return `renew ${r.server ?? 'the TGT'}`;
  }
}

/**
 * Runs one client operation to its end over the world's network. Returns the client's result; the trace
 * holds every message, with the client's narration on the requests it sent.
 */
export function runOperation(world: World, hostId: string, request: ClientRequest): ClientResult {
  const client = clientOf(world, hostId);
  world.action(hostId, request.kind, `${hostId}: ${describeRequest(request)}`);
  const run = runClient(
    client,
    request,
    (send, narration) => kdcAnswer(world, hostId, send, narration),
    () => ({ now: world.hostNow(hostId), random: world.random }),
  );
  save(world, hostId, client);
  const result = run.result;
  const summary = result.ok
    ? `${hostId}: ${result.outcome === 'signed-in' ? 'signed in' : result.outcome === 'renewed' ? 'renewed' : 'got'} ${formatPrincipal(result.credential.server)}${result.fromCache ? ' (from the cache)' : ''}`
    : `${hostId}: ${describeRequest(request)} failed: ${result.error.message}`;
  world.action(hostId, 'result', summary, run.steps[run.steps.length - 1]!.events);
  return result;
}

/** The world's network as the client's transport: the host's request to the realm's KDC, as located. */
function kdcAnswer(
  world: World,
  hostId: string,
  send: SendRequest,
  narration: Narration[] | undefined,
): TransportAnswer {
  const answer = sendToKdc(world, hostId, send.realm, send.bytes, narration, send.preferTcp === true);
  // klist's "Kdc Called": the KDC host, or KdcProxy:<proxy> when the reply came through a KDC proxy
  const loc = world.locatorFor(hostId, send.realm);
  const kdcHost = loc
    ? loc.transport === 'kkdcp'
      ? `KdcProxy:${world.host(loc.host).name}`
      : loc.host
    : undefined;
  if (answer.reply) return { reply: answer.reply, ...(kdcHost ? { from: kdcHost } : {}) };
  return {
    failure:
      answer.failure?.reason === 'timeout' || answer.failure?.reason === 'lost' ? 'timeout' : 'unreachable',
    message: answer.failure?.text ?? 'no answer',
  };
}

/**
 * A Kerberized service on its port: it checks the AP-REQ (bare, or in a GSS-API/SPNEGO token) and answers
 * with an AP-REP, a bare acceptance, or a KRB-ERROR.
 */
export const serviceListener: Protocol<
  { serviceId: string; token: Uint8Array },
  AcceptResult,
  ServiceActorState
> = {
  listener: (world, at, req) => {
    const svc = world.service(req.serviceId);
    return svc.host === at.host && svc.port === at.port ? svc : undefined;
  },
  absent: (at) => `nothing listens on ${at.host}:${at.port}`,
  serve(world, svc, req) {
    const result = new KerberizedService(svc.state).accept(req.token, {
      now: world.hostNow(svc.host),
      random: world.random,
    });
    return {
      heard: result.events,
      requestResult: `presents a ticket for ${svc.state.name.nameString.join('/')}@${svc.state.realm}`,
      value: result,
      reply: acceptReply(result),
    };
  },
};

/** What a service sends back for the AP-REQ it checked: an AP-REP, a bare acceptance, or a KRB-ERROR. */
export function acceptReply(result: AcceptResult) {
  const reply = result.ok ? result.apRep : result.error;
  return {
    type: result.ok ? (reply ? 'AP-REP' : 'accepted') : 'KRB-ERROR',
    ...(reply ? { bytes: reply } : {}),
    ...(!result.ok ? { errorCode: result.errorCode } : {}),
    result: result.ok
      ? `accepted ${result.identity.principal}`
      : `refused: ${errorCodes.describe(result.errorCode)}`,
  };
}

export interface ServiceAccess {
  ok: boolean;
  /** What went wrong, in one line, when not ok. */
  error?: string;
  errorCode?: number;
  identity?: AuthenticatedIdentity;
  session?: ApSession;
  ticket?: ClientResult;
}

/**
 * Opens a service the way SMB or HTTP does: get (or reuse) the service ticket, send the AP-REQ in a
 * GSS-API token, check the AP-REP. `spn` is the service's principal name ("cifs/fs1.corp.contoso.com").
 */
export function accessService(
  world: World,
  hostId: string,
  serviceId: string,
  spn: string,
  options: ApReqOptions = {},
): ServiceAccess {
  const ticket = runOperation(world, hostId, { kind: 'service-ticket', service: spn });
  if (!ticket.ok) {
    return {
      ok: false,
      error: ticket.error.message,
      ...(ticket.error.code !== undefined ? { errorCode: ticket.error.code } : {}),
      ticket,
    };
  }
  const client = clientOf(world, hostId);
  const built = buildApReq(
    ticket.credential,
    {
      actor: `${hostId} (${formatPrincipal(client.principal)})`,
      clockOffset: client.clockOffset,
      ...options,
    },
    { now: world.hostNow(hostId), random: world.random },
  );
  const svc = world.service(serviceId);
  // an attacker on the wire may change a byte of it (a tamper): the service gets, and the trace shows, that
  const changed = world.tamperedOnTheWay(hostId, built.token, 'AP-REQ');
  const token = changed?.bytes ?? built.token;
  const narration = changed ? [...built.events, changed.said] : built.events;
  const sent = world.roundTrip(
    hostId,
    { host: svc.host, port: svc.port, transport: svc.transport },
    serviceListener,
    { serviceId, token },
    { type: 'AP-REQ', bytes: token, result: 'sent', narration },
    {
      timeout: TCP_CONNECT_TIMEOUT,
      lossy: true,
      unanswered: (why) => ({
        request: `no answer: ${why.text}`,
        wait: `${hostId} could not connect to ${svc.host}:${svc.port}`,
      }),
    },
  );
  if (!sent.ok) return { ok: false, error: sent.failure.text, ticket };
  const verdict = sent.value;
  if (!verdict.ok) {
    return { ok: false, error: verdict.message, errorCode: verdict.errorCode, ticket };
  }
  try {
    const session = verdict.apRep
      ? acceptApRep(built.context, verdict.apRep, `${hostId} (${formatPrincipal(client.principal)})`)
      : { session: sessionWithoutApRep(built.context), events: [] };
    if (session.events.length)
      world.action(hostId, 'mutual-auth', `${hostId}: the service proved itself`, session.events);
    return { ok: true, identity: verdict.identity, session: session.session, ticket };
  } catch (e) {
    if (e instanceof ClientError) {
      return { ok: false, error: e.message, ...(e.code !== undefined ? { errorCode: e.code } : {}), ticket };
    }
    throw e;
  }
}

/** "KDC_ERR_PREAUTH_FAILED (24)" for a failed operation, for summaries. */
export function errorOf(result: ClientResult): string | undefined {
  if (result.ok) return undefined;
  return result.error.code !== undefined ? errorCodes.describe(result.error.code) : result.error.message;
}

/**
 * A service's state taken from the KDC's database: the keys the KDC holds for `spn` are the keys in the
 * service's keytab (what `ktpass` or `ktadd` would export).
 */
export function serviceStateFromKdc(
  kdc: import('../kdc').KdcState,
  realm: string,
  spn: string,
  maxSkew = 5 * 60_000,
): import('../services').ServiceState {
  const db = kdc.realms.find((r) => r.name === realm);
  const components = spn.split('/');
  const entry = db?.principals.find(
    (p) =>
      p.realm === realm &&
      p.name.nameString.length === components.length &&
      p.name.nameString.every((c, i) => c === components[i]),
  );
  if (!entry) throw new WorldError(`the KDC holds no ${spn}@${realm} to make a keytab from`);
  return {
    realm,
    name: { ...entry.name, nameString: [...entry.name.nameString] },
    keys: entry.keys.map(({ etype, kvno, key, from }) =>
      copyKey({ etype, kvno, ...(key ? { key } : {}), ...(from ? { from } : {}) }),
    ),
    maxSkew,
    replayCache: [],
  };
}

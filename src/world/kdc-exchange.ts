/**
 * Kerberos to and from a KDC over the world's network, both ends:
 *
 * - the KDC's listeners: UDP and TCP on port 88 (RFC 4120 §7.2.1; over UDP a reply bigger than a datagram
 *   should carry becomes KRB_ERR_RESPONSE_TOO_BIG), and the KDC proxy on 443 (MS-KKDCP: the Kerberos
 *   message inside a KDC-PROXY-MESSAGE, in an HTTPS POST). The labels of their replies come from what the
 *   KDC says it answered (`KdcResult`);
 * - the client's transport, as MIT's sendto_kdc does it: find the realm's KDC with the host's locator, try
 *   UDP a few times with growing waits, switch to TCP when the KDC says the reply is too big for UDP, or go
 *   through the KDC proxy.
 */
import {
  addTcpPrefix,
  decodeKdcProxyMessage,
  decodeKerberos,
  decodeKrbError,
  encodeKdcProxyMessage,
  encodeKrbError,
  stripTcpPrefix,
} from '../asn1';
import { ErrorCode, errorCodes, MessageType } from '../asn1/registry';
import { DecodeError } from '../asn1/errors';
import type { KdcResult } from '../kdc';
import { krbtgtName } from '../asn1/principal';
import { formatDuration, kerberosTimestamp } from '../asn1/time';
import type { KdcAdmin } from './kdc-admin';
import { hostAddresses } from './addresses';
import { securityEvent } from './security-log';
import { attachedCache } from '../protocol/memo';
import type { KdcLocation } from './state';
import type { Narration } from './trace';
import {
  TCP_CONNECT_TIMEOUT,
  UDP_REPLY_LIMIT,
  UDP_TIMEOUTS,
  type Answer,
  type Endpoint,
  type Protocol,
  type TransportFailure,
  type World,
} from './world';

export interface KdcExchange {
  reply?: Uint8Array;
  failure?: TransportFailure;
}

// ---- the KDC's side -------------------------------------------------------------------------------------

const ADDRESSES = Symbol("the hosts' addresses");

/**
 * The DC writes its Security log event for the exchange it just answered, from what the KDC read and
 * issued. The hosts' addresses are worked out once per hosts list (the world never adds a host to it).
 */
function audit(world: World, kdc: KdcAdmin, result: KdcResult, from: string, now: number) {
  const addresses = attachedCache(world.hosts, ADDRESSES, () => hostAddresses(world.hosts));
  const clientAddress = addresses[from] ?? '0.0.0.0';
  const event = securityEvent({ ...result, now, clientAddress, clientPort: 0 });
  if (event) kdc.audit(event);
}

/** One line about a KDC reply: the error, or the ticket it carries (and whether it is a referral). */
function replyLine(result: KdcResult): string {
  if (result.replyType === 'KRB-ERROR') return errorCodes.describe(result.errorCode!);
  const ticket = result.ticket;
  if (!ticket) return result.replyType;
  const t = ticket.sname;
  const got = `${t.nameString.join('/')}@${ticket.realm}`;
  const asked = result.server ?? '';
  if (result.replyType === 'TGS-REP' && t.nameString[0] === 'krbtgt' && !/^krbtgt[/@]/.test(asked)) {
    return `referral: ${got} (the service is in ${t.nameString[1]})`;
  }
  return `ticket for ${got}`;
}

function kdcAnswer<V>(value: V, result: KdcResult, bytes = result.reply, inner?: Uint8Array): Answer<V> {
  return {
    heard: result.events,
    value,
    reply: {
      type: result.replyType,
      bytes,
      ...(inner ? { inner } : {}),
      ...(result.errorCode !== undefined ? { errorCode: result.errorCode } : {}),
      result: replyLine(result),
    },
  };
}

/** A changed KRB-ERROR labelled with the error it now says (the client reads that one); else nothing. */
function errorAsChanged(bytes: Uint8Array): { errorCode: number; result: string } | Record<string, never> {
  if (bytes[0] !== 0x7e) return {};
  try {
    const code = decodeKrbError(bytes).errorCode;
    return { errorCode: code, result: errorCodes.describe(code) };
  } catch (e) {
    if (e instanceof DecodeError) return {};
    throw e;
  }
}

/** RFC 4120 §7.2.1: "the reply is too big for UDP; ask again over TCP". */
function tooBigError(kdc: KdcAdmin, now: number, size: number): Uint8Array {
  const realm = kdc.realms[0] ?? '';
  const { time, usec } = kerberosTimestamp(now);
  return encodeKrbError({
    pvno: 5,
    msgType: MessageType.KRB_ERROR,
    stime: time,
    susec: usec,
    errorCode: ErrorCode.KRB_ERR_RESPONSE_TOO_BIG,
    realm,
    sname: krbtgtName(realm),
    eText: `the reply is ${size} bytes, more than a UDP datagram should carry; ask again over TCP`,
  });
}

/** A KDC on port 88, UDP or TCP. Its answer: the reply, which over UDP may be "too big, use TCP". */
export const kdcListener: Protocol<Uint8Array, { reply: Uint8Array; tooBig: boolean }, KdcAdmin> = {
  listener: (world, at) => world.kdcOn(at.host),
  absent: (at) => `${at.host} runs no KDC`,
  serve(world, kdc, request, from, at) {
    const now = world.hostNow(at.host);
    const result = kdc.handle(request, { now, random: world.random });
    audit(world, kdc, result, from, now);
    if (at.transport !== 'udp' || result.reply.length <= UDP_REPLY_LIMIT) {
      const changed = world.tamperedOnTheWay(at.host, result.reply);
      if (!changed) return kdcAnswer({ reply: result.reply, tooBig: false }, result);
      // what the client gets is what the attacker left: the trace shows those bytes, and says what changed
      const answer = kdcAnswer({ reply: changed.bytes, tooBig: false }, result, changed.bytes);
      return {
        ...answer,
        reply: { ...answer.reply, ...errorAsChanged(changed.bytes), narration: [changed.said] },
      };
    }
    const reply = tooBigError(kdc, now, result.reply.length);
    return {
      heard: result.events,
      value: { reply, tooBig: true },
      reply: {
        type: 'KRB-ERROR',
        bytes: reply,
        errorCode: ErrorCode.KRB_ERR_RESPONSE_TOO_BIG,
        result: `the ${result.replyType} is ${result.reply.length} bytes, too big for UDP: KRB_ERR_RESPONSE_TOO_BIG, retry over TCP`,
      },
    };
  },
};

/** A KDC proxy (MS-KKDCP) on 443: it unwraps the KDC-PROXY-MESSAGE, asks its KDC, wraps the reply. */
export const kdcProxyListener: Protocol<Uint8Array, Uint8Array, KdcAdmin> = {
  listener: (world, at) => world.kdcOn(at.host),
  absent: (at) => `${at.host} runs no KDC behind its proxy`,
  serve(world, kdc, body, from, at) {
    const request = stripTcpPrefix(decodeKdcProxyMessage(body).kerbMessage);
    const now = world.hostNow(at.host);
    const result = kdc.handle(request, { now, random: world.random });
    audit(world, kdc, result, from, now);
    const replyBody = encodeKdcProxyMessage({ kerbMessage: addTcpPrefix(result.reply) });
    return kdcAnswer(result.reply, result, replyBody, result.reply);
  },
};

// ---- the client's side ----------------------------------------------------------------------------------

/** What the client's request is, for its trace line: its type, and who asks for what. */
function requestLine(bytes: Uint8Array): { type: string; line: string } {
  try {
    const d = decodeKerberos(bytes);
    if (d.type !== 'AS-REQ' && d.type !== 'TGS-REQ') return { type: d.type, line: d.type };
    const b = d.value.reqBody;
    const sname = b.sname ? `${b.sname.nameString.join('/')}@${b.realm}` : '?';
    if (d.type === 'TGS-REQ') return { type: d.type, line: `asks for ${sname}` };
    const who = b.cname ? `${b.cname.nameString.join('/')}@${b.realm}` : '?';
    const preauth = d.value.padata?.some((p) => p.padataType === 2) ? ', with PA-ENC-TIMESTAMP' : '';
    return { type: d.type, line: `${who} asks for ${sname}${preauth}` };
  } catch {
    return { type: 'bytes', line: 'sent' };
  }
}

/** A transport failure as the client reports it: a packet lost every time is a timeout. */
const gaveUp = (why: TransportFailure, text = why.text): TransportFailure => ({
  reason: why.reason === 'lost' ? 'timeout' : why.reason,
  text,
});

/**
 * Sends a KDC request from a host to the KDC of `realm`, as a client's transport layer does (MIT's
 * sendto_kdc): over the transport the host's locator gives, retrying UDP after timeouts, switching to TCP
 * when the KDC says the reply is too big for UDP, or through the KDC proxy (MS-KKDCP). Every message is
 * traced; the virtual clock moves by the latencies and the waits.
 */
export function sendToKdc(
  world: World,
  fromHost: string,
  realm: string,
  request: Uint8Array,
  narration: Narration[] = [],
  preferTcp = false,
): KdcExchange {
  const loc = world.locatorFor(fromHost, realm);
  if (!loc) {
    const text = `no KDC is known for realm ${realm} (no locator entry): "Cannot find KDC for realm"`;
    world.recordEvent({
      kind: 'timeout',
      from: fromHost,
      to: fromHost,
      transport: 'local',
      type: 'locate',
      result: text,
      narration,
    });
    return { failure: { reason: 'no-kdc', text } };
  }
  const line = requestLine(request);
  if (loc.transport === 'kkdcp') return viaKdcProxy(world, fromHost, realm, loc, request, line, narration);
  let transport: 'udp' | 'tcp' = preferTcp ? 'tcp' : loc.transport;
  for (;;) {
    const out = overUdpOrTcp(
      world,
      fromHost,
      { host: loc.host, port: 88, transport },
      request,
      line,
      narration,
    );
    narration = [];
    if (out.failure || !out.reply) return out;
    if (transport === 'udp' && out.tooBig) {
      transport = 'tcp'; // RFC 4120 §7.2.1: KRB_ERR_RESPONSE_TOO_BIG means "ask again over TCP"
      continue;
    }
    return { reply: out.reply };
  }
}

function overUdpOrTcp(
  world: World,
  fromHost: string,
  kdc: Endpoint,
  request: Uint8Array,
  line: { type: string; line: string },
  narration: Narration[],
): KdcExchange & { tooBig?: boolean } {
  const tries = kdc.transport === 'udp' ? UDP_TIMEOUTS : [TCP_CONNECT_TIMEOUT];
  for (let attempt = 0; ; attempt++) {
    const wait = tries[attempt]!;
    const trip = world.roundTrip(
      fromHost,
      kdc,
      kdcListener,
      request,
      {
        type: line.type,
        bytes: request,
        result: attempt === 0 ? line.line : `sent again (try ${attempt + 1})`,
        narration: attempt === 0 ? narration : [],
      },
      {
        timeout: wait,
        lossy: true,
        unanswered: (why) => ({
          request: `no answer: ${why.text}`,
          wait: `${fromHost} waited ${formatDuration(wait)} for ${kdc.host}`,
        }),
      },
    );
    if (trip.ok) return trip.value;
    if (trip.failure.reason === 'no-listener') return { failure: trip.failure };
    if (attempt === tries.length - 1) {
      const n = tries.length;
      return {
        failure: gaveUp(trip.failure, `${trip.failure.text} (gave up after ${n} ${n > 1 ? 'tries' : 'try'})`),
      };
    }
  }
}

/** MS-KKDCP: the request goes to the proxy over HTTPS inside a KDC-PROXY-MESSAGE; the reply comes back the same way. */
function viaKdcProxy(
  world: World,
  fromHost: string,
  realm: string,
  loc: KdcLocation,
  request: Uint8Array,
  line: { type: string; line: string },
  narration: Narration[],
): KdcExchange {
  const body = encodeKdcProxyMessage({ kerbMessage: addTcpPrefix(request), targetDomain: realm });
  const trip = world.roundTrip(
    fromHost,
    { host: loc.host, port: 443, transport: 'kkdcp' },
    kdcProxyListener,
    body,
    {
      type: line.type,
      bytes: body,
      inner: request,
      result: `POST https://${world.host(loc.host).name}${loc.proxyPath ?? '/KdcProxy'}: ${line.line}`,
      narration,
    },
    { timeout: TCP_CONNECT_TIMEOUT, lossy: true },
  );
  if (trip.ok) return { reply: trip.value };
  return { failure: trip.failure.reason === 'no-listener' ? trip.failure : gaveUp(trip.failure) };
}

/**
 * The simulated world: a virtual clock that moves only when told, hosts with their own clock offsets,
 * a network with latency, links that go down, ports that get blocked and packets that get lost, KDCs and
 * services on hosts, and a KDC locator per realm. Every message that crosses the network is recorded in
 * the trace (trace.ts).
 *
 * Everything the world holds is plain data (`WorldState`), so `snapshot()` is a structuredClone and
 * stepping back in the UI is `World.restore(snapshot)`: nothing is ever undone by hand. Same seed, same
 * actions: byte-identical trace.
 */
import {
  decodeKerberos,
  decodeKdcProxyMessage,
  encodeKdcProxyMessage,
  encodeKrbError,
  addTcpPrefix,
  stripTcpPrefix,
} from '../asn1';
import { ErrorCode, errorCodes, MessageType } from '../asn1/registry';
import type { RandomSource } from '../crypto';
import { Kdc } from '../kdc';
import { kerberosTimestamp, formatDuration } from '../protocol/time';
import { krbtgtName } from '../protocol/principal';
import { KerberizedService, type AcceptResult, type ServiceState } from '../services';
import { WorldError } from './errors';
import { randomSourceOf, seedRandomState, nextUnit } from './random';
import type {
  EntraState,
  HostState,
  KdcActorState,
  KdcLocation,
  LinkState,
  NetworkState,
  ServiceActorState,
  TraceNote,
  WindowsHostState,
  WorldState,
} from './state';
import type { Narration, TraceEvent } from './trace';
import type { ClientSnapshot } from '../client';
import { KdcAdmin } from './kdc-admin';

/** Why a message got no answer. */
export interface TransportFailure {
  reason: 'no-kdc' | 'host-down' | 'link-down' | 'port-blocked' | 'lost' | 'timeout';
  text: string;
}

/**
 * The most a KDC sends over UDP before answering KRB_ERR_RESPONSE_TOO_BIG (Windows' MaxDatagramReplySize
 * default, 1465 bytes), so that the client retries over TCP (RFC 4120 §7.2.1).
 */
export const UDP_REPLY_LIMIT = 1465;
/** How long a client waits for each UDP try (MIT: 1 s, then longer), and for a TCP connection. */
export const UDP_TIMEOUTS = [1000, 2000, 4000];
export const TCP_CONNECT_TIMEOUT = 10_000;

export interface KdcExchange {
  reply?: Uint8Array;
  failure?: TransportFailure;
}

/** What a new world starts from: everything but the random state, the trace and the notes. */
export type WorldInit = Omit<WorldState, 'random' | 'trace' | 'notes' | 'entra'> & { seed: number };

export class World {
  private state: WorldState;
  private rng: RandomSource;

  constructor(state: WorldState) {
    this.state = state;
    this.rng = randomSourceOf(this.state.random);
  }

  static create(init: WorldInit): World {
    const { seed, ...rest } = init;
    return new World({ ...rest, random: seedRandomState(seed), trace: [], notes: {} });
  }

  snapshot(): WorldState {
    return structuredClone(this.state);
  }

  static restore(state: WorldState): World {
    return new World(structuredClone(state));
  }

  get now(): number {
    return this.state.now;
  }

  get trace(): readonly TraceEvent[] {
    return this.state.trace;
  }

  get random(): RandomSource {
    return this.rng;
  }

  // ---- hosts and what each runs ----

  host(id: string): HostState {
    const h = this.state.hosts.find((x) => x.id === id);
    if (!h) throw new WorldError(`there is no host "${id}" in this world`);
    return h;
  }

  /** The hosts, in the order the world was given them (read them; the methods below change them). */
  get hosts(): readonly Readonly<HostState>[] {
    return this.state.hosts;
  }

  /** A host's own clock reading: the world's time plus its offset (clock skew is per host). */
  hostNow(id: string): number {
    return this.state.now + this.host(id).clockOffset;
  }

  /** The Kerberos client on a host: its configuration and credential cache, live. */
  client(hostId: string): ClientSnapshot {
    const c = this.host(hostId).client;
    if (!c) throw new WorldError(`${hostId} has no Kerberos client`);
    return c;
  }

  /** Puts a Kerberos client's state on a host (a new client, or one that ran an operation). */
  setClient(hostId: string, client: ClientSnapshot): void {
    this.host(hostId).client = client;
  }

  /** The hosts that run a Kerberos client. */
  clientHosts(): string[] {
    return this.state.hosts.filter((h) => h.client).map((h) => h.id);
  }

  /** Windows on a host (src/azure/windows.ts), live; undefined when the host does not run it. */
  windowsHost(hostId: string): WindowsHostState | undefined {
    return this.host(hostId).windows;
  }

  setWindowsHost(hostId: string, windows: WindowsHostState): void {
    this.host(hostId).windows = windows;
  }

  /** Entra ID's state (src/azure/entra.ts), live; undefined when the world has no Entra. */
  get entra(): EntraState | undefined {
    return this.state.entra;
  }

  setEntra(entra: EntraState): void {
    this.state.entra = entra;
  }

  // ---- where the KDCs are ----

  /** Where `hostId` finds `realm`'s KDC: its own locator first, then what DNS answers. */
  locatorFor(hostId: string, realm: string): KdcLocation | undefined {
    const own = this.host(hostId).locator?.[realm];
    if (own === null) return undefined;
    return own ?? this.state.locator[realm];
  }

  /**
   * Sets (a location), hides (`null`: the host finds no KDC for the realm) or clears (undefined: back to
   * DNS) one realm in a host's own locator.
   */
  setHostLocator(hostId: string, realm: string, location: KdcLocation | null | undefined): void {
    const h = this.host(hostId);
    if (location === undefined) {
      if (h.locator) delete h.locator[realm];
      return;
    }
    h.locator = { ...(h.locator ?? {}), [realm]: location };
  }

  /** What DNS answers for each realm's KDC. */
  get locator(): Readonly<Record<string, Readonly<KdcLocation>>> {
    return this.state.locator;
  }

  setRealmLocator(realm: string, location: KdcLocation): void {
    this.state.locator[realm] = { ...location };
  }

  // ---- KDCs and services ----

  get kdcs(): readonly Readonly<KdcActorState>[] {
    return this.state.kdcs;
  }

  /** The administrator's handle on the KDC running on a host (kadmin, Active Directory's tools). */
  kdc(hostId: string): KdcAdmin {
    const actor = this.state.kdcs.find((k) => k.host === hostId);
    if (!actor) throw new WorldError(`${hostId} runs no KDC`);
    return new KdcAdmin(actor);
  }

  /** The KDCs that serve a realm. */
  kdcsServing(realm: string): KdcAdmin[] {
    return this.state.kdcs
      .filter((k) => k.state.realms.some((r) => r.name === realm))
      .map((k) => new KdcAdmin(k));
  }

  get services(): readonly Readonly<ServiceActorState>[] {
    return this.state.services;
  }

  addService(service: ServiceActorState): void {
    if (this.state.services.some((s) => s.id === service.id))
      throw new WorldError(`there is already a service "${service.id}"`);
    this.host(service.host);
    this.state.services.push(service);
  }

  /** A service's new keytab (after a password change of its principal). */
  setServiceKeys(serviceId: string, keys: ServiceState['keys']): void {
    const svc = this.state.services.find((s) => s.id === serviceId);
    if (!svc) throw new WorldError(`there is no service "${serviceId}" in this world`);
    svc.state.keys = keys;
  }

  get network(): Readonly<NetworkState> {
    return this.state.network;
  }

  /** Temporary: the layers above still move the clock for their own network steps (until the round trip). */
  get raw(): WorldState {
    return this.state;
  }

  // ---- the person at the controls ----

  /** Moves the virtual clock forward (it never moves by itself), with a trace line that says why. */
  elapse(ms: number, why?: string): void {
    if (!(ms >= 0)) throw new WorldError(`time only moves forward here; ${ms} ms is not a step`);
    this.state.now += ms;
    this.action('local', 'advance', why ?? `the clock moves forward ${formatDuration(ms)}`);
  }

  setClockOffset(hostId: string, offset: number): void {
    this.host(hostId).clockOffset = offset;
    this.action(
      hostId,
      'set-skew',
      `${hostId}'s clock is now ${offset >= 0 ? '+' : '-'}${formatDuration(Math.abs(offset))} from true time`,
    );
  }

  setHostUp(hostId: string, up: boolean): void {
    this.host(hostId).up = up;
    this.action(hostId, up ? 'host-up' : 'host-down', `${hostId} is ${up ? 'up' : 'down'}`);
  }

  setLink(a: string, b: string, patch: Partial<Omit<LinkState, 'a' | 'b'>>): void {
    let link = this.linkBetween(a, b);
    if (!link) {
      link = { a, b, up: true };
      this.state.network.links.push(link);
    }
    Object.assign(link, patch);
    this.action(
      a,
      'link',
      `the link ${a} ↔ ${b} is ${link.up ? 'up' : 'down'}${link.loss ? `, losing ${Math.round(link.loss * 100)}% of packets` : ''}`,
    );
  }

  blockPort(hostId: string, port: number, blocked = true): void {
    const list = this.state.network.blocked;
    const i = list.findIndex((b) => b.host === hostId && b.port === port);
    if (blocked && i < 0) list.push({ host: hostId, port });
    if (!blocked && i >= 0) list.splice(i, 1);
    this.action(hostId, 'firewall', `port ${port} to ${hostId} is ${blocked ? 'blocked' : 'open again'}`);
  }

  // ---- the trace ----

  /** A note on a trace event (the Windows error a console showed for it). */
  annotate(seq: number, note: TraceNote): void {
    this.state.notes[seq] = { ...(this.state.notes[seq] ?? {}), ...note };
  }

  noteOf(seq: number): TraceNote | undefined {
    return this.state.notes[seq];
  }

  /** Records something a person did, so the trace tells the whole story. */
  action(hostId: string, type: string, result: string, narration: Narration[] = []): TraceEvent {
    return this.record({
      kind: 'action',
      from: hostId,
      to: hostId,
      transport: 'local',
      type,
      result,
      narration,
    });
  }

  // ---- the network ----

  /**
   * Appends an event to the trace (numbered, timed now unless `t` is given). The layers above the world
   * (scenarios, the Azure actors) record their own modelled steps through it.
   */
  recordEvent(e: Omit<TraceEvent, 'seq' | 't'> & { t?: number }): TraceEvent {
    return this.record(e);
  }

  private record(e: Omit<TraceEvent, 'seq' | 't'> & { t?: number }): TraceEvent {
    const event: TraceEvent = {
      seq: this.state.trace.length + 1,
      t: e.t ?? this.state.now,
      ...e,
    } as TraceEvent;
    this.state.trace.push(event);
    return event;
  }

  private linkBetween(a: string, b: string): LinkState | undefined {
    return this.state.network.links.find((l) => (l.a === a && l.b === b) || (l.a === b && l.b === a));
  }

  /** One-way latency between two hosts, ms. */
  latency(a: string, b: string): number {
    return this.linkBetween(a, b)?.latency ?? this.state.network.latency;
  }

  /**
   * Why nothing from a would reach b:port (a host down, a link down, a firewall), or undefined when the
   * way is open. Packet loss is drawn separately, per packet.
   */
  unreachable(a: string, b: string, port: number): TransportFailure | undefined {
    if (!this.host(a).up) return { reason: 'host-down', text: `${a} is down` };
    if (!this.host(b).up) return { reason: 'host-down', text: `${b} is down: nothing answers` };
    const link = this.linkBetween(a, b);
    if (link && !link.up)
      return { reason: 'link-down', text: `no route from ${a} to ${b}: the link is down` };
    if (this.state.network.blocked.some((x) => x.host === b && x.port === port)) {
      return { reason: 'port-blocked', text: `a firewall drops traffic to ${b} port ${port}` };
    }
    return undefined;
  }

  /** Why a packet from a to b:port would not arrive (unreachable, or lost this time), or undefined. */
  private blockedReason(a: string, b: string, port: number): TransportFailure | undefined {
    const why = this.unreachable(a, b, port);
    if (why) return why;
    const loss = this.linkBetween(a, b)?.loss ?? 0;
    if (loss > 0 && nextUnit(this.state.random) < loss)
      return { reason: 'lost', text: `the packet to ${b} was lost` };
    return undefined;
  }

  private kdcOn(hostId: string): KdcActorState | undefined {
    return this.state.kdcs.find((k) => k.host === hostId);
  }

  /** One line about a KDC request: who asks for what. */
  private summarizeRequest(bytes: Uint8Array): string {
    try {
      const d = decodeKerberos(bytes);
      if (d.type !== 'AS-REQ' && d.type !== 'TGS-REQ') return d.type;
      const b = d.value.reqBody;
      const sname = b.sname ? `${b.sname.nameString.join('/')}@${b.realm}` : '?';
      if (d.type === 'AS-REQ') {
        const who = b.cname ? `${b.cname.nameString.join('/')}@${b.realm}` : '?';
        const preauth = d.value.padata?.some((p) => p.padataType === 2) ? ', with PA-ENC-TIMESTAMP' : '';
        return `${who} asks for ${sname}${preauth}`;
      }
      return `asks for ${sname}`;
    } catch {
      return 'sent';
    }
  }

  /** One line about a KDC reply: the ticket it carries (and whether it is a referral), or the error. */
  private summarizeReply(reply: Uint8Array, request: Uint8Array): string {
    try {
      const d = decodeKerberos(reply);
      if (d.type === 'KRB-ERROR') return errorCodes.describe(d.value.errorCode);
      if (d.type !== 'AS-REP' && d.type !== 'TGS-REP') return d.type;
      const t = d.value.ticket;
      const got = `${t.sname.nameString.join('/')}@${t.realm}`;
      const req = decodeKerberos(request);
      const asked = req.type === 'TGS-REQ' ? req.value.reqBody.sname : undefined;
      if (asked && t.sname.nameString[0] === 'krbtgt' && asked.nameString[0] !== 'krbtgt') {
        return `referral: ${got} (the service is in ${t.sname.nameString[1]})`;
      }
      return `ticket for ${got}`;
    } catch {
      return 'reply';
    }
  }

  /** The type of a Kerberos message, for the trace ("AS-REQ", "KRB-ERROR"…), and its error code. */
  private describe(bytes: Uint8Array): { type: string; errorCode?: number } {
    try {
      const d = decodeKerberos(bytes);
      if (d.type === 'KRB-ERROR') return { type: d.type, errorCode: d.value.errorCode };
      return { type: d.type };
    } catch {
      return { type: 'bytes' };
    }
  }

  /**
   * Sends a KDC request from a client host to the KDC of `realm`, as a client's transport layer does
   * (MIT's sendto_kdc): over the realm's transport, retrying UDP after timeouts, switching to TCP when
   * the KDC says the reply is too big for UDP, or through the KDC proxy (MS-KKDCP). Every message is
   * traced; the virtual clock moves by the latencies and the waits.
   */
  sendToKdc(
    fromHost: string,
    realm: string,
    request: Uint8Array,
    narration: Narration[] = [],
    preferTcp = false,
  ): KdcExchange {
    const loc = this.locatorFor(fromHost, realm);
    if (!loc) {
      const text = `no KDC is known for realm ${realm} (no locator entry): "Cannot find KDC for realm"`;
      this.record({
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
    if (loc.transport === 'kkdcp') return this.viaKdcProxy(fromHost, realm, loc, request, narration);
    let transport: 'udp' | 'tcp' = preferTcp ? 'tcp' : loc.transport;
    for (;;) {
      const out = this.exchange(fromHost, loc.host, transport, request, narration);
      narration = [];
      if (out.failure || !out.reply) return out;
      if (transport === 'udp' && out.tooBig) {
        transport = 'tcp'; // RFC 4120 §7.2.1: KRB_ERR_RESPONSE_TOO_BIG means "ask again over TCP"
        continue;
      }
      return { reply: out.reply };
    }
  }

  private exchange(
    fromHost: string,
    kdcHost: string,
    transport: 'udp' | 'tcp',
    request: Uint8Array,
    narration: Narration[],
  ): KdcExchange & { tooBig?: boolean } {
    const tries = transport === 'udp' ? UDP_TIMEOUTS : [TCP_CONNECT_TIMEOUT];
    const { type } = this.describe(request);
    for (let attempt = 0; attempt < tries.length; attempt++) {
      const sent = this.record({
        kind: 'message',
        from: fromHost,
        to: kdcHost,
        transport,
        port: 88,
        type,
        bytes: request,
        result: attempt === 0 ? this.summarizeRequest(request) : `sent again (try ${attempt + 1})`,
        narration: attempt === 0 ? narration : [],
      });
      const blocked = this.blockedReason(fromHost, kdcHost, 88);
      if (blocked) {
        this.state.now += tries[attempt]!;
        sent.result = `no answer: ${blocked.text}`;
        this.record({
          kind: 'timeout',
          from: fromHost,
          to: kdcHost,
          transport,
          port: 88,
          type: 'timeout',
          result: `${fromHost} waited ${formatDuration(tries[attempt]!)} for ${kdcHost}`,
          narration: [],
          replyTo: sent.seq,
        });
        if (attempt === tries.length - 1) {
          return {
            failure: {
              reason: blocked.reason === 'lost' ? 'timeout' : blocked.reason,
              text: `${blocked.text} (gave up after ${tries.length} ${tries.length > 1 ? 'tries' : 'try'})`,
            },
          };
        }
        continue;
      }
      const kdcActor = this.kdcOn(kdcHost);
      if (!kdcActor) {
        return { failure: { reason: 'host-down', text: `${kdcHost} runs no KDC` } };
      }
      this.state.now += this.latency(fromHost, kdcHost);
      const kdc = new Kdc(kdcActor.state);
      const result = kdc.handle(request, { now: this.hostNow(kdcHost), random: this.rng });
      sent.narration = [...sent.narration, ...result.events];
      let reply = result.reply;
      let tooBig = false;
      if (transport === 'udp' && reply.length > UDP_REPLY_LIMIT) {
        tooBig = true;
        reply = this.tooBigError(kdcHost, result.reply.length, kdcActor.state.realms[0]?.name ?? '');
      }
      const described = this.describe(reply);
      this.record({
        kind: 'message',
        from: kdcHost,
        to: fromHost,
        transport,
        port: 88,
        type: described.type,
        bytes: reply,
        ...(described.errorCode !== undefined ? { errorCode: described.errorCode } : {}),
        result: tooBig
          ? `the ${result.replyType} is ${result.reply.length} bytes, too big for UDP: KRB_ERR_RESPONSE_TOO_BIG, retry over TCP`
          : this.summarizeReply(reply, request),
        narration: [],
        replyTo: sent.seq,
      });
      this.state.now += this.latency(kdcHost, fromHost);
      return { reply, tooBig };
    }
    return { failure: { reason: 'timeout', text: 'no answer' } };
  }

  private tooBigError(kdcHost: string, size: number, realm: string): Uint8Array {
    const { time, usec } = kerberosTimestamp(this.hostNow(kdcHost));
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

  /** MS-KKDCP: the request goes to the proxy over HTTPS inside a KDC-PROXY-MESSAGE; the reply comes back the same way. */
  private viaKdcProxy(
    fromHost: string,
    realm: string,
    loc: KdcLocation,
    request: Uint8Array,
    narration: Narration[],
  ): KdcExchange {
    const body = encodeKdcProxyMessage({ kerbMessage: addTcpPrefix(request), targetDomain: realm });
    const { type } = this.describe(request);
    const sent = this.record({
      kind: 'message',
      from: fromHost,
      to: loc.host,
      transport: 'kkdcp',
      port: 443,
      type,
      bytes: body,
      inner: request,
      result: `POST https://${this.host(loc.host).name}${loc.proxyPath ?? '/KdcProxy'}: ${this.summarizeRequest(request)}`,
      narration,
    });
    const blocked = this.blockedReason(fromHost, loc.host, 443);
    if (blocked) {
      this.state.now += TCP_CONNECT_TIMEOUT;
      sent.result = `no answer: ${blocked.text}`;
      return {
        failure: { reason: blocked.reason === 'lost' ? 'timeout' : blocked.reason, text: blocked.text },
      };
    }
    const kdcActor = this.kdcOn(loc.host);
    if (!kdcActor)
      return { failure: { reason: 'host-down', text: `${loc.host} runs no KDC behind its proxy` } };
    this.state.now += this.latency(fromHost, loc.host);
    const inner = stripTcpPrefix(decodeKdcProxyMessage(body).kerbMessage);
    const result = new Kdc(kdcActor.state).handle(inner, { now: this.hostNow(loc.host), random: this.rng });
    sent.narration = [...sent.narration, ...result.events];
    const replyBody = encodeKdcProxyMessage({ kerbMessage: addTcpPrefix(result.reply) });
    const described = this.describe(result.reply);
    this.record({
      kind: 'message',
      from: loc.host,
      to: fromHost,
      transport: 'kkdcp',
      port: 443,
      type: described.type,
      bytes: replyBody,
      inner: result.reply,
      ...(described.errorCode !== undefined ? { errorCode: described.errorCode } : {}),
      result: this.summarizeReply(result.reply, request),
      narration: [],
      replyTo: sent.seq,
    });
    this.state.now += this.latency(loc.host, fromHost);
    return { reply: result.reply };
  }

  /**
   * Presents an AP-REQ (bare or in a GSS-API/SPNEGO token) to a service, over the service's transport
   * (SMB 445 for a file server). Returns the service's verdict, or the transport failure.
   */
  sendToService(
    fromHost: string,
    serviceId: string,
    token: Uint8Array,
    label = 'AP-REQ',
    narration: Narration[] = [],
  ): { result?: AcceptResult; failure?: TransportFailure } {
    const svc = this.state.services.find((s) => s.id === serviceId);
    if (!svc) throw new WorldError(`there is no service "${serviceId}" in this world`);
    const sent = this.record({
      kind: 'message',
      from: fromHost,
      to: svc.host,
      transport: svc.transport,
      port: svc.port,
      type: label,
      bytes: token,
      result: 'sent',
      narration,
    });
    const blocked = this.blockedReason(fromHost, svc.host, svc.port);
    if (blocked) {
      this.state.now += TCP_CONNECT_TIMEOUT;
      sent.result = `no answer: ${blocked.text}`;
      this.record({
        kind: 'timeout',
        from: fromHost,
        to: svc.host,
        transport: svc.transport,
        port: svc.port,
        type: 'timeout',
        result: `${fromHost} could not connect to ${svc.host}:${svc.port}`,
        narration: [],
        replyTo: sent.seq,
      });
      return { failure: blocked };
    }
    this.state.now += this.latency(fromHost, svc.host);
    const service = new KerberizedService(svc.state);
    const result = service.accept(token, { now: this.hostNow(svc.host), random: this.rng });
    sent.narration = [...sent.narration, ...result.events];
    sent.result = `presents a ticket for ${svc.state.name.nameString.join('/')}@${svc.state.realm}`;
    const reply = result.ok ? result.apRep : result.error;
    this.record({
      kind: 'message',
      from: svc.host,
      to: fromHost,
      transport: svc.transport,
      port: svc.port,
      type: result.ok ? (reply ? 'AP-REP' : 'accepted') : 'KRB-ERROR',
      ...(reply ? { bytes: reply } : {}),
      ...(!result.ok ? { errorCode: result.errorCode } : {}),
      result: result.ok
        ? `accepted ${result.identity.principal}`
        : `refused: ${errorCodes.describe(result.errorCode)}`,
      narration: [],
      replyTo: sent.seq,
    });
    this.state.now += this.latency(svc.host, fromHost);
    return { result };
  }
}

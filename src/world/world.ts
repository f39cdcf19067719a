/**
 * The simulated world: a virtual clock that moves only when told, hosts with their own clock offsets (and
 * each its own Kerberos client, KDC locator and Windows), a network with latency, links that go down,
 * ports that get blocked and packets that get lost, and the actors that listen on it (KDCs, services, SMB
 * servers, Entra). Anything that crosses the network goes through one round trip (`roundTrip`), which
 * records it in the trace (trace.ts); the layers above change the world through the methods here, never
 * through its state.
 *
 * Everything the world holds is plain data (`WorldState`), so `snapshot()` is a structuredClone and
 * stepping back in the UI is `World.restore(snapshot)`: nothing is ever undone by hand. Same seed, same
 * actions: byte-identical trace.
 */
import type { ClientSnapshot } from '../client';
import type { RandomSource } from '../crypto';
import { formatDuration } from '../asn1/time';
import type { ServiceState } from '../services';
import type { Smb2ConnectionState } from '../smb2';
import { WorldError } from './errors';
import { KdcAdmin } from './kdc-admin';
import { randomSourceOf, seedRandomState, nextUnit } from './random';
import { intercept, type Interception, type PendingTamper, type TamperMessage } from './tamper';
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
  LinuxHostState,
  WorldState,
} from './state';
import type { Narration, TraceEvent, Transport } from './trace';
import { keyOf as keyBytes } from '../protocol/long-term-key';

/** Why a message got no answer. */
export interface TransportFailure {
  reason: 'no-kdc' | 'no-listener' | 'host-down' | 'link-down' | 'port-blocked' | 'lost' | 'timeout';
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

// ---- the round trip -------------------------------------------------------------------------------------

/** Where a message goes: a host, a port, and the transport it rides. */
export interface Endpoint {
  host: string;
  port: number;
  transport: Transport;
}

/** One message as it crosses the network, and as the trace records it. */
export interface WireMessage {
  /** What it is: "AS-REQ", "KRB-ERROR", "SMB2 NEGOTIATE", "PRT-REQUEST"… */
  type: string;
  /** The exact bytes on the wire (none for a modelled step). */
  bytes?: Uint8Array;
  /** For a KKDCP message, the Kerberos message inside. */
  inner?: Uint8Array;
  errorCode?: number;
  /** One line: what it says. */
  result: string;
  narration?: Narration[];
}

/** What a listener answers to a request. */
export interface Answer<Rep> {
  /** The reply on the wire, with the Windows error the client shows for it, if any. */
  reply: WireMessage & { windowsError?: number };
  /** What the sender gets back to act on. */
  value: Rep;
  /** What the listener said about the request (its checks, stage by stage): it joins the request's line. */
  heard?: Narration[];
  /** What the request turned out to be, when only the listener can tell ("presents a ticket for …"). */
  requestResult?: string;
}

/**
 * The listening side of a protocol: who listens for it at an endpoint (an actor's state in the world — a
 * KDC on 88/udp, 88/tcp and 443/kkdcp, a service on its port, an SMB server on 445, Entra on 443/https),
 * and how that listener answers. The round trip does the rest.
 */
export interface Protocol<Req, Rep, Listener> {
  listener(world: World, at: Endpoint, request: Req): Listener | undefined;
  /** What the sender learns when nothing listens ("dc9 runs no KDC"). */
  absent(at: Endpoint): string;
  serve(world: World, listener: Listener, request: Req, from: string, at: Endpoint): Answer<Rep>;
}

export interface TripOptions {
  /** How long the sender waits for an answer that never comes, ms. */
  timeout: number;
  /** A lossy link may drop it (Kerberos' own messages); otherwise only a host, a link or a firewall stops it. */
  lossy?: boolean;
  /** It rides a connection an earlier trip opened: nothing is checked again on the way. */
  connected?: boolean;
  /** A step modelled, not standardised (no bytes are made): the request, the wait and the reply say so. */
  modelled?: boolean;
  /**
   * The sender's words when no answer comes: the request's line becomes `request` (default "no answer:
   * WHY"), and `wait`, when given, is a line of its own for the wait.
   */
  unanswered?: (why: TransportFailure) => { request: string; wait?: string };
}

export type Trip<Rep> =
  | { ok: true; value: Rep; request: TraceEvent; reply: TraceEvent }
  | { ok: false; failure: TransportFailure; request: TraceEvent };

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

  /** A Linux host's login (world/linux-host.ts), live; undefined when the host is not one. */
  linuxHost(hostId: string): LinuxHostState | undefined {
    return this.host(hostId).linux;
  }

  setLinuxHost(hostId: string, linux: LinuxHostState): void {
    this.host(hostId).linux = linux;
  }

  /** Entra ID's state (src/azure/entra.ts), live; undefined when the world has no Entra. */
  get entra(): EntraState | undefined {
    return this.state.entra;
  }

  setEntra(entra: EntraState): void {
    this.state.entra = entra;
  }

  /** Counts one more interactive logon session on the world's Windows hosts and returns its number (1, 2, …). */
  nextLogonSession(): number {
    this.state.logonSessions = (this.state.logonSessions ?? 0) + 1;
    return this.state.logonSessions;
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

  /** The KDC running on a host, and its administrator's handle (kadmin, Active Directory's tools). */
  kdc(hostId: string): KdcAdmin {
    const kdc = this.kdcOn(hostId);
    if (!kdc) throw new WorldError(`${hostId} runs no KDC`);
    return kdc;
  }

  /** The KDC running on a host, if one does. */
  kdcOn(hostId: string): KdcAdmin | undefined {
    const actor = this.state.kdcs.find((k) => k.host === hostId);
    return actor ? new KdcAdmin(actor) : undefined;
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

  /** A service, live (its listener answers through it: its replay cache grows). */
  service(serviceId: string): ServiceActorState {
    const svc = this.state.services.find((s) => s.id === serviceId);
    if (!svc) throw new WorldError(`there is no service "${serviceId}" in this world`);
    return svc;
  }

  addService(service: ServiceActorState): void {
    if (this.state.services.some((s) => s.id === service.id))
      throw new WorldError(`there is already a service "${service.id}"`);
    this.host(service.host);
    this.state.services.push(service);
  }

  /** A service's new keytab (after a password change of its principal). */
  setServiceKeys(serviceId: string, keys: ServiceState['keys']): void {
    this.service(serviceId).state.keys = keys;
  }

  get network(): Readonly<NetworkState> {
    return this.state.network;
  }

  // ---- the person at the controls ----

  /** Moves the virtual clock forward (it never moves by itself), with a trace line that says why. */
  elapse(ms: number, why?: string): void {
    if (!(ms >= 0)) throw new WorldError(`time only moves forward here; ${ms} ms is not a step`);
    this.state.now += ms;
    this.action('local', 'advance', why ?? `the clock moves forward ${formatDuration(ms)}`);
  }

  /**
   * Moves the virtual clock forward to `t` without a line of its own: a walk through what the hosts do
   * on their own (src/azure/on-its-own.ts) stops at each thing's time, and its lines say what happened.
   * A `t` already passed (a round trip's latency went beyond it) leaves the clock where it is.
   */
  passTo(t: number): void {
    if (!Number.isFinite(t)) throw new WorldError(`${t} is not a time`);
    if (t > this.state.now) this.state.now = t;
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

  /**
   * Arms a tamper (tamper.ts): the message it names is changed when it leaves its host, on its way to a
   * KDC. It waits in the network state, so stepping back and forth keeps it or drops it with the step.
   */
  armTamper(tamper: PendingTamper): void {
    (this.state.network.tampers ??= []).push(structuredClone(tamper));
  }

  /** Tampers armed and not yet used. */
  get pendingTampers(): readonly Readonly<PendingTamper>[] {
    return this.state.network.tampers ?? [];
  }

  // ---- the trace ----

  /** A note on a trace event (the Windows error a console showed for it). */
  annotate(seq: number, note: TraceNote): void {
    this.state.notes[seq] = { ...(this.state.notes[seq] ?? {}), ...note };
  }

  noteOf(seq: number): TraceNote | undefined {
    return this.state.notes[seq];
  }

  /** Adds what an SMB step put on the wire to its trace event (src/azure/smb.ts makes the bytes). */
  addSmbWire(seq: number, wire: Pick<TraceEvent, 'smb2' | 'smbSession'>): void {
    const e = this.state.trace[seq - 1];
    if (!e || e.seq !== seq) throw new WorldError(`there is no trace event ${seq}`);
    Object.assign(e, wire);
  }

  /** The SMB2 connection `host` holds to the SMB service `service`, if one is open. */
  smbConnection(host: string, service: string): Smb2ConnectionState | undefined {
    return this.state.smb?.[`${host}>${service}`];
  }

  /** Opens (or, with undefined, forgets) the SMB2 connection from `host` to `service`. */
  setSmbConnection(host: string, service: string, c: Smb2ConnectionState | undefined): void {
    const all = (this.state.smb ??= {});
    if (c) all[`${host}>${service}`] = c;
    else delete all[`${host}>${service}`];
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
   * record their own lines (what a console printed, a modelled step) through it.
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

  /**
   * A TCP handshake from a host to host:port, which the trace does not draw (Test-NetConnection): the clock
   * moves by the round trip, or by the wait for an answer that does not come. Returns why it failed.
   */
  connect(from: string, to: string, port: number): TransportFailure | undefined {
    const why = this.unreachable(from, to, port);
    this.state.now += why ? TCP_CONNECT_TIMEOUT : this.latency(from, to) + this.latency(to, from);
    return why;
  }

  /**
   * One message from a host to an endpoint and its answer — the only way anything crosses the network.
   * The request is traced when it leaves. When the way is shut (or the packet is lost) the sender waits
   * `timeout` and says so; when nothing listens there for it, the sender learns that; otherwise the clock
   * moves by the latency, the listener answers (its words label the reply, and its narration joins the
   * request's), the reply is traced, and the clock moves by the latency back.
   */
  roundTrip<Req, Rep, L>(
    from: string,
    to: Endpoint,
    protocol: Protocol<Req, Rep, L>,
    request: Req,
    message: WireMessage,
    options: TripOptions,
  ): Trip<Rep> {
    const altered = this.#tampered(from, to, request, message);
    if (altered) [request, message] = altered;
    const modelled = options.modelled ? { modelled: true } : {};
    const route = { from, to: to.host, transport: to.transport, port: to.port };
    const sent = this.record({
      kind: 'message',
      ...route,
      ...wire(message),
      ...modelled,
    });
    const why = options.connected
      ? undefined
      : options.lossy
        ? this.blockedReason(from, to.host, to.port)
        : this.unreachable(from, to.host, to.port);
    if (why) {
      this.state.now += options.timeout;
      const words = options.unanswered?.(why) ?? { request: `no answer: ${why.text}` };
      sent.result = words.request;
      if (words.wait !== undefined) {
        this.record({
          kind: 'timeout',
          ...route,
          type: 'timeout',
          result: words.wait,
          narration: [],
          replyTo: sent.seq,
          ...modelled,
        });
      }
      return { ok: false, failure: why, request: sent };
    }
    const listener = protocol.listener(this, to, request);
    if (listener === undefined) {
      return { ok: false, failure: { reason: 'no-listener', text: protocol.absent(to) }, request: sent };
    }
    this.state.now += this.latency(from, to.host);
    const answer = protocol.serve(this, listener, request, from, to);
    if (answer.heard) sent.narration = [...sent.narration, ...answer.heard];
    if (answer.requestResult !== undefined) sent.result = answer.requestResult;
    const reply = this.record({
      kind: 'message',
      from: to.host,
      to: from,
      transport: to.transport,
      port: to.port,
      ...wire(answer.reply),
      replyTo: sent.seq,
      ...modelled,
    });
    if (answer.reply.windowsError !== undefined)
      this.annotate(reply.seq, { windowsError: answer.reply.windowsError });
    this.state.now += this.latency(to.host, from);
    return { ok: true, value: answer.value, request: sent, reply };
  }

  /**
   * A message leaving `from` that its sender hands over itself (a KDC's reply from its listener, once it
   * knows the reply goes out: one too big for UDP is not sent, and the tamper waits for the retry's; an
   * AP-REQ, named, as its GSS-API token may wrap it), as an armed tamper leaves it, with the line the trace
   * says about it; undefined when no tamper names it.
   */
  tamperedOnTheWay(from: string, bytes: Uint8Array, message?: TamperMessage): Interception | undefined {
    const pending = this.state.network.tampers;
    if (!pending?.length) return undefined;
    return intercept(pending, from, bytes, () => undefined, this.rng, message);
  }

  /** A KDC request (raw bytes to port 88) as an armed tamper leaves it, or undefined when none names it. */
  #tampered<Req>(
    from: string,
    to: Endpoint,
    request: Req,
    message: WireMessage,
  ): [Req, WireMessage] | undefined {
    const pending = this.state.network.tampers;
    if (!pending?.length || to.port !== 88 || !(request instanceof Uint8Array)) return undefined;
    const kdc = this.kdcOn(to.host);
    const keyOf = (t: {
      realm: string;
      sname: { nameString: string[] };
      encPart: { etype: number; kvno?: number };
    }) => {
      const entry = kdc?.entries(`${t.sname.nameString.join('/')}@${t.realm}`)[0];
      const k = entry?.keys.find((x) => x.etype === t.encPart.etype && (t.encPart.kvno ?? x.kvno) === x.kvno);
      return k ? { etype: k.etype, bytes: keyBytes(k) } : undefined;
    };
    const hit = intercept(pending, from, request, keyOf, this.rng);
    if (!hit) return undefined;
    const narration = [...(message.narration ?? []), hit.said];
    return [hit.bytes as Req, { ...message, bytes: hit.bytes, narration }];
  }
}

/** A message's fields as a trace event has them, in the trace's order. */
function wire(
  m: WireMessage,
): Pick<TraceEvent, 'type' | 'bytes' | 'inner' | 'errorCode' | 'result' | 'narration'> {
  return {
    type: m.type,
    ...(m.bytes ? { bytes: m.bytes } : {}),
    ...(m.inner ? { inner: m.inner } : {}),
    ...(m.errorCode !== undefined ? { errorCode: m.errorCode } : {}),
    result: m.result,
    narration: m.narration ?? [],
  };
}

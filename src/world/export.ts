/**
 * Exports: the world's trace and state in the files the tools engineers already use read.
 *
 *  - pcapng (Wireshark, tshark): every Kerberos message of the trace as the frames that carried it, on
 *    the virtual times. KDC traffic goes to port 88 over UDP or TCP as it travelled (TCP as whole
 *    connections: handshake, the length-prefixed record, the reply, FIN), MS-KKDCP as plain HTTP on
 *    port 80 (the real thing was HTTPS on 443; a frame comment says so; kkdcp.lua, shipped beside it,
 *    lets Wireshark read the Kerberos inside). SMB steps that carry their SMB2 bytes (src/azure/smb-wire.ts)
 *    go on one TCP connection to 445 per NEGOTIATE, with the NetBIOS length prefix; the session keys that
 *    open their encryption are exported too (exportSmbSessionKeys). Messages without bytes on a wire
 *    (modelled steps, an AP-REQ to a service whose framing is not made) are not drawn; a comment on the
 *    next frame says what was left out.
 *    Every frame that completes a message carries a comment: the trace's seq, route and result.
 *  - keytab: every long-term key the world's KDCs hold (or those of the named principals), so that
 *    Wireshark decrypts tickets and, through the session keys it learns, the replies.
 *  - ccache: a client host's credential cache as MIT's `klist` reads it.
 *  - JSON: the trace as the events of `krbplay scenario run --json`, with the bytes in hex.
 *
 * Pure: no I/O; the caller writes the bytes where it wants.
 */
import { exportMitCcache } from '../client';
import { formatPrincipal, parsePrincipal, type Principal } from '../asn1/principal';
import { encodeKeytab, type KeytabEntry } from '../formats';
import { writePcap, writePcapng, type MessageToWrite } from '../formats/pcap';
import { toHex } from '../util';
import { clientOf } from './flows';
import type { Narration, TraceEvent } from './trace';
import { WorldError } from './errors';
import { hostAddresses } from './addresses';

export { hostAddresses };
import type { HostState } from './state';
import type { KeyEntry } from '../kdc';
import type { World } from './world';
import { keyOf } from '../protocol/long-term-key';

/** A host as the exports need it: its id (the trace's from/to) and, when known, its DNS name. */
export interface ExportHost {
  id: string;
  name?: string;
}

export interface PcapExportOptions {
  /** IPv6 addresses (a ULA under fd6b:7262:706c:6179::/64) instead of IPv4 (10.0.0.0/8). */
  ipv6?: boolean;
  /** Fixed addresses for some hosts (host id → "192.0.2.10" or "2001:db8::10"); others are derived. */
  addresses?: Record<string, string>;
  /**
   * How KDC proxy (MS-KKDCP) exchanges are drawn: 'http' (default) as the POST and its 200 on port 80,
   * the KDC-PROXY-MESSAGE as the body; 'unwrap' as the Kerberos message inside, over TCP port 88
   * between the client and the proxy host, which stock Wireshark decrypts (the comment says so).
   */
  kkdcp?: 'http' | 'unwrap';
  /** Port of the plain-HTTP KDC proxy (default 80). */
  kdcProxyPort?: number;
  /** Request path of the KDC proxy POSTs (default: the world's locator's, else "/KdcProxy"). */
  kdcProxyPath?: string;
  /** First ephemeral port a client uses (default 49152, IANA's dynamic range); one per request. */
  firstClientPort?: number;
}

/** A trace event the capture leaves out, and why. */
export interface SkippedEvent {
  seq: number;
  reason: string;
}

/** What an export would write: the messages for the pcap writer, the hosts' addresses, what is left out. */
export interface PcapPlan {
  messages: MessageToWrite[];
  /** For each message, the seq of the trace event it is. */
  seqs: number[];
  /** host id → IP address (without port). */
  addresses: Record<string, string>;
  skipped: SkippedEvent[];
  kdcProxyPath: string;
}

type Source = World | readonly TraceEvent[];

function isWorld(source: Source): source is World {
  return !Array.isArray(source);
}

function traceOf(source: Source): readonly TraceEvent[] {
  return isWorld(source) ? source.trace : source;
}

function hostsOf(source: Source, hosts: readonly ExportHost[] | undefined): ExportHost[] {
  const list: ExportHost[] = [...(hosts ?? (isWorld(source) ? source.hosts : []))];
  // Hosts the trace names but the list lacks still need addresses.
  const known = new Set(list.map((h) => h.id));
  for (const e of traceOf(source)) {
    for (const id of [e.from, e.to]) {
      if (!known.has(id)) {
        known.add(id);
        list.push({ id });
      }
    }
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// addresses

function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

// ---------------------------------------------------------------------------------------------
// pcapng

const KERBEROS_PORT = 88;

/** The path the world's locator gives its KDC proxies, when they all agree. */
function locatorProxyPath(source: Source): string | undefined {
  if (!isWorld(source)) return undefined;
  const paths = new Set(
    Object.values(source.locator)
      .filter((l) => l.transport === 'kkdcp')
      .map((l) => l.proxyPath ?? '/KdcProxy'),
  );
  return paths.size === 1 ? [...paths][0] : undefined;
}

function describeEvent(e: TraceEvent): string {
  const route = `${e.from} -> ${e.to} ${e.transport}${e.port !== undefined ? `/${e.port}` : ''}`;
  const reply = e.replyTo !== undefined ? ` (reply to seq ${e.replyTo})` : '';
  return `seq ${e.seq} ${route} ${e.type}${reply}: ${e.result}${e.modelled ? ' [modelled]' : ''}`;
}

/**
 * The transport of KDC traffic: UDP or TCP to port 88 (the world always records the port), or through a
 * KDC proxy; undefined for anything else (a service's UDP or TCP on another port carries its own framing,
 * which is not modelled).
 */
function kdcTransportOf(e: TraceEvent): 'udp' | 'tcp' | 'kkdcp' | undefined {
  const t = e.transport;
  const kdcPort = e.port === undefined || e.port === KERBEROS_PORT;
  return t === 'kkdcp' || ((t === 'udp' || t === 'tcp') && kdcPort) ? t : undefined;
}

/** Why a message of the trace has no frames in a capture, or undefined when it has. */
function notDrawn(e: TraceEvent, answered: ReadonlySet<number | undefined>): string | undefined {
  if (e.transport === 'smb' && e.smb2) return undefined;
  if (e.transport === 'smb') {
    return `an SMB message to port ${e.port ?? '?'} without its SMB2 bytes (a modelled step: no SMB2 connection was opened for it, or NTLM)`;
  }
  if (!kdcTransportOf(e)) {
    return `a ${e.transport.toUpperCase()} message to port ${e.port ?? '?'}; only KDC traffic is drawn (the service protocol's framing is not modelled)`;
  }
  if (!e.bytes) return 'no bytes were sent';
  if (e.replyTo === undefined && e.transport !== 'udp' && !answered.has(e.seq)) {
    // A TCP connection that never opened is no frames at all; a UDP datagram did leave the host.
    return `no answer (${e.result}); the ${e.transport === 'kkdcp' ? 'HTTPS' : 'TCP'} connection never opened`;
  }
  return undefined;
}

/** What a KDC proxy frame's comment says about how it is drawn. */
function kkdcpNote(server: string, port: number, unwrap: boolean, proxyPort: number): string {
  const real = `MS-KKDCP: sent as HTTPS to ${server}:${port}`;
  return unwrap
    ? `${real}; drawn here as the Kerberos message inside, over TCP ${KERBEROS_PORT}`
    : `${real}; drawn here as plain HTTP on port ${proxyPort} so that it can be read (kkdcp.lua, shipped with the export, hands the Kerberos inside to Wireshark: tshark -X lua_script:kkdcp.lua)`;
}

const SMB_PORT = 445;

/**
 * An SMB step's SMB2 message on its TCP connection to port 445: a NEGOTIATE request opens a new
 * connection (a new client port), the later messages between the same two hosts ride it.
 */
function smbMessage(
  e: TraceEvent,
  addresses: Record<string, string>,
  ports: Map<string, number>,
  newPort: () => number,
): MessageToWrite | string {
  const request = e.replyTo === undefined;
  const client = request ? e.from : e.to;
  const server = request ? e.to : e.from;
  const key = `${client}>${server}`;
  if (request && e.type === 'SMB2 NEGOTIATE') ports.set(key, newPort());
  const port = ports.get(key);
  if (port === undefined) return 'its SMB2 connection (the NEGOTIATE that opened it) is not in this capture';
  const clientEp = endpoint(addresses[client]!, port);
  const serverEp = endpoint(addresses[server]!, e.port ?? SMB_PORT);
  return {
    time: new Date(e.t),
    src: request ? clientEp : serverEp,
    dst: request ? serverEp : clientEp,
    transport: 'smb',
    bytes: e.smb2!,
    comment: describeEvent(e),
  };
}

/**
 * Which trace events become which messages: the plan behind exportPcapng, for tests and for a UI that
 * shows what an export holds.
 */
export function planPcapExport(
  source: Source,
  hosts?: readonly ExportHost[],
  options: PcapExportOptions = {},
): PcapPlan {
  const trace = traceOf(source);
  const all = hostsOf(source, hosts);
  const names = new Map(all.map((h) => [h.id, h.name ?? h.id]));
  const addresses = hostAddresses(all, options);
  const proxyPort = options.kdcProxyPort ?? 80;
  const kdcProxyPath = options.kdcProxyPath ?? locatorProxyPath(source) ?? '/KdcProxy';
  const unwrap = options.kkdcp === 'unwrap';
  const answered = new Set(trace.filter((e) => e.kind === 'message').map((e) => e.replyTo));
  const nextPort = new Map<string, number>();
  const clientPort = new Map<number, number>();
  const firstPort = options.firstClientPort ?? 49152;
  const smbPorts = new Map<string, number>();
  const takePort = (client: string) => {
    const port = nextPort.get(client) ?? firstPort;
    nextPort.set(client, port >= 65535 ? firstPort : port + 1);
    return port;
  };

  const messages: MessageToWrite[] = [];
  const seqs: number[] = [];
  const skipped: SkippedEvent[] = [];
  let pendingNotes: string[] = [];
  const skip = (e: TraceEvent, reason: string) => {
    skipped.push({ seq: e.seq, reason });
    pendingNotes.push(`not in this capture: seq ${e.seq} ${e.from} -> ${e.to} ${e.type}: ${reason}`);
  };

  for (const e of trace) {
    if (e.kind !== 'message') continue;
    const why = notDrawn(e, answered);
    if (why) {
      skip(e, why);
      continue;
    }
    if (e.smb2) {
      const m = smbMessage(e, addresses, smbPorts, () => takePort(e.from));
      if (typeof m === 'string') skip(e, m);
      else {
        m.comment = [m.comment!, ...pendingNotes].join('\n');
        pendingNotes = [];
        messages.push(m);
        seqs.push(e.seq);
      }
      continue;
    }
    const transport = kdcTransportOf(e)!;
    const request = e.replyTo === undefined;
    const client = request ? e.from : e.to;
    const server = request ? e.to : e.from;
    let port: number;
    if (request) {
      port = takePort(client);
      clientPort.set(e.seq, port);
    } else {
      const p = clientPort.get(e.replyTo!);
      if (p === undefined) {
        skip(e, `its request (seq ${e.replyTo}) is not in this capture`);
        continue;
      }
      port = p;
    }
    const kkdcp = e.transport === 'kkdcp';
    const serverPort = kkdcp && !unwrap ? proxyPort : KERBEROS_PORT;
    const clientEp = endpoint(addresses[client]!, port);
    const serverEp = endpoint(addresses[server]!, serverPort);
    const notes = [describeEvent(e)];
    if (kkdcp) notes.push(kkdcpNote(names.get(server)!, e.port ?? 443, unwrap, proxyPort));
    if (e.transport === 'udp' && request && !answered.has(e.seq)) notes.push('no reply came back');
    notes.push(...pendingNotes);
    pendingNotes = [];
    const bytes = kkdcp && unwrap ? e.inner : e.bytes;
    if (!bytes) {
      skip(e, 'the Kerberos message inside the KDC proxy message is not in the trace');
      continue;
    }
    messages.push({
      time: new Date(e.t),
      src: request ? clientEp : serverEp,
      dst: request ? serverEp : clientEp,
      transport: kkdcp && unwrap ? 'tcp' : transport,
      bytes,
      comment: notes.join('\n'),
    });
    seqs.push(e.seq);
  }
  // Notes about events after the last frame go on the last frame.
  const last = messages[messages.length - 1];
  if (last && pendingNotes.length > 0) last.comment = [last.comment, ...pendingNotes].join('\n');
  return { messages, seqs, addresses, skipped, kdcProxyPath };
}

/**
 * The trace's Kerberos messages as a pcapng file (frames with comments). `hosts` defaults to the
 * world's hosts; for a bare trace, host ids stand in for names.
 */
export function exportPcapng(
  source: Source,
  hosts?: readonly ExportHost[],
  options: PcapExportOptions = {},
): Uint8Array {
  const plan = planPcapExport(source, hosts, options);
  return writePcapng(plan.messages, {
    kdcProxyPath: plan.kdcProxyPath,
    application: 'Kerberos Playground (virtual network export)',
  });
}

/** The same as classic pcap (no frame comments: pcap has no place for them). */
export function exportPcap(
  source: Source,
  hosts?: readonly ExportHost[],
  options: PcapExportOptions = {},
): Uint8Array {
  const plan = planPcapExport(source, hosts, options);
  return writePcap(plan.messages, { kdcProxyPath: plan.kdcProxyPath });
}

// ---------------------------------------------------------------------------------------------
// SMB session keys

/** An SMB session the trace opened: its id and session key, both as hex. */
export interface SmbSessionKey {
  /** The SessionId as a u64 in hex ("0000040012345679"), as Wireshark's smb2.sesid shows it. */
  sessionId: string;
  /** The same 8 bytes in wire order (little-endian), as Wireshark's smb2_seskey_list wants them. */
  sessionIdWire: string;
  sessionKey: string;
}

export function smbSessionKeys(source: Source): SmbSessionKey[] {
  return traceOf(source).flatMap((e) => {
    if (!e.smbSession) return [];
    const id = e.smbSession.id;
    const wire = (id.match(/../g) ?? []).reverse().join('');
    return [{ sessionId: id, sessionIdWire: wire, sessionKey: toHex(e.smbSession.key) }];
  });
}

/**
 * The SMB session keys as Wireshark's UAT file \`smb2_seskey_list\` holds them: one line per session,
 * SessionId (its 8 bytes in wire order), SessionKey, and the ServerToClient and ClientToServer keys left
 * empty (Wireshark derives them from the session key and the preauth hash it follows), hex bytes
 * unquoted; tshark takes each line as \`-o uat:smb2_seskey_list:LINE\`.
 */
export function exportSmbSessionKeys(source: Source): string {
  return smbSessionKeys(source)
    .map((k) => `${k.sessionIdWire},${k.sessionKey},"",""\n`)
    .join('');
}

// ---------------------------------------------------------------------------------------------
// keytab and ccache

/**
 * The long-term keys of the world's KDCs as keytab entries: every key of every principal of every
 * realm (cross-realm krbtgt keys included), or only those of `principals` ("name/inst@REALM").
 * An entry the KDCs hold twice (two realms of one KDC sharing a trust key) is written once.
 */
export function keytabEntries(world: World, principals?: readonly string[]): KeytabEntry[] {
  const wanted = principals ? new Set(principals) : undefined;
  const found = new Set<string>();
  const seen = new Set<string>();
  const entries: KeytabEntry[] = [];
  const timestamp = Math.floor(world.now / 1000);
  /** A principal's keys, each (principal, kvno, etype, key) once; false when the principal is not wanted. */
  const add = (principal: Principal, keys: readonly KeyEntry[]): boolean => {
    const text = formatPrincipal(principal);
    if (wanted && !wanted.has(text)) return false;
    for (const k of keys) {
      const id = `${text}|${k.kvno}|${k.etype}|${toHex(keyOf(k))}`;
      if (seen.has(id)) continue;
      seen.add(id);
      entries.push({ principal, timestamp, kvno: k.kvno, key: { etype: k.etype, bytes: keyOf(k).slice() } });
    }
    return true;
  };
  for (const kdc of world.kdcs)
    for (const realm of kdc.state.realms)
      for (const p of realm.principals) {
        const principal: Principal = {
          realm: p.realm,
          name: { nameType: p.name.nameType, nameString: [...p.name.nameString] },
        };
        if (add(principal, p.keys)) found.add(formatPrincipal(principal));
      }
  // keys replaced during the run: tickets made with them may be in the capture
  for (const kdc of world.kdcs) for (const r of kdc.retired ?? []) add(parsePrincipal(r.principal), r.keys);
  const missing = [...(wanted ?? [])].filter((p) => !found.has(p));
  if (missing.length > 0) {
    throw new WorldError(`no KDC in this world holds ${missing.join(', ')}: there is no key to export`);
  }
  return entries;
}

/** An MIT keytab (0x0502) with the keys of keytabEntries(): what Wireshark's kerberos.file wants. */
export function exportKeytab(world: World, principals?: readonly string[]): Uint8Array {
  return encodeKeytab({ entries: keytabEntries(world, principals) });
}

/** The credential cache of the client on `hostId` as an MIT ccache file (`klist -c FILE`). */
export function exportCcache(world: World, hostId: string): Uint8Array {
  return exportMitCcache(clientOf(world, hostId).cache);
}

// ---------------------------------------------------------------------------------------------
// JSON

/** One event as `krbplay scenario run --json` prints it, with the bytes. */
export interface TraceEventJson {
  seq: number;
  /** ISO-8601 UTC with milliseconds ("2026-03-02T08:00:00.001Z"). */
  t: string;
  kind: TraceEvent['kind'];
  from: string;
  to: string;
  transport: TraceEvent['transport'];
  port?: number;
  /** The message type ("AS-REQ", "KRB-ERROR"…), "ACTION" for an action, "TIMEOUT" for a wait that ended. */
  type: string;
  /** For an action, its name ("sign-in", "advance"). */
  action?: string;
  errorCode?: number;
  result: string;
  modelled?: true;
  replyTo?: number;
  /** The bytes on the wire, lowercase hex (for KKDCP, the KDC-PROXY-MESSAGE). */
  bytes?: string;
  /** For KKDCP, the Kerberos message inside, lowercase hex. */
  inner?: string;
  narration?: Narration[];
}

export interface TraceJson {
  /** The time of the first event, ISO-8601 UTC. */
  start: string | null;
  hosts: { id: string; name: string }[];
  events: TraceEventJson[];
}

export interface TraceJsonOptions {
  /** Include what each actor said (default true). */
  narration?: boolean;
  /** Include the bytes as hex (default true). */
  bytes?: boolean;
}

function isoMillis(t: number): string {
  return new Date(t).toISOString();
}

export function traceEventToJson(e: TraceEvent, options: TraceJsonOptions = {}): TraceEventJson {
  const out: TraceEventJson = {
    seq: e.seq,
    t: isoMillis(e.t),
    kind: e.kind,
    from: e.from,
    to: e.to,
    transport: e.transport,
    type: e.kind === 'action' ? 'ACTION' : e.kind === 'timeout' ? 'TIMEOUT' : e.type,
    result: e.result,
  };
  if (e.port !== undefined) out.port = e.port;
  if (e.kind === 'action') out.action = e.type;
  if (e.errorCode !== undefined) out.errorCode = e.errorCode;
  if (e.modelled) out.modelled = true;
  if (e.replyTo !== undefined) out.replyTo = e.replyTo;
  if (options.bytes !== false) {
    if (e.bytes) out.bytes = toHex(e.bytes);
    if (e.inner) out.inner = toHex(e.inner);
  }
  if (options.narration !== false) out.narration = e.narration.map((n) => ({ ...n }));
  return out;
}

/** The trace as a JSON-ready object. */
export function traceToJson(source: Source, options: TraceJsonOptions = {}): TraceJson {
  const trace = traceOf(source);
  const hosts: readonly Readonly<HostState>[] | ExportHost[] = isWorld(source) ? source.hosts : [];
  return {
    start: trace.length > 0 ? isoMillis(trace[0]!.t) : null,
    hosts: hosts.map((h) => ({ id: h.id, name: h.name ?? h.id })),
    events: trace.map((e) => traceEventToJson(e, options)),
  };
}

/** The trace as a JSON document (two-space indented, ending in a newline). */
export function exportTraceJson(source: Source, options: TraceJsonOptions = {}): string {
  return JSON.stringify(traceToJson(source, options), null, 2) + '\n';
}

/**
 * A customer's capture as a read-only run: its Kerberos messages (and SMB2's: the GSS-API tokens of
 * SESSION_SETUP, opened like any AP-REQ, the other commands as rows) become the trace the sequence view
 * draws (lanes from the capture's hosts), each opened by the inspector the scenarios use (one keyring in
 * frame order, learning session keys as Wireshark does), and the tickets the opened replies and tickets
 * name become spans on the timeline, at the capture's own times. Nothing here can be changed or played:
 * there is one step, the capture, and no world behind it.
 *
 * Pure: the worker hands in the messages its reader found (src/formats/pcap) and the keys given.
 */
import type { KrbNode } from '../../asn1';
import { ntlmsspMessage, type DecodedMessage } from '../../formats/decoder';
import type { KeytabEntry } from '../../formats';
import type { CapturedMessage } from '../../formats/pcap';
import { NtStatus } from '../../smb2';
import { TraceInspector, type InspectableEvent } from './inspect';
import type {
  EngineOrigin,
  EventDetail,
  HostView,
  PasswordGiven,
  RowTone,
  Summary,
  TicketSpan,
  TraceRow,
  WorldView,
} from './protocol';

/** The messages a run keeps: each keeps its bytes and, once inspected, its tree. */
export const MAX_RUN_MESSAGES = 2_000;

export interface CaptureKeys {
  keytab: readonly KeytabEntry[];
  passwords: readonly PasswordGiven[];
}

interface Endpoints {
  client: string;
  server: string;
  serverPort?: number;
}

/** "10.0.0.5:88" → host "10.0.0.5", port 88; "[2001:db8::1]:88" → "2001:db8::1", 88. */
function splitEndpoint(endpoint: string): { host: string; port?: number } {
  const m = /^\[?(.*?)\]?:(\d+)$/.exec(endpoint);
  return m ? { host: m[1]!, port: Number(m[2]) } : { host: endpoint };
}

const isRequest = (type: string) => /-REQ$/.test(type);

/** The ports SMB2 is served on (MS-SMB2 §2.1 Direct TCP; 139 behind NetBIOS). */
const SMB_PORTS = new Set([445, 139]);

/** A request of the capture: SMB2 says so in its header (a sealed one by its port), Kerberos by its type. */
function requestOf(m: CapturedMessage, type: string): boolean {
  if (!m.smb2) return isRequest(type);
  if (m.smb2.response !== undefined) return !m.smb2.response;
  return SMB_PORTS.has(splitEndpoint(m.dst).port ?? 0) || !SMB_PORTS.has(splitEndpoint(m.src).port ?? 0);
}

const STATUS_NAMES = new Map<number, string>(
  Object.entries(NtStatus).map(([name, n]) => [n, `STATUS_${name}`]),
);

/** "STATUS_LOGON_FAILURE (0xC000006D)"; the hex alone for a status the playground does not name. */
function statusText(status: number): string {
  const hex = `0x${status.toString(16).toUpperCase().padStart(8, '0')}`;
  const name = STATUS_NAMES.get(status);
  return name ? `${name} (${hex})` : hex;
}

/** MS-ERREF §2.3.1: severity 3 is an error; MORE_PROCESSING_REQUIRED is the normal middle of a sign-in. */
const isErrorStatus = (status: number) => status >>> 30 === 3 && status !== NtStatus.MORE_PROCESSING_REQUIRED;

/**
 * What a row of SMB2 is called: the Kerberos message its token carries (as the scenarios' rows are), the
 * NTLMSSP message, or the SMB2 command ("SMB2 TREE_CONNECT", "SMB2 encrypted").
 */
function smbType(c: CapturedMessage, m: DecodedMessage | undefined): string {
  if (m && /^(AP-REQ|AP-REP|KRB-ERROR)$/.test(m.type)) return m.type;
  const ntlm = c.bytes.length > 0 ? ntlmsspMessage(c.bytes, m?.tree) : undefined;
  return ntlm ? `NTLMSSP ${ntlm}` : `SMB2 ${c.smb2!.name}`;
}

/**
 * Who is the client and who the server of a message: a request goes from the client, anything else to
 * it. The lanes are the hosts; a server on the same host as its client (a capture on one machine) gets
 * a lane of its own, named with its port.
 */
function endpointsOf(m: CapturedMessage, request: boolean): Endpoints {
  const [client, server] = request ? [m.src, m.dst] : [m.dst, m.src];
  const c = splitEndpoint(client);
  const s = splitEndpoint(server);
  const serverLane = s.host === c.host ? server : s.host;
  return { client: c.host, server: serverLane, ...(s.port !== undefined ? { serverPort: s.port } : {}) };
}

function toneOf(type: string, request: boolean, status = 0): RowTone {
  if (type === 'KRB-ERROR' || type === 'malformed' || isErrorStatus(status)) return 'error';
  return request ? 'request' : 'reply';
}

const child = (n: KrbNode | undefined, name: string) => n?.children?.find((c) => c.name === name);

function timeField(n: KrbNode | undefined, name: string): number | undefined {
  const v = child(n, name)?.value;
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** "krbtgt/MIT.TEST" from a PrincipalName node. */
function nameOf(n: KrbNode | undefined): string | undefined {
  const parts = child(n, 'name-string')?.children?.map((c) => String(c.value ?? ''));
  return parts && parts.length > 0 ? parts.join('/') : undefined;
}

function realmValue(n: KrbNode | undefined, name: string): string | undefined {
  const v = child(n, name)?.value;
  return typeof v === 'string' ? v : undefined;
}

/** A ticket's lifetime from a part's plaintext: a KDC reply's enc-part, or a ticket's EncTicketPart. */
function spanOf(m: DecodedMessage, host: string): TicketSpan | undefined {
  const top = m.tree;
  const plain = m.encParts.find((p) => p.path === 'enc-part' && p.plain)?.plain;
  if (!plain || !/-REP$/.test(m.type)) return undefined;
  const authtime = timeField(plain, 'authtime');
  const end = timeField(plain, 'endtime');
  const sname = nameOf(child(plain, 'sname'));
  const srealm = realmValue(plain, 'srealm');
  if (authtime === undefined || end === undefined || !sname || !srealm) return undefined;
  const crealm = realmValue(top, 'crealm') ?? srealm;
  const cname = nameOf(child(top, 'cname')) ?? '?';
  const renewTill = timeField(plain, 'renew-till');
  const parts = sname.split('/');
  const kind: TicketSpan['kind'] =
    parts.length === 2 && parts[0] === 'krbtgt' ? (parts[1] === srealm ? 'tgt' : 'referral') : 'service';
  return {
    host,
    server: `${sname}@${srealm}`,
    client: `${cname}@${crealm}`,
    kind,
    authtime,
    start: timeField(plain, 'starttime') ?? authtime,
    end,
    ...(renewTill !== undefined ? { renewTill } : {}),
    held: true,
  };
}

/** What the SMB2 header around a row says (MS-SMB2 §2.2.1.2, §2.2.41). */
function smbNarration(c: CapturedMessage, type: string): EventDetail['narration'][number] {
  const smb = c.smb2!;
  const what =
    smb.command < 0
      ? `SMB2 ${smb.name}: the command is inside the ciphertext (SMB 3 TRANSFORM_HEADER), which needs the session's key`
      : `SMB2 ${smb.name} ${smb.response ? 'response' : 'request'}${smb.response ? `, ${statusText(smb.status)}` : ''}`;
  const token =
    c.bytes.length === 0
      ? ''
      : type.startsWith('NTLMSSP ')
        ? `; its security buffer holds ${type} (MS-NLMP), not Kerberos`
        : `; its security buffer holds ${type === `SMB2 ${smb.name}` ? 'a SPNEGO token' : `the ${type}`} (${c.bytes.length} bytes)`;
  return {
    actor: 'capture',
    stage: 'smb2',
    text: `${what}, session ${smb.sessionId}${token}`,
    ok: !isErrorStatus(smb.status),
  };
}

export class CaptureRun {
  readonly #name: string;
  readonly #messages: CapturedMessage[];
  readonly #events: InspectableEvent[];
  readonly #inspector: TraceInspector;
  readonly #rows: TraceRow[] = [];
  readonly #tickets: TicketSpan[] = [];
  readonly #hosts = new Map<string, Set<string>>();
  /** How many Kerberos messages the capture held beyond those kept. */
  readonly dropped: number;

  /** `messages` in frame order; `total`: how many the capture held (more than kept when over the cap). */
  constructor(
    name: string,
    messages: readonly CapturedMessage[],
    keys: CaptureKeys,
    total = messages.length,
  ) {
    this.#name = name;
    this.#messages = messages.slice(0, MAX_RUN_MESSAGES);
    this.dropped = Math.max(0, total - this.#messages.length);
    // an SMB2 row without a token has nothing to decode: the inspector passes it over
    this.#events = this.#messages.map((m, i) => ({
      seq: i + 1,
      kind: 'message',
      type: '',
      ...(m.bytes.length > 0 ? { bytes: m.bytes } : {}),
    }));
    this.#inspector = new TraceInspector({ keytab: keys.keytab, passwords: keys.passwords });
    this.#inspector.onDecoded = (seq, m) => this.#decoded(seq, m);
  }

  /** Messages decoded so far (of `size`): the worker decodes them a few at a time, reporting between. */
  get decodedCount(): number {
    return this.#rows.length;
  }

  get size(): number {
    return this.#events.length;
  }

  /** Decodes up to `count` more messages, in frame order; true once every one is. */
  decodeNext(count = Infinity): boolean {
    const end = Math.min(this.#events.length, this.#rows.length + count);
    for (let seq = this.#rows.length + 1; seq <= end; seq++) {
      if (!this.#inspector.inspect(this.#events, seq)?.tree) this.#decoded(seq, undefined);
    }
    return this.#rows.length >= this.#events.length;
  }

  #decoded(seq: number, m: DecodedMessage | undefined): void {
    if (this.#rows.some((r) => r.seq === seq)) return;
    const c = this.#messages[seq - 1]!;
    const type = c.smb2 ? smbType(c, m) : (m?.type ?? 'malformed');
    this.#events[seq - 1]!.type = type;
    const request = requestOf(c, type);
    const ends = endpointsOf(c, request);
    const [from, to] = request ? [ends.client, ends.server] : [ends.server, ends.client];
    this.#role(ends.client, 'client');
    this.#role(ends.server, ends.serverPort === 88 || /^(AS|TGS)-/.test(type) ? 'KDC' : 'server');
    const smb = c.smb2;
    const status = smb?.status ? `, ${statusText(smb.status)}` : '';
    const carried = smb && !type.startsWith('SMB2 ') ? ` in SMB2 ${smb.name}` : '';
    // an SMB2 response answers the request of its MessageId (MS-SMB2 §3.2.5.1: a compound's or pipelined
    // requests answered in any order); Kerberos, the latest request between the two hosts
    const asked = (r: TraceRow) => r.from === to && r.to === from && r.tone === 'request';
    const sameId = (r: TraceRow) =>
      smb?.messageId === undefined || this.#messages[r.seq - 1]?.smb2?.messageId === smb.messageId;
    const replyTo = request ? undefined : [...this.#rows].reverse().find((r) => asked(r) && sameId(r));
    this.#rows.push({
      seq,
      t: c.time.getTime(),
      kind: 'message',
      from,
      to,
      transport: c.transport,
      ...(ends.serverPort !== undefined ? { port: ends.serverPort } : {}),
      type,
      ...(m?.errorCode !== undefined ? { errorCode: m.errorCode, errorName: m.errorName ?? '' } : {}),
      result: `frame ${c.frame}: ${c.src} → ${c.dst}${status}`,
      ...(replyTo ? { replyTo: replyTo.seq } : {}),
      modelled: false,
      step: 1,
      tone: toneOf(type, request, smb?.status),
      inspectable: c.bytes.length > 0,
      headline: `Frame ${c.frame} of the capture: ${type}${m?.errorName ? ` ${m.errorName}` : ''}${carried} from ${c.src} to ${c.dst} over ${c.transport.toUpperCase()}${status}.`,
    });
    const span = m ? spanOf(m, ends.client) : undefined;
    if (span) this.#tickets.push(span);
  }

  #role(host: string, role: string): void {
    let roles = this.#hosts.get(host);
    if (!roles) this.#hosts.set(host, (roles = new Set()));
    roles.add(role);
  }

  get rows(): readonly TraceRow[] {
    return this.#rows;
  }

  summary(engine: EngineOrigin): Summary {
    this.decodeNext();
    const times = this.#rows.map((r) => r.t);
    const start = times.length > 0 ? Math.min(...times) : 0;
    const end = times.length > 0 ? Math.max(...times) : 0;
    const hosts: HostView[] = [...this.#hosts].map(([id, roles]) => ({
      id,
      name: id,
      roles: [...roles],
      clock: end,
      clockOffset: 0,
      up: true,
    }));
    const world: WorldView = {
      hosts,
      realms: [],
      links: [],
      blocked: [],
      policies: [],
      policy: { hosts: [], apps: [], realms: [], shares: [] },
    };
    const kept = this.#rows.length;
    return {
      engine,
      scenario: {
        id: 'capture',
        title: `The customer's capture: ${this.#name}`,
        summary: `${kept} messages${this.dropped > 0 ? ` (the first ${kept}; ${this.dropped} more left out)` : ''}, read from the file in this tab. Read-only.`,
        teaches: '',
        source: 'user',
        start,
      },
      step: 1,
      steps: [
        {
          index: 1,
          title: `the customer's capture ${this.#name} (read-only)`,
          about: 'What the capture holds; nothing here can be changed or played.',
          fails: false,
          result: 'ok',
          t: end,
        },
      ],
      now: end,
      world,
      trace: [...this.#rows],
      outcomes: [],
      tickets: [...this.#tickets],
      consoles: [],
      faults: 0,
      later: 0,
      clockMarks: [],
      readOnly: true,
    };
  }

  detail(seq: number): EventDetail {
    this.decodeNext();
    const row = this.#rows.find((r) => r.seq === seq);
    const c = this.#messages[seq - 1];
    if (!row || !c) throw new RangeError(`the capture has no message #${seq}`);
    const inspected = this.#inspector.inspect(this.#events, seq);
    return {
      row,
      bytes: c.bytes,
      ...(inspected?.tree ? { tree: inspected.tree } : {}),
      parts: inspected?.parts ?? [],
      narration: [
        {
          actor: 'capture',
          stage: `frame ${c.frame}`,
          text: `${c.time.toISOString()} · ${c.src} → ${c.dst} · ${c.transport.toUpperCase()} · ${c.bytes.length} bytes`,
          ok: row.tone !== 'error',
        },
        ...(c.smb2 ? [smbNarration(c, row.type)] : []),
      ],
      // NTLMSSP outside SPNEGO is no Kerberos, and nothing is wrong with it
      ...(inspected?.problem && !row.type.startsWith('NTLMSSP ') ? { problem: inspected.problem } : {}),
      rerun: { why: "a customer's capture is not a scenario: it cannot be replayed" },
    };
  }
}

/**
 * The DC's Security log: the audit events a Windows KDC writes for each exchange it answers, built from the
 * request it read and the reply it sent. Pure: the world calls `securityEvent` where its KDC listener
 * answers and keeps the result as plain data.
 *
 * - 4768 "A Kerberos authentication ticket (TGT) was requested": every AS exchange except a bad
 *   password (success, or failure with its Result Code: 0x6 unknown client, 0x12 revoked, 0x17 expired);
 * - 4771 "Kerberos pre-authentication failed": an AS-REQ whose pre-authentication was wrong (0x18);
 * - 4769 "A Kerberos service ticket was requested": every TGS exchange but a renewal that got a ticket,
 *   with its Failure Code (Status in the XML; 0x0 on success): a refused renewal is a 4769 failure;
 * - 4770 "A Kerberos service ticket was renewed": a TGS-REQ with the RENEW option that got a ticket (no
 *   Status: the event has none).
 * A KDC_ERR_PREAUTH_REQUIRED (0x19) answer is the normal first step of a logon, and is not written.
 */
import type { KdcResult } from '../kdc';

export interface SecurityEvent {
  id: 4768 | 4769 | 4770 | 4771;
  /** Virtual time, ms since the epoch. */
  at: number;
  keyword: 'Audit Success' | 'Audit Failure';
  /** The event's fields, in the order and with the names Windows writes them. */
  fields: [string, string][];
}

/** What the KDC said of the exchange (its request as read, its reply, the ticket), and where from. */
export interface SecurityEventInput extends Pick<
  KdcResult,
  'replyType' | 'errorCode' | 'request' | 'ticket'
> {
  now: number;
  /** The client's IPv4 address, and the port it sent from (0 when the world does not model one). */
  clientAddress: string;
  clientPort: number;
}

const PREAUTH_REQUIRED = 0x19;
const PREAUTH_FAILED = 0x18;
const RENEW = 0x00000002;

const hex = (n: number) => `0x${(n >>> 0).toString(16).toUpperCase()}`;
const address = (ip: string) => (ip.includes(':') ? ip : `::ffff:${ip}`);

/** The event a Windows DC writes for one exchange, or undefined when it writes none. */
export function securityEvent(input: SecurityEventInput): SecurityEvent | undefined {
  const req = input.request;
  if (!req) return undefined;
  const code = input.replyType === 'KRB-ERROR' ? (input.errorCode ?? 0) : 0;
  if (code === PREAUTH_REQUIRED) return undefined;
  const keyword = code === 0 ? 'Audit Success' : 'Audit Failure';
  const service = req.sname ? req.sname.nameString.join('/') : '';
  const network: [string, string][] = [
    ['Client Address', address(input.clientAddress)],
    ['Client Port', String(input.clientPort)],
  ];
  const options = hex(req.kdcOptions);
  const etype =
    input.replyType !== 'KRB-ERROR' && input.ticket ? hex(input.ticket.encPart.etype) : '0xFFFFFFFF';
  if (req.type === 'AS-REQ') {
    const account = req.cname ? req.cname.nameString.join('/') : '';
    const preauth = req.encTimestamp ? '2' : '0';
    if (code === PREAUTH_FAILED) {
      const fields: [string, string][] = [
        ['Account Name', account],
        ['Service Name', service],
        ...network,
        ['Ticket Options', options],
        ['Failure Code', hex(code)],
        ['Pre-Authentication Type', preauth],
      ];
      return { id: 4771, at: input.now, keyword, fields };
    }
    const fields: [string, string][] = [
      ['Account Name', account],
      ['Supplied Realm Name', req.realm],
      ['Service Name', service],
      ...network,
      ['Ticket Options', options],
      ['Result Code', hex(code)],
      ['Ticket Encryption Type', etype],
      ['Pre-Authentication Type', code === 0 ? preauth : '-'],
    ];
    return { id: 4768, at: input.now, keyword, fields };
  }
  const renewed = (req.kdcOptions & RENEW) !== 0 && code === 0;
  const fields: [string, string][] = [
    ['Service Name', service],
    ...network,
    ['Ticket Options', options],
    ['Ticket Encryption Type', etype],
    ...(renewed ? [] : ([['Failure Code', hex(code)]] as [string, string][])),
    ['Transited Services', '-'],
  ];
  return { id: renewed ? 4770 : 4769, at: input.now, keyword, fields };
}

/** One event as a line of text, for search and the console. */
export function securityEventText(e: SecurityEvent): string {
  return `${e.id} ${e.keyword} ${e.fields.map(([k, v]) => `${k}: ${v}`).join('; ')}`;
}

/** What Event Viewer's General tab says each event is. */
export const SECURITY_EVENT_TITLES: Record<SecurityEvent['id'], string> = {
  4768: 'A Kerberos authentication ticket (TGT) was requested.',
  4769: 'A Kerberos service ticket was requested.',
  4770: 'A Kerberos service ticket was renewed.',
  4771: 'Kerberos pre-authentication failed.',
};

/** The field's name in the event's XML (EventData), which Event Viewer's Details tab shows. */
const EVENT_DATA_NAMES: Record<string, string> = {
  'Account Name': 'TargetUserName',
  'Supplied Realm Name': 'TargetDomainName',
  'Service Name': 'ServiceName',
  'Client Address': 'IpAddress',
  'Client Port': 'IpPort',
  'Ticket Options': 'TicketOptions',
  'Result Code': 'Status',
  'Failure Code': 'Status',
  'Ticket Encryption Type': 'TicketEncryptionType',
  'Pre-Authentication Type': 'PreAuthType',
  'Transited Services': 'TransmittedServices',
};

/**
 * The EventData members each event's XML carries, in the order Windows writes them (the event versions
 * before the 2025 additions). The playground fills those it models; Event Viewer's General tab groups
 * the same values otherwise.
 */
const SERVICE_TICKET = [
  'TargetUserName',
  'TargetDomainName',
  'ServiceName',
  'ServiceSid',
  'TicketOptions',
  'TicketEncryptionType',
  'IpAddress',
  'IpPort',
];
const CERTIFICATE = ['CertIssuerName', 'CertSerialNumber', 'CertThumbprint'];
const EVENT_DATA_ORDER: Record<SecurityEvent['id'], readonly string[]> = {
  4768: [
    ...['TargetUserName', 'TargetDomainName', 'TargetSid', 'ServiceName', 'ServiceSid'],
    ...['TicketOptions', 'Status', 'TicketEncryptionType', 'PreAuthType', 'IpAddress', 'IpPort'],
    ...CERTIFICATE,
  ],
  4769: [...SERVICE_TICKET, 'Status', 'LogonGuid', 'TransmittedServices'],
  4770: SERVICE_TICKET,
  4771: [
    ...['TargetUserName', 'TargetSid', 'ServiceName', 'TicketOptions', 'Status', 'PreAuthType'],
    ...['IpAddress', 'IpPort'],
    ...CERTIFICATE,
  ],
};

/** The System block's Task: 14339 Kerberos Authentication Service, 14337 Kerberos Service Ticket Operations. */
const TASK: Record<SecurityEvent['id'], number> = { 4768: 14339, 4771: 14339, 4769: 14337, 4770: 14337 };

/** The System block's Keywords: the audit-success and audit-failure bits as the XML writes them. */
const KEYWORDS: Record<SecurityEvent['keyword'], string> = {
  'Audit Success': '0x8020000000000000',
  'Audit Failure': '0x8010000000000000',
};

/** An event as Event Viewer's Details tab (XML view) lays it out: the System block, then EventData. */
export interface SecurityEventDetails {
  title: string;
  system: [string, string][];
  eventData: [string, string][];
}

/** The details of one event written by the DC on `computer`, with the values the XML holds. */
export function securityEventDetails(e: SecurityEvent, computer: string): SecurityEventDetails {
  const byName = new Map(e.fields.map(([k, v]) => [EVENT_DATA_NAMES[k] ?? k, v]));
  return {
    title: SECURITY_EVENT_TITLES[e.id],
    system: [
      ['Provider', 'Microsoft-Windows-Security-Auditing'],
      ['EventID', String(e.id)],
      ['Version', '0'],
      ['Level', '0'],
      ['Task', String(TASK[e.id])],
      ['Opcode', '0'],
      ['Keywords', KEYWORDS[e.keyword]],
      ['TimeCreated', new Date(e.at).toISOString()],
      ['Channel', 'Security'],
      ['Computer', computer],
    ],
    eventData: EVENT_DATA_ORDER[e.id].flatMap((name): [string, string][] => {
      const v = byName.get(name);
      return v === undefined ? [] : [[name, v]];
    }),
  };
}

/** One DC's log: the host it runs on, the realms it serves, its events oldest first. */
export interface DcSecurityLog {
  host: string;
  realms: string[];
  events: readonly SecurityEvent[];
}

/** Every DC's log in a world's state, in the order the world lists its KDCs. */
export function securityLogsOf(
  kdcs: readonly { host: string; state: { realms: { name: string }[] }; securityLog?: SecurityEvent[] }[],
): DcSecurityLog[] {
  return kdcs.map((k) => ({
    host: k.host,
    realms: k.state.realms.map((r) => r.name),
    events: k.securityLog ?? [],
  }));
}

const isoTime = (ms: number) => new Date(ms).toISOString();

/** The logs as text: a heading per DC, then one line per event, oldest first. */
export function formatSecurityLogs(logs: readonly DcSecurityLog[]): string {
  let out = '';
  for (const dc of logs) {
    const n = dc.events.length;
    out += `# Security log of ${dc.host} (${dc.realms.join(', ')}): ${n} event${n === 1 ? '' : 's'}\n`;
    for (const e of dc.events) out += `${isoTime(e.at)}  ${securityEventText(e)}\n`;
  }
  return out;
}

/** The logs as JSON: each event's fields as an object, in the order Windows writes them. */
export function securityLogsJson(logs: readonly DcSecurityLog[]) {
  return logs.map((dc) => ({
    dc: dc.host,
    realms: dc.realms,
    events: dc.events.map((e) => ({
      id: e.id,
      t: isoTime(e.at),
      keyword: e.keyword,
      fields: Object.fromEntries(e.fields),
    })),
  }));
}

/**
 * Kerberos message types (the `msg-type` field, RFC 4120 §5.10 and §7.5.7) and the ASN.1 APPLICATION
 * tags that wrap each top-level structure (RFC 4120 §5.10, plus [APPLICATION 0] from RFC 2743 §3.1).
 *
 * The two agree for messages (AS-REQ is msg-type 10 and [APPLICATION 10]); the encrypted parts and the
 * Ticket have tags but no msg-type, because they never travel on their own.
 */
import { constantsOf, defineRegistry, type RegistryEntry } from './table';

/** RFC 4120 §7.5.7: the numbers of `msg-type`; `name` is the spelling the CLI's `type` field uses. */
const messageTypeTable = [
  {
    value: 10,
    key: 'AS_REQ',
    name: 'AS-REQ',
    rfcName: 'KRB_AS_REQ',
    summary:
      'The client asks the KDC for an initial ticket, usually a TGT, proving who it is with pre-authentication.',
    source: 'RFC 4120 §5.4.1, §7.5.7',
  },
  {
    value: 11,
    key: 'AS_REP',
    name: 'AS-REP',
    rfcName: 'KRB_AS_REP',
    summary:
      'The KDC answers an AS-REQ: a ticket, plus a session key encrypted in the key made from the user’s password.',
    source: 'RFC 4120 §5.4.2, §7.5.7',
  },
  {
    value: 12,
    key: 'TGS_REQ',
    name: 'TGS-REQ',
    rfcName: 'KRB_TGS_REQ',
    summary:
      'The client shows its TGT to the KDC and asks for a ticket to a service (or a TGT for another realm).',
    source: 'RFC 4120 §5.4.1, §7.5.7',
  },
  {
    value: 13,
    key: 'TGS_REP',
    name: 'TGS-REP',
    rfcName: 'KRB_TGS_REP',
    summary:
      'The KDC answers a TGS-REQ: a ticket (the service ticket asked for, or a referral TGT to the next realm) and its session key, encrypted in the TGT’s session key, or in the subkey the request’s authenticator carried.',
    source: 'RFC 4120 §5.4.2, §7.5.7',
  },
  {
    value: 14,
    key: 'AP_REQ',
    name: 'AP-REQ',
    rfcName: 'KRB_AP_REQ',
    summary: 'The client presents a ticket and a fresh authenticator to a service to prove who it is.',
    source: 'RFC 4120 §5.5.1, §7.5.7',
  },
  {
    value: 15,
    key: 'AP_REP',
    name: 'AP-REP',
    rfcName: 'KRB_AP_REP',
    summary:
      'The service proves itself back to the client (mutual authentication) by echoing the authenticator’s time.',
    source: 'RFC 4120 §5.5.2, §7.5.7',
  },
  {
    value: 16,
    key: 'TGT_REQ',
    name: 'TGT-REQ',
    rfcName: 'KRB_RESERVED16',
    aliases: ['KRB-TGT-REQ'],
    summary:
      'User-to-user: the client asks a server for its TGT, so the KDC can encrypt a ticket in that TGT’s key.',
    source: 'RFC 4120 §7.5.7 (reserved for draft-ietf-cat-user2user)',
  },
  {
    value: 17,
    key: 'TGT_REP',
    name: 'TGT-REP',
    rfcName: 'KRB_RESERVED17',
    aliases: ['KRB-TGT-REP'],
    summary: 'User-to-user: the server’s answer to TGT-REQ, carrying its TGT.',
    source: 'RFC 4120 §7.5.7 (reserved for draft-ietf-cat-user2user)',
  },
  {
    value: 20,
    key: 'KRB_SAFE',
    name: 'KRB-SAFE',
    rfcName: 'KRB_SAFE',
    summary:
      'Application data sent in the clear but protected by a keyed checksum, so tampering is detected.',
    source: 'RFC 4120 §5.6, §7.5.7',
  },
  {
    value: 21,
    key: 'KRB_PRIV',
    name: 'KRB-PRIV',
    rfcName: 'KRB_PRIV',
    summary: 'Application data encrypted with the session key (used by kpasswd, for example).',
    source: 'RFC 4120 §5.7, §7.5.7',
  },
  {
    value: 22,
    key: 'KRB_CRED',
    name: 'KRB-CRED',
    rfcName: 'KRB_CRED',
    summary:
      'Tickets and their session keys passed to another party: delegation, and the .kirbi file format.',
    source: 'RFC 4120 §5.8, §7.5.7',
  },
  {
    value: 30,
    key: 'KRB_ERROR',
    name: 'KRB-ERROR',
    rfcName: 'KRB_ERROR',
    summary:
      'Something went wrong (or more is needed, as with pre-authentication): an error code and its details.',
    source: 'RFC 4120 §5.9.1, §7.5.7',
  },
] as const satisfies readonly RegistryEntry[];

/** The message-type registry (RFC 4120 §7.5.7). */
export const messageTypes = defineRegistry<RegistryEntry>('message type', messageTypeTable);

/** `MessageType.AS_REQ === 10`, … (RFC 4120 §7.5.7). */
export const MessageType = constantsOf(messageTypeTable);
/** A known message-type number. */
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/**
 * APPLICATION tag numbers of RFC 4120 §5.10 (and [APPLICATION 0], the GSS-API token framing of
 * RFC 2743 §3.1 that wraps an AP-REQ in SPNEGO and HTTP Negotiate).
 */
const applicationTagTable = [
  {
    value: 0,
    key: 'GSS_INITIAL_CONTEXT_TOKEN',
    name: 'InitialContextToken',
    summary:
      'GSS-API framing: a mechanism OID followed by a Kerberos token (an AP-REQ), as in HTTP Negotiate.',
    source: 'RFC 2743 §3.1, RFC 4121 §4.1',
  },
  {
    value: 1,
    key: 'TICKET',
    name: 'Ticket',
    summary: 'A ticket: the server’s name in the clear and the EncTicketPart encrypted in the server’s key.',
    source: 'RFC 4120 §5.3',
  },
  {
    value: 2,
    key: 'AUTHENTICATOR',
    name: 'Authenticator',
    summary:
      'The client’s name and current time, encrypted in the session key, proving it holds that key now.',
    source: 'RFC 4120 §5.5.1',
  },
  {
    value: 3,
    key: 'ENC_TICKET_PART',
    name: 'EncTicketPart',
    summary:
      'The secret inside a ticket: flags, session key, client name, times and authorization data (the PAC).',
    source: 'RFC 4120 §5.3',
  },
  {
    value: 10,
    key: 'AS_REQ',
    name: 'AS-REQ',
    summary: 'A whole AS-REQ message (msg-type 10).',
    source: 'RFC 4120 §5.10',
  },
  {
    value: 11,
    key: 'AS_REP',
    name: 'AS-REP',
    summary: 'A whole AS-REP message (msg-type 11).',
    source: 'RFC 4120 §5.10',
  },
  {
    value: 12,
    key: 'TGS_REQ',
    name: 'TGS-REQ',
    summary: 'A whole TGS-REQ message (msg-type 12).',
    source: 'RFC 4120 §5.10',
  },
  {
    value: 13,
    key: 'TGS_REP',
    name: 'TGS-REP',
    summary: 'A whole TGS-REP message (msg-type 13).',
    source: 'RFC 4120 §5.10',
  },
  {
    value: 14,
    key: 'AP_REQ',
    name: 'AP-REQ',
    summary: 'A whole AP-REQ message (msg-type 14).',
    source: 'RFC 4120 §5.10',
  },
  {
    value: 15,
    key: 'AP_REP',
    name: 'AP-REP',
    summary: 'A whole AP-REP message (msg-type 15).',
    source: 'RFC 4120 §5.10',
  },
  {
    value: 20,
    key: 'KRB_SAFE',
    name: 'KRB-SAFE',
    summary: 'A whole KRB-SAFE message (msg-type 20).',
    source: 'RFC 4120 §5.10',
  },
  {
    value: 21,
    key: 'KRB_PRIV',
    name: 'KRB-PRIV',
    summary: 'A whole KRB-PRIV message (msg-type 21).',
    source: 'RFC 4120 §5.10',
  },
  {
    value: 22,
    key: 'KRB_CRED',
    name: 'KRB-CRED',
    summary: 'A whole KRB-CRED message (msg-type 22).',
    source: 'RFC 4120 §5.10',
  },
  {
    value: 25,
    key: 'ENC_AS_REP_PART',
    name: 'EncASRepPart',
    summary:
      'The encrypted part of an AS-REP: the session key, times and flags, in the client’s long-term key.',
    source: 'RFC 4120 §5.4.2',
  },
  {
    value: 26,
    key: 'ENC_TGS_REP_PART',
    name: 'EncTGSRepPart',
    summary:
      'The encrypted part of a TGS-REP (MIT also uses this tag inside AS-REPs, which RFC 4120 §5.4.2 tolerates).',
    source: 'RFC 4120 §5.4.2',
  },
  {
    value: 27,
    key: 'ENC_AP_REP_PART',
    name: 'EncAPRepPart',
    summary:
      'The encrypted part of an AP-REP: the authenticator’s time echoed back, and optionally a subkey.',
    source: 'RFC 4120 §5.5.2',
  },
  {
    value: 28,
    key: 'ENC_KRB_PRIV_PART',
    name: 'EncKrbPrivPart',
    summary: 'The encrypted part of a KRB-PRIV: the user data with a timestamp or sequence number.',
    source: 'RFC 4120 §5.7.1',
  },
  {
    value: 29,
    key: 'ENC_KRB_CRED_PART',
    name: 'EncKrbCredPart',
    summary: 'The encrypted part of a KRB-CRED: the session keys that go with the forwarded tickets.',
    source: 'RFC 4120 §5.8.1',
  },
  {
    value: 30,
    key: 'KRB_ERROR',
    name: 'KRB-ERROR',
    summary: 'A whole KRB-ERROR message (msg-type 30).',
    source: 'RFC 4120 §5.10',
  },
] as const satisfies readonly RegistryEntry[];

/** The APPLICATION-tag registry (RFC 4120 §5.10). */
export const applicationTags = defineRegistry<RegistryEntry>('APPLICATION tag', applicationTagTable);

/** `ApplicationTag.TICKET === 1`, `ApplicationTag.ENC_TGS_REP_PART === 26`, … */
export const ApplicationTag = constantsOf(applicationTagTable);
/** A known APPLICATION tag number. */
export type ApplicationTag = (typeof ApplicationTag)[keyof typeof ApplicationTag];

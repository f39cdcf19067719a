/**
 * Ticket flags: the `flags` of EncTicketPart and EncKDCRepPart (RFC 4120 §5.3, TicketFlags), bits 0–13,
 * plus enc-pa-rep (RFC 6806 §11) and anonymous (RFC 8062).
 *
 * Bit 15 is the one people trip over. RFC 6806 calls it enc-pa-rep: "this KDC can protect its reply's
 * padata"; MIT sets it that way. Windows prints the same bit as `name_canonicalize` (ntsecapi.h defines
 * both names on 0x00010000). So Windows' `klist` line "0x40e10000 -> forwardable renewable initial
 * pre_authent name_canonicalize" is bits 1, 8, 9, 10 and 15.
 */
import { defineFlagRegistry, flagConstantsOf, type FlagEntry, type FlagSpec } from './flags';

/** A ticket flag, with the letter MIT's `klist -f` prints for it. */
export interface TicketFlagEntry extends FlagEntry {
  /** The letter in MIT `klist -f` output ("FRIA"), where klist has one. */
  readonly klistChar?: string;
}

const ticketFlagTable = [
  {
    value: 0,
    key: 'RESERVED',
    name: 'reserved',
    rfcName: 'RESERVED',
    windowsName: 'reserved',
    summary: 'Reserved for future expansion of the flags field; never set.',
    source: 'RFC 4120 §5.3',
  },
  {
    value: 1,
    key: 'FORWARDABLE',
    name: 'forwardable',
    rfcName: 'FORWARDABLE',
    windowsName: 'forwardable',
    klistChar: 'F',
    summary:
      'The KDC may issue a new ticket from this one: on a TGT, a TGT for another host (delegation); on a service ticket, one to another service on the user’s behalf (S4U2proxy).',
    source: 'RFC 4120 §2.6, §5.3, MS-SFU §3.1.5.2.1',
  },
  {
    value: 2,
    key: 'FORWARDED',
    name: 'forwarded',
    rfcName: 'FORWARDED',
    windowsName: 'forwarded',
    klistChar: 'f',
    summary: 'This ticket was itself forwarded, or was issued from a forwarded TGT.',
    source: 'RFC 4120 §2.6, §5.3',
  },
  {
    value: 3,
    key: 'PROXIABLE',
    name: 'proxiable',
    rfcName: 'PROXIABLE',
    windowsName: 'proxiable',
    klistChar: 'P',
    summary: 'This TGT may be used to get service tickets that carry a different address (proxies).',
    source: 'RFC 4120 §2.5, §5.3',
  },
  {
    value: 4,
    key: 'PROXY',
    name: 'proxy',
    rfcName: 'PROXY',
    windowsName: 'proxy',
    klistChar: 'p',
    summary: 'This ticket is a proxy: issued for an address other than the one in the TGT.',
    source: 'RFC 4120 §2.5, §5.3',
  },
  {
    value: 5,
    key: 'MAY_POSTDATE',
    name: 'may-postdate',
    rfcName: 'MAY-POSTDATE',
    windowsName: 'may_postdate',
    klistChar: 'D',
    summary: 'This TGT may be used to get postdated tickets that become valid later.',
    source: 'RFC 4120 §2.4, §5.3',
  },
  {
    value: 6,
    key: 'POSTDATED',
    name: 'postdated',
    rfcName: 'POSTDATED',
    windowsName: 'postdated',
    klistChar: 'd',
    summary: 'This ticket was postdated: its start time is later than when it was issued.',
    source: 'RFC 4120 §2.4, §5.3',
  },
  {
    value: 7,
    key: 'INVALID',
    name: 'invalid',
    rfcName: 'INVALID',
    windowsName: 'invalid',
    klistChar: 'i',
    summary: 'Not usable yet: a postdated ticket must first be validated by the KDC.',
    source: 'RFC 4120 §2.2, §5.3',
  },
  {
    value: 8,
    key: 'RENEWABLE',
    name: 'renewable',
    rfcName: 'RENEWABLE',
    windowsName: 'renewable',
    klistChar: 'R',
    summary: 'The KDC can extend this ticket’s end time, up to renew-till, without asking for the password.',
    source: 'RFC 4120 §2.3, §5.3',
  },
  {
    value: 9,
    key: 'INITIAL',
    name: 'initial',
    rfcName: 'INITIAL',
    windowsName: 'initial',
    klistChar: 'I',
    summary: 'Issued by the AS exchange (from the password or certificate), not from another TGT.',
    source: 'RFC 4120 §2.1, §5.3',
  },
  {
    value: 10,
    key: 'PRE_AUTHENT',
    name: 'pre-authent',
    rfcName: 'PRE-AUTHENT',
    windowsName: 'pre_authent',
    klistChar: 'A',
    summary: 'The client proved its identity (pre-authentication) before the KDC issued the first ticket.',
    source: 'RFC 4120 §2.1, §5.3',
  },
  {
    value: 11,
    key: 'HW_AUTHENT',
    name: 'hw-authent',
    rfcName: 'HW-AUTHENT',
    windowsName: 'hw_authent',
    klistChar: 'H',
    summary: 'Pre-authentication used hardware that only the client holds, such as a token.',
    source: 'RFC 4120 §2.1, §5.3',
  },
  {
    value: 12,
    key: 'TRANSITED_POLICY_CHECKED',
    name: 'transited-policy-checked',
    rfcName: 'TRANSITED-POLICY-CHECKED',
    klistChar: 'T',
    summary: 'The KDC checked the list of realms this cross-realm ticket passed through.',
    source: 'RFC 4120 §2.7, §5.3',
  },
  {
    value: 13,
    key: 'OK_AS_DELEGATE',
    name: 'ok-as-delegate',
    rfcName: 'OK-AS-DELEGATE',
    windowsName: 'ok_as_delegate',
    klistChar: 'O',
    summary: 'Realm policy trusts this service to receive delegated credentials ("trusted for delegation").',
    source: 'RFC 4120 §2.8, §5.3',
  },
  {
    value: 15,
    key: 'ENC_PA_REP',
    name: 'enc-pa-rep',
    rfcName: 'ENC-PA-REP',
    windowsName: 'name_canonicalize',
    aliases: ['name-canonicalize'],
    summary:
      'The KDC supports protected reply padata (RFC 6806); Windows shows this bit as name_canonicalize.',
    source: 'RFC 6806 §11',
  },
  {
    value: 16,
    key: 'ANONYMOUS',
    name: 'anonymous',
    rfcName: 'ANONYMOUS',
    klistChar: 'a',
    summary: 'The client is anonymous: the ticket does not say who really holds it.',
    source: 'RFC 8062',
  },
] as const satisfies readonly FlagSpec<TicketFlagEntry>[];

/** The ticket-flag registry: `value` is the bit number (0 = 0x80000000). */
export const ticketFlags = defineFlagRegistry<TicketFlagEntry>('ticket flag', ticketFlagTable);

/** Masks: `TicketFlag.FORWARDABLE === 0x40000000`, `TicketFlag.PRE_AUTHENT === 0x00200000`, … */
export const TicketFlag = flagConstantsOf(ticketFlagTable);

/** MIT klist tests the flags in this order (hw-authent before pre-authent), so its letters come out so. */
const KLIST_ORDER = 'FfPpDdiRIHATOa';

/** MIT `klist -f` letters for a flag set, in klist's own order: "FRIA" for 0x40e00000. */
export function ticketFlagsToKlistString(flags: number): string {
  const set = new Set(
    ticketFlags.entries.filter((e) => ((flags >>> 0) & e.mask) !== 0).map((e) => e.klistChar),
  );
  return [...KLIST_ORDER].filter((letter) => set.has(letter)).join('');
}

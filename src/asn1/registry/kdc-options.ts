/**
 * KDC options: the `kdc-options` of KDC-REQ-BODY (RFC 4120 §5.4.1, KDCOptions), what the client asks the
 * KDC to do. Later documents fill bits RFC 4120 left unused: cname-in-addl-tkt 14 (MS-SFU, constrained
 * delegation), canonicalize 15 (RFC 6806) and request-anonymous 16 (RFC 8062).
 *
 * Drafts of the anonymity work first put request-anonymous on bit 14, which Microsoft already used for
 * S4U2proxy; the published RFC moved it to 16, and Heimdal's KDC still untangles old clients that set 14.
 *
 * Windows asks for 0x40810010 in its AS-REQ: forwardable, renewable, canonicalize, renewable-ok.
 */
import { defineFlagRegistry, flagConstantsOf, type FlagEntry, type FlagSpec } from './flags';

const kdcOptionTable = [
  {
    value: 0,
    key: 'RESERVED',
    name: 'reserved',
    rfcName: 'RESERVED',
    summary: 'Reserved for future expansion of the options field; never set.',
    source: 'RFC 4120 §5.4.1',
  },
  {
    value: 1,
    key: 'FORWARDABLE',
    name: 'forwardable',
    rfcName: 'FORWARDABLE',
    summary: 'Asks for a ticket that may later be forwarded to another host (so it can be delegated).',
    source: 'RFC 4120 §2.6, §5.4.1',
  },
  {
    value: 2,
    key: 'FORWARDED',
    name: 'forwarded',
    rfcName: 'FORWARDED',
    summary: 'Asks for a forwarded TGT, made from a forwardable one, for the addresses given in the request.',
    source: 'RFC 4120 §2.6, §5.4.1',
  },
  {
    value: 3,
    key: 'PROXIABLE',
    name: 'proxiable',
    rfcName: 'PROXIABLE',
    summary: 'Asks for a TGT that may be used to get proxy tickets.',
    source: 'RFC 4120 §2.5, §5.4.1',
  },
  {
    value: 4,
    key: 'PROXY',
    name: 'proxy',
    rfcName: 'PROXY',
    summary: 'Asks for a proxy ticket valid from addresses other than the TGT’s.',
    source: 'RFC 4120 §2.5, §5.4.1',
  },
  {
    value: 5,
    key: 'ALLOW_POSTDATE',
    name: 'allow-postdate',
    rfcName: 'ALLOW-POSTDATE',
    summary: 'Asks for a TGT that may be used to get postdated tickets.',
    source: 'RFC 4120 §2.4, §5.4.1',
  },
  {
    value: 6,
    key: 'POSTDATED',
    name: 'postdated',
    rfcName: 'POSTDATED',
    summary: 'Asks for a postdated ticket, valid from the request’s `from` time.',
    source: 'RFC 4120 §2.4, §5.4.1',
  },
  {
    value: 8,
    key: 'RENEWABLE',
    name: 'renewable',
    rfcName: 'RENEWABLE',
    summary: 'Asks for a renewable ticket, renewable until the request’s `rtime`.',
    source: 'RFC 4120 §2.3, §5.4.1',
  },
  {
    value: 11,
    key: 'OPT_HARDWARE_AUTH',
    name: 'opt-hardware-auth',
    rfcName: 'OPT-HARDWARE-AUTH',
    summary: 'Asks that hardware pre-authentication be used; defined in the ASN.1 but not used in practice.',
    source: 'RFC 4120 §5.4.1',
  },
  {
    value: 14,
    key: 'CNAME_IN_ADDL_TKT',
    name: 'cname-in-addl-tkt',
    rfcName: 'CNAME-IN-ADDL-TKT',
    aliases: ['constrained-delegation'],
    summary:
      'S4U2proxy (constrained delegation): the ticket is for the client named in the additional ticket, not the requester.',
    source: 'MS-SFU §2.2.3, §3.1.5.2.1',
  },
  {
    value: 15,
    key: 'CANONICALIZE',
    name: 'canonicalize',
    rfcName: 'CANONICALIZE',
    aliases: ['name-canonicalize'],
    summary: 'The KDC may answer with the name’s canonical form, or refer the client to another realm.',
    source: 'RFC 6806 §3',
  },
  {
    value: 16,
    key: 'REQUEST_ANONYMOUS',
    name: 'request-anonymous',
    rfcName: 'REQUEST-ANONYMOUS',
    summary: 'Asks for an anonymous ticket that does not reveal who the client is.',
    source: 'RFC 8062',
  },
  {
    value: 26,
    key: 'DISABLE_TRANSITED_CHECK',
    name: 'disable-transited-check',
    rfcName: 'DISABLE-TRANSITED-CHECK',
    summary: 'Asks the KDC not to check the realms a cross-realm request passed through (the service will).',
    source: 'RFC 4120 §2.7, §5.4.1',
  },
  {
    value: 27,
    key: 'RENEWABLE_OK',
    name: 'renewable-ok',
    rfcName: 'RENEWABLE-OK',
    summary: 'If the asked lifetime is too long, accept a renewable ticket with a shorter lifetime instead.',
    source: 'RFC 4120 §5.4.1',
  },
  {
    value: 28,
    key: 'ENC_TKT_IN_SKEY',
    name: 'enc-tkt-in-skey',
    rfcName: 'ENC-TKT-IN-SKEY',
    summary: 'User-to-user: encrypt the ticket in the session key of the TGT in additional-tickets.',
    source: 'RFC 4120 §2.9.2, §5.4.1',
  },
  {
    value: 30,
    key: 'RENEW',
    name: 'renew',
    rfcName: 'RENEW',
    summary: 'Renew the renewable ticket sent along: same ticket, new end time.',
    source: 'RFC 4120 §2.3, §5.4.1',
  },
  {
    value: 31,
    key: 'VALIDATE',
    name: 'validate',
    rfcName: 'VALIDATE',
    summary: 'Validate a postdated ticket whose start time has come, clearing its invalid flag.',
    source: 'RFC 4120 §2.2, §5.4.1',
  },
] as const satisfies readonly FlagSpec[];

/** The KDC-option registry: `value` is the bit number (0 = 0x80000000). */
export const kdcOptions = defineFlagRegistry<FlagEntry>('KDC option', kdcOptionTable);

/** Masks: `KdcOption.FORWARDABLE === 0x40000000`, `KdcOption.CANONICALIZE === 0x00010000`, … */
export const KdcOption = flagConstantsOf(kdcOptionTable);

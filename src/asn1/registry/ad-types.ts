/**
 * Authorization-data types: the `ad-type` of AuthorizationData entries (RFC 4120 §5.2.6, numbers in
 * §7.5.4), with FAST's (RFC 6113 §5.4.1, §6.3), referrals' (RFC 6806), CAMMAC (RFC 7751), authentication
 * indicators (RFC 8129) and Microsoft's (MS-KILE §3.1.5.5, MS-PAC).
 *
 * Windows wraps its entries in AD-IF-RELEVANT, whose meaning is "skip what you do not understand", and
 * MS-KILE §3.1.5.5 makes servers ignore unknown types rather than fail.
 */
import { constantsOf, defineRegistry, type RegistryEntry } from './table';

const adTypeTable = [
  {
    value: 1,
    key: 'AD_IF_RELEVANT',
    name: 'AD-IF-RELEVANT',
    summary: 'A wrapper: the entries inside may be ignored by anyone who does not understand them.',
    source: 'RFC 4120 §5.2.6.1, §7.5.4',
  },
  {
    value: 2,
    key: 'AD_INTENDED_FOR_SERVER',
    name: 'AD-INTENDED-FOR-SERVER',
    summary: 'Entries meant only for the named servers.',
    source: 'RFC 4120 §7.5.4',
  },
  {
    value: 3,
    key: 'AD_INTENDED_FOR_APPLICATION_CLASS',
    name: 'AD-INTENDED-FOR-APPLICATION-CLASS',
    summary: 'Entries meant only for a named class of applications.',
    source: 'RFC 4120 §7.5.4',
  },
  {
    value: 4,
    key: 'AD_KDC_ISSUED',
    name: 'AD-KDC-ISSUED',
    aliases: ['AD-KDCIssued'],
    summary: 'Entries the KDC vouches for with a checksum, so the client cannot have added or changed them.',
    source: 'RFC 4120 §5.2.6.2, §7.5.4',
  },
  {
    value: 5,
    key: 'AD_AND_OR',
    name: 'AD-AND-OR',
    summary: 'A rule combining several entries: at least `condition-count` of them must be satisfied.',
    source: 'RFC 4120 §5.2.6.3, §7.5.4',
  },
  {
    value: 6,
    key: 'AD_MANDATORY_TICKET_EXTENSIONS',
    name: 'AD-MANDATORY-TICKET-EXTENSIONS',
    summary: 'Ticket extensions the server must understand (from a draft never finished).',
    source: 'RFC 4120 §7.5.4',
  },
  {
    value: 7,
    key: 'AD_IN_TICKET_EXTENSIONS',
    name: 'AD-IN-TICKET-EXTENSIONS',
    summary: 'Ticket extensions carried in authorization data (from a draft never finished).',
    source: 'RFC 4120 §7.5.4',
  },
  {
    value: 8,
    key: 'AD_MANDATORY_FOR_KDC',
    name: 'AD-MANDATORY-FOR-KDC',
    summary: 'Entries the KDC must understand; if it does not, it must refuse to issue the ticket.',
    source: 'RFC 4120 §5.2.6.4, §7.5.4',
  },
  {
    value: 9,
    key: 'AD_INITIAL_VERIFIED_CAS',
    name: 'AD-INITIAL-VERIFIED-CAS',
    summary:
      'PKINIT: the certificate authorities the KDC checked when the client logged on with a certificate.',
    source: 'RFC 4556 §3.2.2',
  },
  {
    value: 64,
    key: 'OSF_DCE',
    name: 'OSF-DCE',
    summary: 'Authorization data of OSF DCE.',
    source: 'RFC 4120 §7.5.4',
  },
  {
    value: 65,
    key: 'SESAME',
    name: 'SESAME',
    summary: 'Authorization data of the SESAME project.',
    source: 'RFC 4120 §7.5.4',
  },
  {
    value: 66,
    key: 'AD_OSF_DCE_PKI_CERTID',
    name: 'AD-OSF-DCE-PKI-CERTID',
    summary: 'A DCE public-key certificate identifier.',
    source: 'RFC 4120 §7.5.4',
  },
  {
    value: 70,
    key: 'AD_AUTHENTICATION_STRENGTH',
    name: 'AD-authentication-strength',
    summary: 'FAST: which pre-authentication methods were used to get the ticket.',
    source: 'RFC 6113 §5.5',
  },
  {
    value: 71,
    key: 'AD_FX_FAST_ARMOR',
    name: 'AD-fx-fast-armor',
    summary: 'FAST: marks an AP-REQ as armor, so that it cannot be replayed as an ordinary TGS request.',
    source: 'RFC 6113 §5.4.1.1',
  },
  {
    value: 72,
    key: 'AD_FX_FAST_USED',
    name: 'AD-fx-fast-used',
    summary: 'FAST: the client used FAST to get this ticket, so a service can refuse downgraded requests.',
    source: 'RFC 6113 §5.4.2',
  },
  {
    value: 80,
    key: 'AD_LOGIN_ALIAS',
    name: 'AD-LOGIN-ALIAS',
    aliases: ['KERB-AD-LOGIN-ALIAS'],
    summary: 'Referrals: the other names the client logged on with, such as the enterprise name it typed.',
    source: 'RFC 6806 §6',
  },
  {
    value: 96,
    key: 'AD_CAMMAC',
    name: 'AD-CAMMAC',
    summary: 'A container whose entries the KDC (and optionally the service) authenticates with MACs.',
    source: 'RFC 7751',
  },
  {
    value: 97,
    key: 'AD_AUTHENTICATION_INDICATOR',
    name: 'AD-AUTHENTICATION-INDICATOR',
    summary:
      'Strings naming how the user authenticated (for example "otp" or "pkinit"), for services to act on.',
    source: 'RFC 8129',
  },
  {
    value: 128,
    key: 'AD_WIN2K_PAC',
    name: 'AD-WIN2K-PAC',
    summary: 'The Windows PAC: the user’s SID, group SIDs and more, signed by the KDC (MS-PAC).',
    source: 'RFC 4120 §7.5.4, MS-PAC §2.3',
  },
  {
    value: 129,
    key: 'AD_ETYPE_NEGOTIATION',
    name: 'AD-ETYPE-NEGOTIATION',
    summary:
      'In an authenticator: the encryption types the client supports, so client and server can agree a stronger subkey.',
    source: 'RFC 4537',
  },
  {
    value: 141,
    key: 'KERB_AUTH_DATA_TOKEN_RESTRICTIONS',
    name: 'KERB-AUTH-DATA-TOKEN-RESTRICTIONS',
    aliases: ['KERB-AD-RESTRICTION-ENTRY'],
    summary: 'Windows: restrictions on the logon token (integrity level, UAC) and the client’s machine ID.',
    source: 'MS-KILE §2.2.6, §3.1.5.5',
  },
  {
    value: 142,
    key: 'KERB_LOCAL',
    name: 'KERB-LOCAL',
    aliases: ['KERB-AUTH-DATA-LOOPBACK'],
    summary: 'Windows: private data for when client and server turn out to be the same machine (loopback).',
    source: 'MS-KILE §2.2.4',
  },
  {
    value: 143,
    key: 'AD_AUTH_DATA_AP_OPTIONS',
    name: 'AD-AUTH-DATA-AP-OPTIONS',
    aliases: ['KERB-AUTH-DATA-AP-OPTIONS'],
    summary: 'Windows: extra AP options, such as "this client supports channel binding".',
    source: 'MS-KILE §3.2.5.8',
  },
  {
    value: 144,
    key: 'AD_TARGET_PRINCIPAL',
    name: 'AD-TARGET-PRINCIPAL',
    aliases: ['KERB-AD-TARGET-PRINCIPAL'],
    summary: 'Windows: the service name the client meant to reach, so a server can detect a swapped name.',
    source: 'Windows (named by Wireshark and Heimdal; not described in MS-KILE)',
  },
  {
    value: 512,
    key: 'AD_SIGNTICKET',
    name: 'AD-SIGNTICKET',
    summary: 'A deprecated MIT/Heimdal signature over the ticket; the PAC’s ticket checksum replaced it.',
    source: 'MIT krb5 krb5.h (deprecated)',
  },
] as const satisfies readonly RegistryEntry[];

/** The authorization-data type registry (RFC 4120 §7.5.4 and successors). */
export const adTypes = defineRegistry<RegistryEntry>('authorization-data type', adTypeTable);

/** `AdType.AD_IF_RELEVANT === 1`, `AdType.AD_WIN2K_PAC === 128`, … */
export const AdType = constantsOf(adTypeTable);
/** A known authorization-data type number. */
export type AdType = (typeof AdType)[keyof typeof AdType];

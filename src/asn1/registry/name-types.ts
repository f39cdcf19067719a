/**
 * Principal name types: the `name-type` of a PrincipalName (RFC 4120 §5.2.2). RFC 4120 names them in §6.2
 * (NT-PRINCIPAL) and tabulates them in §7.5.8 (KRB_NT_PRINCIPAL). Later additions: well-known names
 * (RFC 6111), domain-based names (RFC 5179), and Microsoft's negative values (Windows SDK `ntsecapi.h`,
 * `KRB_NT_*`; RFC 4120 §6.2 leaves negative numbers to local use).
 *
 * RFC 4120 §6.2: the name type is a hint; two names with the same strings but different types are meant
 * to be the same principal, which is why a KDC matches on the strings.
 */
import { constantsOf, defineRegistry, type RegistryEntry } from './table';

const nameTypeTable = [
  {
    value: 0,
    key: 'NT_UNKNOWN',
    name: 'NT-UNKNOWN',
    rfcName: 'KRB_NT_UNKNOWN',
    summary: 'The sender does not say what kind of name this is.',
    source: 'RFC 4120 §6.2, §7.5.8',
  },
  {
    value: 1,
    key: 'NT_PRINCIPAL',
    name: 'NT-PRINCIPAL',
    rfcName: 'KRB_NT_PRINCIPAL',
    summary: 'An ordinary name, usually a user: alice@EXAMPLE.TEST.',
    source: 'RFC 4120 §6.2, §7.5.8',
  },
  {
    value: 2,
    key: 'NT_SRV_INST',
    name: 'NT-SRV-INST',
    rfcName: 'KRB_NT_SRV_INST',
    summary:
      'A service with an instance that is not a host, above all krbtgt/REALM, the ticket-granting service.',
    source: 'RFC 4120 §6.2, §7.5.8',
  },
  {
    value: 3,
    key: 'NT_SRV_HST',
    name: 'NT-SRV-HST',
    rfcName: 'KRB_NT_SRV_HST',
    summary: 'A service on a host, service/hostname, such as cifs/fs1.example.test or HTTP/www.example.test.',
    source: 'RFC 4120 §6.2, §7.5.8',
  },
  {
    value: 4,
    key: 'NT_SRV_XHST',
    name: 'NT-SRV-XHST',
    rfcName: 'KRB_NT_SRV_XHST',
    summary: 'A service on a host whose remaining components name the host.',
    source: 'RFC 4120 §6.2, §7.5.8',
  },
  {
    value: 5,
    key: 'NT_UID',
    name: 'NT-UID',
    rfcName: 'KRB_NT_UID',
    summary: 'A unique identifier rather than a readable name.',
    source: 'RFC 4120 §6.2, §7.5.8',
  },
  {
    value: 6,
    key: 'NT_X500_PRINCIPAL',
    name: 'NT-X500-PRINCIPAL',
    rfcName: 'KRB_NT_X500_PRINCIPAL',
    summary: 'An X.500 distinguished name (RFC 2253 text), as met in PKINIT certificates.',
    source: 'RFC 4120 §6.2, §7.5.8',
  },
  {
    value: 7,
    key: 'NT_SMTP_NAME',
    name: 'NT-SMTP-NAME',
    rfcName: 'KRB_NT_SMTP_NAME',
    summary: 'A name written like an e-mail address.',
    source: 'RFC 4120 §6.2, §7.5.8',
  },
  {
    value: 10,
    key: 'NT_ENTERPRISE',
    name: 'NT-ENTERPRISE',
    rfcName: 'KRB_NT_ENTERPRISE',
    aliases: ['NT-ENTERPRISE-PRINCIPAL'],
    summary:
      'A whole user principal name such as alice@contoso.com as one component; the KDC maps it to the real account and realm.',
    source: 'RFC 4120 §6.2, §7.5.8, RFC 6806 §5',
  },
  {
    value: 11,
    key: 'NT_WELLKNOWN',
    name: 'NT-WELLKNOWN',
    summary: 'A name with a fixed meaning everywhere, such as WELLKNOWN/ANONYMOUS for anonymous PKINIT.',
    source: 'RFC 6111',
  },
  {
    value: 12,
    key: 'NT_SRV_HST_DOMAIN',
    name: 'NT-SRV-HST-DOMAIN',
    summary: 'A service on a host acting for a whole domain: service/host/domain.',
    source: 'RFC 5179',
  },
  {
    value: -128,
    key: 'NT_MS_PRINCIPAL',
    name: 'NT-MS-PRINCIPAL',
    summary: 'Microsoft: an old-style Windows name, DOMAIN\\user.',
    source: 'Windows SDK ntsecapi.h (KRB_NT_MS_PRINCIPAL)',
  },
  {
    value: -129,
    key: 'NT_MS_PRINCIPAL_AND_ID',
    name: 'NT-MS-PRINCIPAL-AND-ID',
    summary: 'Microsoft: an old-style Windows name together with the account’s SID.',
    source: 'Windows SDK ntsecapi.h (KRB_NT_MS_PRINCIPAL_AND_ID)',
  },
  {
    value: -130,
    key: 'NT_ENT_PRINCIPAL_AND_ID',
    name: 'NT-ENT-PRINCIPAL-AND-ID',
    summary: 'Microsoft: a user principal name (as NT-ENTERPRISE) together with the account’s SID.',
    source: 'Windows SDK ntsecapi.h (KRB_NT_ENT_PRINCIPAL_AND_ID)',
  },
  {
    value: -131,
    key: 'NT_PRINCIPAL_AND_ID',
    name: 'NT-PRINCIPAL-AND-ID',
    summary:
      'Microsoft: an ordinary principal name together with its SID; used inside Windows’ own interfaces.',
    source: 'Windows SDK ntsecapi.h (KRB_NT_PRINCIPAL_AND_ID)',
  },
  {
    value: -132,
    key: 'NT_SRV_INST_AND_ID',
    name: 'NT-SRV-INST-AND-ID',
    summary: 'Microsoft: a service name together with its SID; used inside Windows’ own interfaces.',
    source: 'Windows SDK ntsecapi.h (KRB_NT_SRV_INST_AND_ID)',
  },
  {
    value: -133,
    key: 'NT_MS_BRANCH_ID',
    name: 'NT-MS-BRANCH-ID',
    summary: 'Microsoft: a branch identifier, tied to read-only domain controllers; used inside Windows.',
    source: 'Windows SDK ntsecapi.h (KRB_NT_MS_BRANCH_ID)',
  },
] as const satisfies readonly RegistryEntry[];

/** The principal name-type registry (RFC 4120 §6.2). */
export const nameTypes = defineRegistry<RegistryEntry>('name type', nameTypeTable);

/** `NameType.NT_PRINCIPAL === 1`, `NameType.NT_ENTERPRISE === 10`, … */
export const NameType = constantsOf(nameTypeTable);
/** A known name-type number. */
export type NameType = (typeof NameType)[keyof typeof NameType];

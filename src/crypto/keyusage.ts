/**
 * Key usage numbers: every encryption and checksum in Kerberos is bound to the place it is used, so a
 * ciphertext made for one purpose cannot be replayed as another (RFC 4120 §7.5.1, RFC 4121 §2,
 * RFC 6113 §5.4, RFC 6806 §11, MS-KILE, MS-SFU).
 */

export interface KeyUsageInfo {
  readonly usage: number;
  /** The constant name used in code and in MIT krb5 (`KRB5_KEYUSAGE_…`), without the prefix. */
  readonly name: string;
  /** What RFC 4120 §7.5.1 (or the named spec) says the key usage protects. */
  readonly description: string;
  readonly source: string;
}

const R = 'RFC 4120 §7.5.1';
/** A number RFC 4120 §7.5.1 reserves, which MIT krb5 names (krb5.h) and nothing we play uses. */
const MIT_RESERVED = 'MIT krb5 krb5.h; RFC 4120 §7.5.1 reserves it';

export const KEY_USAGES: readonly KeyUsageInfo[] = [
  {
    usage: 1,
    name: 'AS_REQ_PA_ENC_TS',
    description: 'AS-REQ PA-ENC-TIMESTAMP padata timestamp, encrypted with the client key',
    source: R,
  },
  {
    usage: 2,
    name: 'KDC_REP_TICKET',
    description: 'AS-REP/TGS-REP Ticket (enc-part), encrypted with the service key',
    source: R,
  },
  {
    usage: 3,
    name: 'AS_REP_ENCPART',
    description: 'AS-REP encrypted part, encrypted with the client key',
    source: R,
  },
  {
    usage: 4,
    name: 'TGS_REQ_AD_SESSKEY',
    description: 'TGS-REQ KDC-REQ-BODY AuthorizationData, encrypted with the TGS session key',
    source: R,
  },
  {
    usage: 5,
    name: 'TGS_REQ_AD_SUBKEY',
    description: 'TGS-REQ KDC-REQ-BODY AuthorizationData, encrypted with the TGS authenticator subkey',
    source: R,
  },
  {
    usage: 6,
    name: 'TGS_REQ_AUTH_CKSUM',
    description:
      'TGS-REQ PA-TGS-REQ authenticator checksum over the request body, keyed with the TGS session key',
    source: R,
  },
  {
    usage: 7,
    name: 'TGS_REQ_AUTH',
    description: 'TGS-REQ PA-TGS-REQ Authenticator, encrypted with the TGS session key',
    source: R,
  },
  {
    usage: 8,
    name: 'TGS_REP_ENCPART_SESSKEY',
    description: 'TGS-REP encrypted part, encrypted with the TGS session key',
    source: R,
  },
  {
    usage: 9,
    name: 'TGS_REP_ENCPART_SUBKEY',
    description: 'TGS-REP encrypted part, encrypted with the TGS authenticator subkey',
    source: R,
  },
  {
    usage: 10,
    name: 'AP_REQ_AUTH_CKSUM',
    description: 'AP-REQ Authenticator checksum, keyed with the application session key',
    source: R,
  },
  {
    usage: 11,
    name: 'AP_REQ_AUTH',
    description:
      'AP-REQ Authenticator (including the application subkey), encrypted with the application session key',
    source: R,
  },
  {
    usage: 12,
    name: 'AP_REP_ENCPART',
    description: 'AP-REP encrypted part, encrypted with the application session key',
    source: R,
  },
  {
    usage: 13,
    name: 'KRB_PRIV_ENCPART',
    description: 'KRB-PRIV encrypted part, encrypted with a key chosen by the application',
    source: R,
  },
  {
    usage: 14,
    name: 'KRB_CRED_ENCPART',
    description: 'KRB-CRED encrypted part, encrypted with a key chosen by the application',
    source: R,
  },
  {
    usage: 15,
    name: 'KRB_SAFE_CKSUM',
    description: 'KRB-SAFE checksum, keyed with a key chosen by the application',
    source: R,
  },
  {
    usage: 16,
    name: 'APP_DATA_ENCRYPT',
    description: 'application data (MS-KILE: KERB_NON_KERB_SALT)',
    source: 'MS-KILE §3.1.5.9',
  },
  {
    usage: 17,
    name: 'APP_DATA_CKSUM',
    description:
      'application checksum (MS-KILE: KERB_NON_KERB_CKSUM_SALT; the PAC server and KDC signatures)',
    source: 'MS-PAC §2.8',
  },
  { usage: 18, name: 'KRB_ERROR_CKSUM', description: 'KRB-ERROR checksum', source: MIT_RESERVED },
  { usage: 19, name: 'AD_KDCISSUED_CKSUM', description: 'AD-KDCIssued checksum', source: R },
  { usage: 20, name: 'AD_MTE', description: 'mandatory ticket extensions', source: MIT_RESERVED },
  {
    usage: 21,
    name: 'AD_ITE',
    description: 'authorization data in ticket extensions',
    source: MIT_RESERVED,
  },
  {
    usage: 22,
    name: 'GSS_TOK_ACCEPTOR_SEAL',
    description: 'GSS-API per-message token sealed by the acceptor',
    source: 'RFC 4121 §2',
  },
  {
    usage: 23,
    name: 'GSS_TOK_ACCEPTOR_SIGN',
    description: 'GSS-API per-message token signed by the acceptor',
    source: 'RFC 4121 §2',
  },
  {
    usage: 24,
    name: 'GSS_TOK_INITIATOR_SEAL',
    description: 'GSS-API per-message token sealed by the initiator',
    source: 'RFC 4121 §2',
  },
  {
    usage: 25,
    name: 'GSS_TOK_INITIATOR_SIGN',
    description: 'GSS-API per-message token signed by the initiator',
    source: 'RFC 4121 §2',
  },
  {
    usage: 26,
    name: 'PA_S4U_X509_USER_REQUEST',
    description: 'PA-S4U-X509-USER checksum in a request',
    source: 'MS-SFU §2.2.2',
  },
  {
    usage: 27,
    name: 'PA_S4U_X509_USER_REPLY',
    description: 'PA-S4U-X509-USER checksum in a reply',
    source: 'MS-SFU §2.2.2',
  },
  {
    usage: 50,
    name: 'FAST_REQ_CHKSUM',
    description: 'FAST request checksum over the outer request, keyed with the armor key',
    source: 'RFC 6113 §5.4.2',
  },
  {
    usage: 41,
    name: 'FINISHED',
    description: 'KRB-FINISHED / IAKERB-FINISHED checksum over the exchange, keyed with the initiator subkey',
    source: 'draft-zhu-pku2u-09 §6; draft-ietf-kitten-iakerb-03 §4',
  },
  {
    usage: 42,
    name: 'IAKERB_FINISHED',
    description:
      'IAKERB-FINISHED checksum over the IAKERB tokens as MIT krb5 before 1.22 keys it, with the initiator subkey',
    source: 'MIT krb5 krb5.h (KRB5_KEYUSAGE_IAKERB_FINISHED)',
  },
  {
    usage: 51,
    name: 'FAST_ENC',
    description: 'FAST armored request (KrbFastReq), encrypted with the armor key',
    source: 'RFC 6113 §5.4.2',
  },
  {
    usage: 52,
    name: 'FAST_REP',
    description: 'FAST armored reply (KrbFastResponse), encrypted with the armor key',
    source: 'RFC 6113 §5.4.3',
  },
  {
    usage: 53,
    name: 'FAST_FINISHED',
    description: 'FAST finished checksum over the ticket, keyed with the armor key',
    source: 'RFC 6113 §5.4.3',
  },
  {
    usage: 54,
    name: 'ENC_CHALLENGE_CLIENT',
    description: 'PA-ENCRYPTED-CHALLENGE from the client (encrypted timestamp under the challenge key)',
    source: 'RFC 6113 §5.4.6',
  },
  {
    usage: 55,
    name: 'ENC_CHALLENGE_KDC',
    description: 'PA-ENCRYPTED-CHALLENGE from the KDC',
    source: 'RFC 6113 §5.4.6',
  },
  {
    usage: 56,
    name: 'AS_REQ',
    description:
      'PA-REQ-ENC-PA-REP checksum over the AS-REQ, keyed with the reply key: the reply answers this very request',
    source: 'RFC 6806 §11',
  },
];

const byUsage = new Map(KEY_USAGES.map((u) => [u.usage, u]));

export function findKeyUsage(usage: number): KeyUsageInfo | undefined {
  return byUsage.get(usage);
}

/** "3 (AS-REP encrypted part, encrypted with the client key)", for messages a learner reads. */
export function describeKeyUsage(usage: number): string {
  const u = byUsage.get(usage);
  if (!u) return String(usage);
  const short = u.description.split(',')[0]!;
  return `${usage} (${short})`;
}

/** Named constants, so code reads `KeyUsage.AS_REP_ENCPART` rather than `3`. */
export const KeyUsage = {
  AS_REQ_PA_ENC_TS: 1,
  KDC_REP_TICKET: 2,
  AS_REP_ENCPART: 3,
  TGS_REQ_AD_SESSKEY: 4,
  TGS_REQ_AD_SUBKEY: 5,
  TGS_REQ_AUTH_CKSUM: 6,
  TGS_REQ_AUTH: 7,
  TGS_REP_ENCPART_SESSKEY: 8,
  TGS_REP_ENCPART_SUBKEY: 9,
  AP_REQ_AUTH_CKSUM: 10,
  AP_REQ_AUTH: 11,
  AP_REP_ENCPART: 12,
  KRB_PRIV_ENCPART: 13,
  KRB_CRED_ENCPART: 14,
  KRB_SAFE_CKSUM: 15,
  APP_DATA_ENCRYPT: 16,
  APP_DATA_CKSUM: 17,
  KRB_ERROR_CKSUM: 18,
  AD_KDCISSUED_CKSUM: 19,
  AD_MTE: 20,
  AD_ITE: 21,
  GSS_TOK_ACCEPTOR_SEAL: 22,
  GSS_TOK_ACCEPTOR_SIGN: 23,
  GSS_TOK_INITIATOR_SEAL: 24,
  GSS_TOK_INITIATOR_SIGN: 25,
  PA_S4U_X509_USER_REQUEST: 26,
  PA_S4U_X509_USER_REPLY: 27,
  FINISHED: 41,
  IAKERB_FINISHED: 42,
  FAST_REQ_CHKSUM: 50,
  FAST_ENC: 51,
  FAST_REP: 52,
  FAST_FINISHED: 53,
  ENC_CHALLENGE_CLIENT: 54,
  ENC_CHALLENGE_KDC: 55,
  AS_REQ: 56,
} as const;

/**
 * rc4-hmac's usage numbers (RFC 4757 §3): Windows reuses 8 for both AS-REP and TGS-REP encrypted parts,
 * and 13 for the GSS acceptor-sign usage. The number is then sent into HMAC-MD5 as 4 bytes little-endian.
 */
export function rc4UsageOf(usage: number): number {
  switch (usage) {
    case 3:
      return 8;
    case 9:
      return 8;
    case 23:
      return 13;
    default:
      return usage;
  }
}

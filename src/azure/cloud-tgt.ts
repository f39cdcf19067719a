/**
 * The cloud TGT as Windows shows it (PROTOCOL-NOTES.md, "Windows client behaviour" and "Other facts users
 * meet"; docs/modelled.md, "cloud-tgt-flags" and "cloud-tgt-renewal"):
 *
 * - `klist` on a device that received it: krbtgt/KERBEROS.MICROSOFTONLINE.COM, Ticket Flags 0x40810000
 *   (forwardable renewable name_canonicalize) — not initial, not pre_authent, although no TGS exchange
 *   made it — 10 hours, renew-till 7 days on, an AES-256 session key. The cloud realm's KDC here makes it
 *   with an AS exchange inside Entra (entra.ts), which by RFC 4120 would set INITIAL; Entra, which holds
 *   that realm's krbtgt key, then seals the ticket with the observed flags. How Entra really issues it is
 *   not public: modelled, and said so in the trace.
 * - Entra does not renew it (Microsoft's Azure Files troubleshooting doc): the cloud realm's KDC refuses a
 *   renewal (modelled: the error code Entra returns is not documented; the playground answers
 *   KDC_ERR_BADOPTION, 13, the code a KDC gives for an option it does not grant), and Windows does not ask:
 *   about 10 hours after the sign-in, access through the cloud realm stops until the user signs out and
 *   in again, as Microsoft's guide says, or (modelled) an unlock brings a new one (the 10-hour cliff,
 *   `tgt-expiry-10h`).
 */
import { decodeEncTicketPart, decodeTicket, encodeEncTicketPart, encodeTicket } from '../asn1/ticket';
import { TicketFlag } from '../asn1/registry';
import { formatDuration } from '../asn1/time';
import type { CachedCredential } from '../client';
import { decrypt, encrypt, KeyUsage } from '../crypto';
import type { KdcAdmin, Narration, World } from '../world';

/** The name_canonicalize bit (bit 15), as Windows' klist names it (MS-KILE 2.2.4 has no name for it). */
const NAME_CANONICALIZE = 0x00010000;

/** Ticket Flags 0x40810000 -> forwardable renewable name_canonicalize (observed in klist). */
export const CLOUD_TGT_FLAGS = (TicketFlag.FORWARDABLE | TicketFlag.RENEWABLE | NAME_CANONICALIZE) >>> 0;

/** Why the cloud realm's KDC refuses a renewal: the words of its KRB-ERROR and narration. */
export const CLOUD_RENEWAL_REFUSED =
  'Entra ID does not renew cloud TGTs (modelled: the error Entra returns is not documented): after about 10 hours, access through the cloud realm stops until the user signs out and signs in again (or, modelled, an unlock brings a new PRT and cloud TGT)';

const hex8 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

/**
 * The cloud TGT `credential` made by the cloud KDC, sealed again by Entra with the flags Windows shows
 * (modelled), in the same krbtgt key; the credential's flags follow. Says so in `narration`.
 */
export function asObserved(
  world: World,
  kdc: KdcAdmin,
  credential: CachedCredential,
  narration: Narration[],
): CachedCredential {
  const realm = credential.server.realm;
  const ticket = decodeTicket(credential.ticket);
  const key = kdc.keyFor(`krbtgt/${realm}@${realm}`, realm, ticket.encPart);
  if (!key) return credential;
  const part = decodeEncTicketPart(decrypt(key, KeyUsage.KDC_REP_TICKET, ticket.encPart.cipher));
  // what the AS exchange gave: the flags of its reply (INITIAL, and enc-pa-rep for PA-REQ-ENC-PA-REP)
  const before = credential.flags;
  const flags = part.renewTill ? CLOUD_TGT_FLAGS : CLOUD_TGT_FLAGS & ~TicketFlag.RENEWABLE;
  const cipher = encrypt(key, KeyUsage.KDC_REP_TICKET, encodeEncTicketPart({ ...part, flags }), world.random);
  const sealed = encodeTicket({ ...ticket, encPart: { ...ticket.encPart, cipher } });
  narration.push({
    actor: 'Entra ID (modelled)',
    stage: 'prt',
    text:
      `modelled: the cloud TGT carries the flags Windows shows for it, ${hex8(flags)} (forwardable renewable name_canonicalize; ` +
      `the AS exchange gave ${hex8(before)}): Entra seals it again in krbtgt/${realm}'s key. ` +
      `It lasts ${formatDuration(credential.endtime - credential.starttime)}` +
      (credential.renewTill
        ? `, renewable until ${formatDuration(credential.renewTill - credential.starttime)} after it starts, yet Entra refuses to renew it`
        : ''),
    ok: true,
  });
  return { ...credential, flags: flags >>> 0, ticket: sealed };
}

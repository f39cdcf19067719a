/**
 * The checks every receiver of an AP-REQ makes (RFC 4120 §3.2.3) — the KDC on the TGT and authenticator
 * in PA-TGS-REQ, a service on its ticket — written once: open the authenticator, match its client to the
 * ticket's, bound the clock skew, and refuse tickets that have expired or are not valid yet.
 */
import { decodeAuthenticator, type Authenticator, type EncTicketPart } from '../asn1';
import { ErrorCode, TicketFlag } from '../asn1/registry';
import { decrypt, IntegrityError, UnsupportedEnctypeError, type Key } from '../crypto';
import type { Narrator } from './events';
import { formatPrincipal, sameName } from './principal';
import { KerberosRefusal } from './refusal';
import { formatDuration, isoSeconds, millisOf } from './time';

/** Decrypts and decodes an Authenticator; any failure is KRB_AP_ERR_BAD_INTEGRITY, naming the key. */
export function openAuthenticator(
  sessionKey: Key,
  usage: number,
  cipher: Uint8Array,
  keyName: string,
): Authenticator {
  try {
    return decodeAuthenticator(decrypt(sessionKey, usage, cipher));
  } catch (e) {
    if (e instanceof IntegrityError || e instanceof UnsupportedEnctypeError) {
      throw new KerberosRefusal(
        ErrorCode.KRB_AP_ERR_BAD_INTEGRITY,
        `the authenticator does not decrypt with ${keyName}`,
      );
    }
    throw new KerberosRefusal(
      ErrorCode.KRB_AP_ERR_BAD_INTEGRITY,
      `the decrypted authenticator is not an Authenticator: ${(e as Error).message}`,
    );
  }
}

/** The authenticator must be the ticket holder's (KRB_AP_ERR_BADMATCH otherwise). */
export function checkAuthenticatorClient(auth: Authenticator, ticket: EncTicketPart): void {
  if (auth.crealm !== ticket.crealm || !sameName(auth.cname, ticket.cname)) {
    throw new KerberosRefusal(
      ErrorCode.KRB_AP_ERR_BADMATCH,
      `the authenticator names ${formatPrincipal({ realm: auth.crealm, name: auth.cname })}, the ticket ${formatPrincipal({ realm: ticket.crealm, name: ticket.cname })}`,
    );
  }
}

/**
 * The authenticator's time must be within `maxSkew` of the receiver's clock (RFC 4120 §1.6), else
 * KRB_AP_ERR_SKEW. Returns the authenticator's time in ms. `clockName` says whose clock: "the KDC's".
 */
export function checkClockSkew(
  auth: Authenticator,
  now: number,
  maxSkew: number,
  clockName: string,
  say: Narrator,
): number {
  const ctime = millisOf(auth.ctime, auth.cusec);
  const offset = ctime - now;
  const apart = formatDuration(Math.abs(offset));
  if (Math.abs(offset) > maxSkew) {
    say.say(
      'authenticator',
      `the authenticator's time is ${apart} ${offset > 0 ? 'ahead of' : 'behind'} ${clockName} clock; at most ${formatDuration(maxSkew)} is allowed`,
      false,
    );
    throw new KerberosRefusal(
      ErrorCode.KRB_AP_ERR_SKEW,
      `clock skew too great: the authenticator says ${isoSeconds(auth.ctime)}, ${clockName} clock ${isoSeconds(now)} (${apart} apart, at most ${formatDuration(maxSkew)})`,
    );
  }
  say.say(
    'authenticator',
    `decrypted the authenticator; its time is ${apart} from ${clockName} clock, within ${formatDuration(maxSkew)}`,
  );
  return ctime;
}

/**
 * RFC 4120 §3.2.3: an expired ticket is KRB_AP_ERR_TKT_EXPIRED (MIT allows the clock skew past the end,
 * and so do we); one whose start is still ahead, or marked INVALID, is KRB_AP_ERR_TKT_NYV.
 */
export function checkTicketTimes(
  ticket: EncTicketPart,
  now: number,
  maxSkew: number,
  say: Narrator,
  options: { what?: string; afterExpiry?: string; validating?: boolean } = {},
): void {
  const what = options.what ?? 'ticket';
  if (ticket.endtime.getTime() + maxSkew < now) {
    const ago = formatDuration(now - ticket.endtime.getTime());
    say.say('ticket', `the ${what} expired at ${isoSeconds(ticket.endtime)}, ${ago} ago`, false);
    throw new KerberosRefusal(
      ErrorCode.KRB_AP_ERR_TKT_EXPIRED,
      `ticket expired ${ago} ago, at ${isoSeconds(ticket.endtime)}${options.afterExpiry ? `: ${options.afterExpiry}` : ''}`,
    );
  }
  if (options.validating) return;
  const start = (ticket.starttime ?? ticket.authtime).getTime();
  if (ticket.flags & TicketFlag.INVALID) {
    throw new KerberosRefusal(
      ErrorCode.KRB_AP_ERR_TKT_NYV,
      `the ${what} is marked invalid (postdated): validate it first`,
    );
  }
  if (start - maxSkew > now) {
    throw new KerberosRefusal(
      ErrorCode.KRB_AP_ERR_TKT_NYV,
      `the ${what} is not valid until ${isoSeconds(start)}`,
    );
  }
}

/** "replay: alice@R already sent an authenticator with time 2026-…Z.123456" (KRB_AP_ERR_REPEAT). */
export function replayRefusal(client: string, auth: Authenticator): KerberosRefusal {
  return new KerberosRefusal(
    ErrorCode.KRB_AP_ERR_REPEAT,
    `replay: ${client} already sent an authenticator with time ${isoSeconds(auth.ctime)}.${String(auth.cusec).padStart(6, '0')}`,
  );
}

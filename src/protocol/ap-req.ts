/**
 * Accepting an AP-REQ (RFC 4120 §3.2.3), written once for every receiver: the KDC for the TGT and
 * authenticator in PA-TGS-REQ, a service for the ticket in its AP-REQ. The counterpart of MIT's
 * krb5_rd_req_decoded: the receiver says which key opens the ticket (its keytab, or the KDC's database)
 * and in which words to narrate; `acceptApReq` runs the stages in RFC order and throws a refusal at the
 * first that fails:
 *
 *   ticket key → open the ticket → open the authenticator → same client → clock skew → ticket times → replay
 *
 * What only one receiver checks comes after, in its own code: the KDC the checksum over the request body
 * (RFC 4120 §3.3.2), a service the PAC's server signature and the AP-REP.
 */
import {
  decodeAuthenticator,
  decodeEncTicketPart,
  type ApReq,
  type Authenticator,
  type EncTicketPart,
  type Ticket,
} from '../asn1';
import { ErrorCode, TicketFlag } from '../asn1/registry';
import { decrypt, IntegrityError, KeyUsage, UnsupportedEnctypeError, type Key } from '../crypto';
import type { Narrator } from './events';
import { formatPrincipal, sameName } from '../asn1/principal';
import { KerberosRefusal } from './refusal';
import { rememberAuthenticator, seenAuthenticator, type ReplayHolder } from './replay';
import { formatDuration, isoSeconds, millisOf } from '../asn1/time';

/** A long-term key of the receiver: the one the ticket's enc-part names (etype, kvno). */
export interface ReceiverKey extends Key {
  kvno: number;
}

/** The ticket-time checks' options: what the ticket is called, what to do after it expired, validation. */
export interface TicketTimeOptions {
  what?: string;
  afterExpiry?: string;
  /** A TGS-REQ with VALIDATE presents an INVALID (postdated) ticket on purpose. */
  validating?: boolean;
}

/** Who receives the AP-REQ: what it checks against, and the words its narration and errors use. */
export interface ApReqReceiver {
  /**
   * Is the ticket for this receiver, and which of its keys opens it: the key, or a refusal
   * (KRB_AP_ERR_NOT_US, KRB_AP_ERR_NOKEY, KRB_AP_ERR_BADKEYVER, …).
   */
  ticketKey(ticket: Ticket): ReceiverKey;
  /** Decrypts and decodes the ticket with `open`; a KDC may remember the opened TGT instead. */
  openTicket?(key: ReceiverKey, ticket: Ticket, open: () => EncTicketPart): EncTicketPart;
  /** The key usage the authenticator is encrypted with: 7 in PA-TGS-REQ, 11 in an AP-REQ. */
  authenticatorUsage: number;
  /** The largest clock difference tolerated, ms (RFC 4120 §1.6). */
  maxSkew: number;
  /** The receiver's clock, ms. */
  now: number;
  times: TicketTimeOptions;
  replay: {
    cache: ReplayHolder;
    /** What identifies this authenticator in the cache. */
    id(client: string, auth: Authenticator, ticket: Ticket): string;
    /** The narration when it was seen before. */
    seen: string;
  };
  words: {
    /** Whose clock: "the KDC's". */
    clock: string;
    /** The session key, as the authenticator's error names it: "the TGT session key". */
    sessionKey: string;
    /** What the ticket is: "ticket-granting ticket". */
    ticket: string;
    /** The ticket does not decrypt with `key`: the refusal's text, and a narration before it if any. */
    wrongKey(key: ReceiverKey, ticket: Ticket): { say?: string; refuse: string };
    /** The narration once the ticket is open. */
    opened(client: string, key: ReceiverKey, ticket: Ticket): string;
  };
}

/** What an accepted AP-REQ gives the receiver (MIT: the decrypted ticket and authenticator). */
export interface AcceptedApReq {
  ticket: EncTicketPart;
  authenticator: Authenticator;
  /** The ticket's session key. */
  sessionKey: Key;
  /** The receiver's key the ticket was encrypted in. */
  ticketKey: ReceiverKey;
  /** The ticket's client, "alice@REALM". */
  client: string;
}

/** RFC 4120 §3.2.3, every stage in order; throws a KerberosRefusal at the first that fails. */
export function acceptApReq(apReq: ApReq, rx: ApReqReceiver, say: Narrator): AcceptedApReq {
  const ticketKey = rx.ticketKey(apReq.ticket);
  const ticket = openTicket(apReq.ticket, ticketKey, rx, say);
  const client = formatPrincipal({ realm: ticket.crealm, name: ticket.cname });
  say.say('ticket', rx.words.opened(client, ticketKey, apReq.ticket));
  const sessionKey: Key = { etype: ticket.key.keytype, bytes: ticket.key.keyvalue };
  const authenticator = openAuthenticator(
    sessionKey,
    rx.authenticatorUsage,
    apReq.authenticator.cipher,
    rx.words.sessionKey,
  );
  checkAuthenticatorClient(authenticator, ticket);
  const ctime = checkClockSkew(authenticator, rx.now, rx.maxSkew, rx.words.clock, say);
  checkTicketTimes(ticket, rx.now, rx.maxSkew, say, rx.times);
  const replayId = rx.replay.id(client, authenticator, apReq.ticket);
  if (seenAuthenticator(rx.replay.cache, replayId)) {
    say.say('replay', rx.replay.seen, false);
    throw replayRefusal(client, authenticator);
  }
  rememberAuthenticator(rx.replay.cache, { id: replayId, expires: ctime + rx.maxSkew });
  return { ticket, authenticator, sessionKey, ticketKey, client };
}

/** Decrypts the ticket in the receiver's key (key usage 2) and decodes it; any failure is BAD_INTEGRITY. */
function openTicket(ticket: Ticket, key: ReceiverKey, rx: ApReqReceiver, say: Narrator): EncTicketPart {
  const open = () => decodeEncTicketPart(decrypt(key, KeyUsage.KDC_REP_TICKET, ticket.encPart.cipher));
  try {
    return rx.openTicket ? rx.openTicket(key, ticket, open) : open();
  } catch (e) {
    if (e instanceof IntegrityError) {
      const wrong = rx.words.wrongKey(key, ticket);
      if (wrong.say) say.say('ticket', wrong.say, false);
      throw new KerberosRefusal(ErrorCode.KRB_AP_ERR_BAD_INTEGRITY, wrong.refuse);
    }
    throw new KerberosRefusal(
      ErrorCode.KRB_AP_ERR_BAD_INTEGRITY,
      `the decrypted ${rx.words.ticket} is not an EncTicketPart: ${(e as Error).message}`,
    );
  }
}

/** Decrypts and decodes an Authenticator; any failure is KRB_AP_ERR_BAD_INTEGRITY, naming the key. */
function openAuthenticator(
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
function checkAuthenticatorClient(auth: Authenticator, ticket: EncTicketPart): void {
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
function checkClockSkew(
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
function checkTicketTimes(
  ticket: EncTicketPart,
  now: number,
  maxSkew: number,
  say: Narrator,
  options: TicketTimeOptions,
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
function replayRefusal(client: string, auth: Authenticator): KerberosRefusal {
  return new KerberosRefusal(
    ErrorCode.KRB_AP_ERR_REPEAT,
    `replay: ${client} already sent an authenticator with time ${isoSeconds(auth.ctime)}.${String(auth.cusec).padStart(6, '0')}`,
  );
}

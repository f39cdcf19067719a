/**
 * What AS and TGS share once they have decided to say yes: one step that issues the ticket (`issueTicket`:
 * the session-key enctype, the times, the flags, the session key, the authorization data, the
 * EncTicketPart encrypted in the server's key, RFC 4120 §5.3), the reply's encrypted part that describes
 * it to the client (`encKdcRepPart`, §5.4.2), and naming keys for narration.
 */
import {
  encodeEncTicketPart,
  type AuthorizationData,
  type EncKdcRepPart,
  type EncTicketPart,
  type HostAddress,
  type PaData,
  type PrincipalName,
  type Ticket,
} from '../asn1';
import { ErrorCode } from '../asn1/registry';
import { encrypt, etypeName, KeyUsage, randomKey, type Key, type RandomSource } from '../crypto';
import { formatPrincipal } from '../asn1/principal';
import { formatDuration, isoSeconds } from '../asn1/time';
import type { KeyEntry, PrincipalEntry, RealmState } from './database';
import type { Narrator } from './events';
import { pickKey } from './lookup';
import { KdcRefusal } from './refusal';
import type { RequestScope } from './scope';
import { auditRc4Phase, enforceRc4Phase, implicitEtypes } from './rc4-phase';
import { computeTicketTimes, type TicketTimes, type TimeLimits } from './times';
import { keyOf } from '../protocol/long-term-key';

export const etypeList = (etypes: readonly number[]) => etypes.map(etypeName).join(', ') || 'none';

/**
 * The enctypes the KDC may use for `server`: the realm's, narrowed by the account's supported enctypes,
 * or without them by the DC's DefaultDomainSupportedEncTypes, or at `now` by the RC4 phase-out
 * (rc4-phase.ts: AES-only once enforced).
 */
export function serverEtypes(server: PrincipalEntry, db: RealmState, now?: number): number[] {
  const own = server.supportedEtypes ?? implicitEtypes(server, db, now);
  return own ? db.policy.etypes.filter((e) => own.includes(e)) : db.policy.etypes;
}

/**
 * The session key's enctype (RFC 4120 §3.1.3): the first enctype in the client's list that the realm
 * permits and the server has a key for — the server must be able to use the key it finds in its ticket.
 */
export function chooseSessionEtype(
  requested: readonly number[],
  db: RealmState,
  server: PrincipalEntry,
  say: Narrator,
  now?: number,
): number {
  const allowed = serverEtypes(server, db, now);
  const etype = requested.find((e) => allowed.includes(e) && server.keys.some((k) => k.etype === e));
  if (etype === undefined) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_ETYPE_NOSUPP,
      `no enctype works for the session key: the client offers ${etypeList(requested)}; the realm and the account permit ` +
        `${etypeList(allowed)}; ${formatPrincipal(server)} has keys for ${etypeList(server.keys.map((k) => k.etype))}`,
    );
  }
  say.say(
    'etype',
    `chose ${etypeName(etype)} for the session key: the first enctype in the client's list (${etypeList(requested)}) ` +
      `that the realm permits and ${formatPrincipal(server)} has a key for`,
  );
  return etype;
}

/** The key the ticket is encrypted in: the server's newest key of the realm's preferred enctype. */
export function ticketKeyOf(server: PrincipalEntry, db: RealmState, now?: number): KeyEntry {
  const k =
    pickKey(server, serverEtypes(server, db, now)) ??
    pickKey(
      server,
      server.keys.map((x) => x.etype),
    );
  if (!k) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_ETYPE_NOSUPP,
      `${formatPrincipal(server)} has no key to encrypt a ticket with`,
    );
  }
  return k;
}

export const asKey = (k: KeyEntry): Key => ({ etype: k.etype, bytes: keyOf(k) });

/** A fresh session key from the random source handed in. */
export function newSessionKey(etype: number, random: RandomSource): Key {
  return randomKey(etype, random);
}

/** Encrypts the EncTicketPart in the server's key (key usage 2) and wraps it in a Ticket. */
export function sealTicket(
  part: EncTicketPart,
  realm: string,
  sname: PrincipalName,
  serverKey: KeyEntry,
  random: RandomSource,
): Ticket {
  const cipher = encrypt(asKey(serverKey), KeyUsage.KDC_REP_TICKET, encodeEncTicketPart(part), random);
  return { tktVno: 5, realm, sname, encPart: { etype: serverKey.etype, kvno: serverKey.kvno, cipher } };
}

/** What a new ticket is to say; AS and TGS each fill it from what they checked. */
export interface TicketOrder {
  /** The principal whose key the ticket is encrypted in, and the name the ticket carries. */
  server: PrincipalEntry;
  sname: PrincipalName;
  client: { realm: string; name: PrincipalName };
  authtime: Date;
  /** TransitedEncoding contents (RFC 4120 §3.3.3.2): empty for a ticket from the client's own realm. */
  transited: Uint8Array;
  caddr?: HostAddress[];
  /** The limits on the ticket's times (times.ts); `now` and the skew come from the request and the realm. */
  limits: Omit<TimeLimits, 'now' | 'maxSkew'>;
  /** The flags besides those the times imply (RENEWABLE, POSTDATED, INVALID). */
  flags: number;
  /** Said after the times, before the authorization data: why a flag was set. */
  notes?: string[];
  /** The authorization data (the PAC) for a ticket encrypted in `ticketKey`. */
  authorizationData(ticketKey: KeyEntry): AuthorizationData | undefined;
  /** The narration once the ticket is sealed. */
  issued(ticketKey: KeyEntry): string;
}

export interface IssuedTicket {
  ticket: Ticket;
  /** What was sealed in it: the reply describes the same key, times and flags. */
  part: EncTicketPart;
}

/**
 * The one step that makes a ticket, for AS (RFC 4120 §3.1.3) and TGS (§3.3.3) alike: the session-key
 * enctype, the times (narrated with what capped them), the flags, a fresh session key, the authorization
 * data, and the EncTicketPart sealed in the server's key.
 */
export function issueTicket(scope: RequestScope, db: RealmState, order: TicketOrder): IssuedTicket {
  const { req, ctx, say } = scope;
  enforceRc4Phase(req.reqBody.etype, order.server, db, ctx.now, say);
  const sessionEtype = chooseSessionEtype(req.reqBody.etype, db, order.server, say, ctx.now);
  const ticketKey = ticketKeyOf(order.server, db, ctx.now);
  auditRc4Phase(order.server, db, ctx.now, { sessionEtype, ticketKey }, say);
  const times = computeTicketTimes(req.reqBody, {
    ...order.limits,
    now: ctx.now,
    maxSkew: db.policy.maxSkew,
  });
  sayTimes(say, times);
  for (const note of order.notes ?? []) say.say('policy', note);
  const session = newSessionKey(sessionEtype, ctx.random);
  const authorizationData = order.authorizationData(ticketKey);
  const part: EncTicketPart = {
    flags: order.flags | times.flags,
    key: { keytype: session.etype, keyvalue: session.bytes },
    crealm: order.client.realm,
    cname: order.client.name,
    transited: { trType: 1, contents: order.transited },
    authtime: order.authtime,
    starttime: times.starttime,
    endtime: times.endtime,
    ...(times.renewTill ? { renewTill: times.renewTill } : {}),
    ...(order.caddr ? { caddr: order.caddr } : {}),
    ...(authorizationData ? { authorizationData } : {}),
  };
  const ticket = sealTicket(part, db.name, order.sname, ticketKey, ctx.random);
  say.say('ticket', order.issued(ticketKey));
  return { ticket, part };
}

function sayTimes(say: Narrator, times: TicketTimes): void {
  say.say(
    'policy',
    `the ticket is valid from ${isoSeconds(times.starttime)} until ${isoSeconds(times.endtime)} ` +
      `(${formatDuration(times.endtime.getTime() - times.starttime.getTime())}, capped by ${times.why})` +
      (times.renewTill ? `, renewable until ${isoSeconds(times.renewTill)}` : ''),
  );
}

/**
 * The reply's encrypted part (EncKDCRepPart, RFC 4120 §5.4.2): the session key and what the ticket says
 * of its times, flags and addresses, for the client that cannot read the ticket itself.
 */
export function encKdcRepPart(
  part: EncTicketPart,
  reply: {
    nonce: number;
    srealm: string;
    sname: PrincipalName;
    /** The reply's flags when they differ from the ticket's (AS: ENC-PA-REP, RFC 6806 §11). */
    flags?: number;
    encryptedPaData?: PaData[];
  },
): EncKdcRepPart {
  return {
    key: part.key,
    lastReq: [{ lrType: 0, lrValue: part.authtime }],
    nonce: reply.nonce,
    flags: reply.flags ?? part.flags,
    authtime: part.authtime,
    ...(part.starttime ? { starttime: part.starttime } : {}),
    endtime: part.endtime,
    ...(part.renewTill ? { renewTill: part.renewTill } : {}),
    srealm: reply.srealm,
    sname: reply.sname,
    ...(part.caddr ? { caddr: part.caddr } : {}),
    ...(reply.encryptedPaData?.length ? { encryptedPaData: reply.encryptedPaData } : {}),
  };
}

/**
 * What AS and TGS share once they have decided to say yes: choosing the session-key enctype, making the
 * ticket (EncTicketPart encrypted in the server's key, RFC 4120 §5.3) and describing keys for narration.
 */
import { encodeEncTicketPart, type EncTicketPart, type PrincipalName, type Ticket } from '../asn1';
import { ErrorCode } from '../asn1/registry';
import { encrypt, findEnctype, KeyUsage, randomKey, type Key, type RandomSource } from '../crypto';
import { formatPrincipal } from '../protocol/principal';
import type { KeyEntry, PrincipalEntry, RealmState } from './database';
import type { Narrator } from './events';
import { pickKey } from './lookup';
import { KdcRefusal } from './refusal';

export const etypeName = (etype: number) => findEnctype(etype)?.name ?? `enctype ${etype}`;
export const etypeList = (etypes: readonly number[]) => etypes.map(etypeName).join(', ') || 'none';

/**
 * The session key's enctype (RFC 4120 §3.1.3): the first enctype in the client's list that the realm
 * permits and the server has a key for — the server must be able to use the key it finds in its ticket.
 */
export function chooseSessionEtype(
  requested: readonly number[],
  db: RealmState,
  server: PrincipalEntry,
  say: Narrator,
): number {
  const etype = requested.find((e) => db.policy.etypes.includes(e) && server.keys.some((k) => k.etype === e));
  if (etype === undefined) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_ETYPE_NOSUPP,
      `no enctype works for the session key: the client offers ${etypeList(requested)}; the realm permits ` +
        `${etypeList(db.policy.etypes)}; ${formatPrincipal(server)} has keys for ${etypeList(server.keys.map((k) => k.etype))}`,
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
export function ticketKeyOf(server: PrincipalEntry, db: RealmState): KeyEntry {
  const k =
    pickKey(server, db.policy.etypes) ??
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

export const asKey = (k: KeyEntry): Key => ({ etype: k.etype, bytes: k.key });

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

/**
 * KRB-CRED (RFC 4120 §5.8) as a file: the `.kirbi` of mimikatz and Rubeus, and what a client sends to
 * forward its credentials. A KRB-CRED carries tickets in the clear and their session keys in EncKrbCredPart,
 * which tools writing `.kirbi` files leave unencrypted (etype 0, RFC 4120 §5.8.1: "the encrypted part may
 * be encrypted in a null key"); a forwarded credential on the wire is encrypted in a session key (usage 14).
 *
 * Converting to and from MIT ccache credentials lets a learner carry a ticket from one tool to the other.
 */
import {
  decodeEncKrbCredPart,
  decodeKrbCred,
  decodeTicket,
  encodeEncKrbCredPart,
  encodeKrbCred,
  encodeTicket,
  type EncKrbCredPart,
  type KrbCredInfo,
  type Ticket,
} from '../asn1';
import { decrypt, encrypt, KeyUsage, type Key, type RandomSource } from '../crypto';
import { KrbPlayError } from '../util/errors';
import type { CcacheCredential } from './ccache';
import { FormatError } from './errors';

export interface KirbiCredential {
  ticket: Ticket;
  /** The ticket exactly as it appears in the file. */
  ticketBytes: Uint8Array;
  info: KrbCredInfo;
}

export interface Kirbi {
  credentials: KirbiCredential[];
  /** Whether the EncKrbCredPart was encrypted (it needs a key), or plain (etype 0). */
  encrypted: boolean;
  part: EncKrbCredPart;
}

/**
 * Reads a KRB-CRED. With etype 0 the EncKrbCredPart is read directly; otherwise `key` must open it
 * (key usage 14).
 */
export function decodeKirbi(bytes: Uint8Array, key?: Key): Kirbi {
  let cred;
  try {
    cred = decodeKrbCred(bytes);
  } catch (e) {
    throw new FormatError('kirbi', `not a KRB-CRED: ${(e as Error).message}`, 0);
  }
  const encrypted = cred.encPart.etype !== 0;
  let plain = cred.encPart.cipher;
  if (encrypted) {
    if (!key) {
      throw new FormatError(
        'kirbi',
        `the credential's keys are encrypted with enctype ${cred.encPart.etype}: a key is needed to read them`,
        0,
      );
    }
    try {
      plain = decrypt(key, KeyUsage.KRB_CRED_ENCPART, cred.encPart.cipher);
    } catch (e) {
      throw new FormatError('kirbi', e instanceof KrbPlayError ? e.message : String(e), 0);
    }
  }
  let part: EncKrbCredPart;
  try {
    part = decodeEncKrbCredPart(plain);
  } catch (e) {
    throw new FormatError('kirbi', `the EncKrbCredPart does not decode: ${(e as Error).message}`, 0);
  }
  if (part.ticketInfo.length !== cred.tickets.length) {
    throw new FormatError(
      'kirbi',
      `${cred.tickets.length} tickets but ${part.ticketInfo.length} KrbCredInfo entries: each ticket needs its key`,
      0,
    );
  }
  return {
    encrypted,
    part,
    credentials: cred.tickets.map((ticket, i) => ({
      ticket,
      ticketBytes: encodeTicket(ticket),
      info: part.ticketInfo[i]!,
    })),
  };
}

/**
 * Writes a KRB-CRED. Without `key`, the EncKrbCredPart is left in the clear (etype 0), as `.kirbi` files are;
 * with one, it is encrypted in it (key usage 14) and `random` supplies the confounder.
 */
export function encodeKirbi(
  credentials: readonly { ticket: Ticket; info: KrbCredInfo }[],
  options: { key?: Key; random?: RandomSource } = {},
): Uint8Array {
  const part = encodeEncKrbCredPart({ ticketInfo: credentials.map((c) => c.info) });
  let encPart;
  if (options.key) {
    if (!options.random)
      throw new FormatError('kirbi', 'encrypting a KRB-CRED needs a random source for the confounder', 0);
    encPart = {
      etype: options.key.etype,
      cipher: encrypt(options.key, KeyUsage.KRB_CRED_ENCPART, part, options.random),
    };
  } else {
    encPart = { etype: 0, cipher: part };
  }
  return encodeKrbCred({ pvno: 5, msgType: 22, tickets: credentials.map((c) => c.ticket), encPart });
}

const seconds = (d: Date | undefined) => (d ? Math.floor(d.getTime() / 1000) : 0);
const date = (s: number) => (s === 0 ? undefined : new Date(s * 1000));

/** A ccache credential as a KRB-CRED entry (ticket + KrbCredInfo). */
export function ccacheCredentialToKirbi(c: CcacheCredential): { ticket: Ticket; info: KrbCredInfo } {
  let ticket: Ticket;
  try {
    ticket = decodeTicket(c.ticket);
  } catch (e) {
    throw new FormatError(
      'kirbi',
      `the ccache ticket for ${c.server.name.nameString.join('/')} does not decode: ${(e as Error).message}`,
      0,
    );
  }
  const info: KrbCredInfo = {
    key: { keytype: c.key.etype, keyvalue: c.key.bytes },
    prealm: c.client.realm,
    pname: { nameType: c.client.name.nameType, nameString: [...c.client.name.nameString] },
    flags: c.ticketFlags,
    srealm: c.server.realm,
    sname: { nameType: c.server.name.nameType, nameString: [...c.server.name.nameString] },
  };
  const at = (n: number) => date(n);
  if (at(c.authtime)) info.authtime = at(c.authtime)!;
  if (at(c.starttime)) info.starttime = at(c.starttime)!;
  if (at(c.endtime)) info.endtime = at(c.endtime)!;
  if (at(c.renewTill)) info.renewTill = at(c.renewTill)!;
  return { ticket, info };
}

/** A KRB-CRED entry as a ccache credential. Fields the KrbCredInfo leaves out are taken from the ticket. */
export function kirbiCredentialToCcache(k: KirbiCredential): CcacheCredential {
  const { info, ticket } = k;
  if (!info.pname || !info.prealm) {
    throw new FormatError('kirbi', 'the KrbCredInfo names no client (pname/prealm): a ccache needs one', 0);
  }
  return {
    client: {
      realm: info.prealm,
      name: { nameType: info.pname.nameType, nameString: [...info.pname.nameString] },
    },
    server: {
      realm: info.srealm ?? ticket.realm,
      name: {
        nameType: (info.sname ?? ticket.sname).nameType,
        nameString: [...(info.sname ?? ticket.sname).nameString],
      },
    },
    key: { etype: info.key.keytype, bytes: info.key.keyvalue },
    authtime: seconds(info.authtime ?? info.starttime),
    starttime: seconds(info.starttime),
    endtime: seconds(info.endtime),
    renewTill: seconds(info.renewTill),
    isSkey: false,
    ticketFlags: info.flags ?? 0,
    addresses: [],
    authData: [],
    ticket: k.ticketBytes,
    secondTicket: new Uint8Array(0),
  };
}

/**
 * Tampering with a message in flight (a KDC request, reply or KRB-ERROR, an AP-REQ), in two kinds kept apart:
 *
 * - on the wire: an attacker between the client and the KDC, holding no key, changes the bytes — one byte
 *   set to a new value, or a field of the clear request body rewritten (the message re-encoded, nothing
 *   re-sealed). The KDC then refuses it for real: a byte of the TGT's enc-part fails its integrity check, a
 *   changed req-body no longer matches the authenticator's checksum. A reply can have a byte set: the client
 *   finds its enc-part no longer decrypts (RFC 4120 §3.1.5), or keeps a ticket it cannot read and the
 *   service (or the KDC, for a TGT) refuses it. A KRB-ERROR is signed by nothing: the client acts on the
 *   error it reads. So can the AP-REQ a client shows a service: the service finds the ticket or the
 *   authenticator no longer decrypts.
 * - "what if": a field inside the TGT's encrypted part is changed and the part sealed again with the key
 *   it was sealed in (the krbtgt key, which the KDC that issued the TGT holds) — not an attack, a question:
 *   what would have happened had the KDC issued the ticket that way.
 *
 * A tamper waits in the world's network state (plain data, so it is in every snapshot) until the message
 * it names leaves its host; it then changes that one message and is gone. This module holds no world: the
 * round trip (world.ts) hands it the bytes, the keys of the receiving KDC and the random source.
 */
import { parseDuration } from '../asn1/time';
import { decodeApReq, encodeApReq } from '../asn1/ap';
import { decodeAsReq, decodeTgsReq, encodeAsReq, encodeTgsReq, type KdcReq } from '../asn1/kdc';
import { decodeEncTicketPart, encodeEncTicketPart, type EncTicketPart, type Ticket } from '../asn1/ticket';
import { DecodeError } from '../asn1/errors';
import { decrypt, encrypt, IntegrityError, KeyUsage, type Key, type RandomSource } from '../crypto';
import type { Narration } from './trace';

/**
 * The messages a tamper can name: the KDC's requests and replies, and the AP-REQ a client shows a service
 * (the first byte of each: its DER application tag; an AP-REQ in a GSS-API token is named, not found).
 */
export const TAMPER_MESSAGES = {
  'AS-REQ': 0x6a,
  'TGS-REQ': 0x6c,
  'AS-REP': 0x6b,
  'TGS-REP': 0x6d,
  'AP-REQ': 0x6e,
  'KRB-ERROR': 0x7e,
} as const;
export type TamperMessage = keyof typeof TAMPER_MESSAGES;
/**
 * The messages only ever changed a byte at a time: a KDC's replies (sent by the KDC's host; none of their
 * fields is one the client would take rewritten), its KRB-ERRORs (nothing protects one, RFC 4120 §5.9.1:
 * the client believes the error it reads), and an AP-REQ (its ticket and authenticator are sealed).
 */
export const BYTE_TAMPERS: readonly TamperMessage[] = ['AS-REP', 'TGS-REP', 'KRB-ERROR', 'AP-REQ'];

/** Fields of the clear request body an attacker may rewrite: nothing there is sealed. */
export const WIRE_FIELDS = ['req-body.nonce', 'req-body.till', 'req-body.sname'] as const;
export type WireField = (typeof WIRE_FIELDS)[number];

/** Fields of the TGT's encrypted part a "what if" may change (then sealed again with the krbtgt key). */
export const SEALED_FIELDS = ['ticket.endtime', 'ticket.renew-till'] as const;
export type SealedField = (typeof SEALED_FIELDS)[number];

export type TamperEdit =
  /** On the wire: the byte at `offset` of the Kerberos message becomes `value`. */
  | { kind: 'byte'; offset: number; value: number }
  /** On the wire: a clear field takes a new value (a number, a name "svc/host", a time or "+DURATION"). */
  | { kind: 'field'; field: WireField; value: string }
  /** What if: a sealed field of the TGT takes a new value (a time or "+DURATION" from what it was). */
  | { kind: 'what-if'; field: SealedField; value: string };

/** A tamper waiting for its message: the `skip`+1-th `message` leaving `from` (for a reply, the KDC's host). */
export interface PendingTamper {
  from: string;
  message: TamperMessage;
  skip: number;
  edit: TamperEdit;
}

/** What the interception did: the bytes that travel on, and a line for the request's narration. */
export interface Interception {
  bytes: Uint8Array;
  said: Narration;
}

/** The receiving KDC's key for a ticket (its server, enctype and key version), if it holds one. */
export type TicketKeyOf = (ticket: Ticket) => Key | undefined;

/** Why an edit does not fit the message: the message then travels unchanged, and the trace says why. */
class NoFit extends Error {}

/** A new time: an ISO-8601 UTC time, or "+DURATION" (or "-DURATION") from the field's present value. */
function timeFrom(value: string, was: Date | undefined): Date {
  const m = /^([+-])(.+)$/.exec(value);
  if (m) {
    const ms = parseDuration(m[2]!);
    if (ms === undefined) throw new NoFit(`"${value}" is not a duration like +4h or +7d`);
    if (!was) throw new NoFit('the field is absent, so there is nothing to add a duration to');
    return new Date(was.getTime() + (m[1] === '-' ? -ms : ms));
  }
  const t = Date.parse(value);
  if (!/^\d{4}-\d\d-\d\dT/.test(value) || Number.isNaN(t))
    throw new NoFit(`"${value}" is neither an ISO-8601 UTC time nor "+DURATION"`);
  return new Date(Math.floor(t / 1000) * 1000);
}

/** Why `value` cannot be `field`'s new value, or undefined when it can (a scenario file is checked so). */
export function valueProblem(field: WireField | SealedField, value: string): string | undefined {
  try {
    if (field === 'req-body.nonce') nonceOf(value);
    else if (field === 'req-body.sname') snameOf(value);
    else timeFrom(value, new Date(0));
    return undefined;
  } catch (e) {
    if (e instanceof NoFit) return e.message;
    throw e;
  }
}

function nonceOf(value: string): number {
  if (!/^\d{1,10}$/.test(value) || Number(value) > 0xffffffff)
    throw new NoFit(`a nonce is a whole number 0 to 4294967295, not "${value}"`);
  return Number(value);
}

function snameOf(value: string): string[] {
  const parts = value.split('/');
  if (value.length > 200 || parts.some((p) => !/^[^\s@]+$/.test(p)))
    throw new NoFit(`"${value}" is not a service name like cifs/fs1.corp.example`);
  return parts;
}

const decodeReq = (bytes: Uint8Array): KdcReq =>
  bytes[0] === TAMPER_MESSAGES['AS-REQ'] ? decodeAsReq(bytes) : decodeTgsReq(bytes);
const encodeReq = (bytes: Uint8Array, req: KdcReq): Uint8Array =>
  bytes[0] === TAMPER_MESSAGES['AS-REQ'] ? encodeAsReq(req) : encodeTgsReq(req);

function setByte(bytes: Uint8Array, offset: number, value: number): { bytes: Uint8Array; text: string } {
  if (offset >= bytes.length)
    throw new NoFit(`byte ${offset} is past the end of the message (it is ${bytes.length} bytes long)`);
  const out = bytes.slice();
  out[offset] = value;
  const hex = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;
  return { bytes: out, text: `set byte ${offset} from ${hex(bytes[offset]!)} to ${hex(value)}` };
}

function setWireField(
  bytes: Uint8Array,
  field: WireField,
  value: string,
): { bytes: Uint8Array; text: string } {
  const req = decodeReq(bytes);
  const body = { ...req.reqBody };
  if (field === 'req-body.nonce') body.nonce = nonceOf(value);
  else if (field === 'req-body.till') body.till = timeFrom(value, body.till);
  else body.sname = { nameType: body.sname?.nameType ?? 2, nameString: snameOf(value) };
  return {
    bytes: encodeReq(bytes, { ...req, reqBody: body }),
    text: `rewrote ${field} to ${value} (re-encoded; the authenticator's checksum was not, it needs the session key)`,
  };
}

function editSealed(part: EncTicketPart, field: SealedField, value: string): EncTicketPart {
  if (field === 'ticket.endtime') return { ...part, endtime: timeFrom(value, part.endtime) };
  return { ...part, renewTill: timeFrom(value, part.renewTill) };
}

function whatIf(
  bytes: Uint8Array,
  edit: Extract<TamperEdit, { kind: 'what-if' }>,
  keyOf: TicketKeyOf,
  random: RandomSource,
): { bytes: Uint8Array; text: string } {
  if (bytes[0] !== TAMPER_MESSAGES['TGS-REQ']) throw new NoFit('only a TGS-REQ carries a TGT to change');
  const req = decodeTgsReq(bytes);
  const i = req.padata?.findIndex((p) => p.padataType === 1) ?? -1;
  if (i < 0) throw new NoFit('the TGS-REQ carries no PA-TGS-REQ');
  const ap = decodeApReq(req.padata![i]!.padataValue);
  const key = keyOf(ap.ticket);
  const server = `${ap.ticket.sname.nameString.join('/')}@${ap.ticket.realm}`;
  if (!key) throw new NoFit(`the KDC holds no key for ${server} to seal the ticket again`);
  const part = decodeEncTicketPart(decrypt(key, KeyUsage.KDC_REP_TICKET, ap.ticket.encPart.cipher));
  const changed = editSealed(part, edit.field, edit.value);
  const cipher = encrypt(key, KeyUsage.KDC_REP_TICKET, encodeEncTicketPart(changed), random);
  const ticket = { ...ap.ticket, encPart: { ...ap.ticket.encPart, cipher } };
  const padata = req.padata!.slice();
  padata[i] = { padataType: 1, padataValue: encodeApReq({ ...ap, ticket }) };
  return {
    bytes: encodeTgsReq({ ...req, padata }),
    text: `what if the KDC had issued the TGT with ${edit.field} ${edit.value}: changed and sealed again with ${server}'s key`,
  };
}

/**
 * The message `bytes` leaving `from` (known by its first byte, or named `message`), as the pending tampers
 * leave it: the first tamper that names this message (its skip count run down) changes it and is removed
 * from `pending`; a tamper that names it but does not fit it is removed too, and the trace says why.
 * Undefined when no tamper names the message.
 */
export function intercept(
  pending: PendingTamper[],
  from: string,
  bytes: Uint8Array,
  keyOf: TicketKeyOf,
  random: RandomSource,
  message?: TamperMessage,
): Interception | undefined {
  const names = (t: PendingTamper) =>
    message === undefined ? TAMPER_MESSAGES[t.message] === bytes[0] : t.message === message;
  const i = pending.findIndex((t) => t.from === from && names(t));
  if (i < 0) return undefined;
  const t = pending[i]!;
  if (t.skip > 0) {
    t.skip--;
    return undefined;
  }
  pending.splice(i, 1);
  const actor = t.edit.kind === 'what-if' ? 'what if' : 'attacker';
  try {
    const e = t.edit;
    if (e.kind !== 'byte' && BYTE_TAMPERS.includes(t.message))
      throw new NoFit(`${t.message} is changed here a byte at a time: set a byte`);
    const done =
      e.kind === 'byte'
        ? setByte(bytes, e.offset, e.value)
        : e.kind === 'field'
          ? setWireField(bytes, e.field, e.value)
          : whatIf(bytes, e, keyOf, random);
    return { bytes: done.bytes, said: { actor, stage: 'tamper', text: done.text, ok: false } };
  } catch (e) {
    if (!(e instanceof NoFit || e instanceof DecodeError || e instanceof IntegrityError)) throw e;
    return { bytes, said: { actor, stage: 'tamper', text: `left it unchanged: ${e.message}`, ok: true } };
  }
}

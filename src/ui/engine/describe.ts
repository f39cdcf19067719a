/**
 * Words for what the inspector and the trace list show: a field's value and what it means, which key
 * opened a part, the one narration line that says what a message did. Pure (runs in the Worker and in
 * unit tests); the decoder and the registries supply the facts, this only phrases them.
 */
import {
  adTypes,
  apOptions,
  errorCodes,
  flagsToNames,
  kdcOptions,
  messageTypes,
  nameTypes,
  paTypes,
  ticketFlags,
  type FlagRegistry,
} from '../../asn1/registry';
import { describeEnctype, findKeyUsage } from '../../crypto';
import type { Narration, TraceEvent } from '../../world';
import type { RowTone } from './protocol';

/** Byte strings longer than this are cut in the tree (the hex dump has them whole). */
export const VALUE_HEX_SHOWN = 24;

const ENCTYPE_FIELDS = new Set(['etype', 'keytype']);
const NUMBERED: Record<string, (n: number) => string> = {
  'msg-type': (n) => messageTypes.nameOf(n),
  'error-code': (n) => errorCodes.nameOf(n),
  'padata-type': (n) => paTypes.nameOf(n),
  'data-type': (n) => paTypes.nameOf(n),
  'name-type': (n) => nameTypes.nameOf(n),
  'ad-type': (n) => adTypes.nameOf(n),
};
const FLAG_FIELDS: Record<string, FlagRegistry> = {
  'kdc-options': kdcOptions,
  'ap-options': apOptions,
};
/** Where a field called `flags` is a TicketFlags (RFC 4120 §5.3, §5.4.2). */
const TICKET_FLAG_HOLDERS = new Set(['EncTicketPart', 'EncASRepPart', 'EncTGSRepPart']);

/** "padata[0]" → "padata": list items are named after their list. */
export function baseName(name: string): string {
  return name.replace(/\[\d+\]$/, '');
}

const isHex = (v: string) => v.length % 2 === 0 && /^[0-9a-f]+$/.test(v);

/**
 * The value as the tree shows it, and a note saying what it means. `parent` is the name of the node
 * holding the field: `flags` is a TicketFlags only in a ticket or a reply's encrypted part.
 */
export function describeValue(
  name: string,
  value: string | number | boolean,
  parent = '',
): { value: string; note?: string } {
  const field = baseName(name);
  if (typeof value === 'number') {
    if (ENCTYPE_FIELDS.has(field)) return { value: String(value), note: enctypeName(value) };
    const named = NUMBERED[field];
    if (named) return { value: String(value), note: named(value) };
    return { value: String(value) };
  }
  if (typeof value === 'boolean') return { value: String(value) };
  const flagTable =
    FLAG_FIELDS[field] ?? (field === 'flags' && TICKET_FLAG_HOLDERS.has(parent) ? ticketFlags : undefined);
  if (flagTable && /^[0-9a-f]{8}$/.test(value)) {
    const names = flagsToNames(parseInt(value, 16), flagTable);
    return { value: `0x${value}`, note: names.length > 0 ? names.join(' ') : 'none set' };
  }
  if (isHex(value) && value.length > VALUE_HEX_SHOWN * 2) {
    return { value: `${value.slice(0, VALUE_HEX_SHOWN * 2)}…`, note: `${value.length / 2} bytes` };
  }
  return { value };
}

/** "aes256-cts-hmac-sha1-96" for 18 (describeEnctype adds the number, which the tree already shows). */
export function enctypeName(etype: number): string {
  return describeEnctype(etype).replace(/ \(\d+\)$/, '');
}

/** "KDC-REP ticket" style words for a key usage: the RFC's description up to its first comma. */
export function usageText(usage: number): string {
  const u = findKeyUsage(usage);
  return u ? u.description.split(',')[0]! : `key usage ${usage}`;
}

/**
 * The decoder's key label in the words of the page:
 *   "keytab krbtgt/CORP@CORP kvno 1"   → "the krbtgt/CORP@CORP key (kvno 1)"
 *   "session key learnt in frame 5"    → "the session key from #5 (AS-REP)"
 *   "authenticator subkey learnt in frame 8" → "the authenticator subkey from #8 (TGS-REQ)"
 * Frames are trace sequence numbers; `typeOf` names the message at one.
 */
export function keyText(label: string, typeOf: (seq: number) => string | undefined): string {
  const keytab = /^keytab (.+) kvno (\d+)$/.exec(label);
  if (keytab) return `the ${keytab[1]} key (kvno ${keytab[2]})`;
  const learnt = /^(session key|authenticator subkey) learnt in frame (\d+)$/.exec(label);
  if (learnt) {
    const seq = Number(learnt[2]);
    const type = typeOf(seq);
    return `the ${learnt[1]} from #${seq}${type ? ` (${type})` : ''}`;
  }
  const from = /^(.+) from frame (\d+)$/.exec(label);
  if (from) return `the ${from[1]} from #${from[2]}`;
  return label;
}

const TELLING_STAGES = ['referral', 'refuse', 'issue'];

export const spokenBy = (n: Narration, host: string) => n.actor === host || n.actor.startsWith(`${host} `);

/**
 * The one line that says, in plain words, what a message did. A request: what its sender meant by it
 * (the last thing the sender said before sending: earlier lines are about the previous reply). A reply:
 * what the answering side decided — a referral first, then a refusal, then what it issued — from the
 * narration recorded on the request it answers.
 */
export function headline(event: TraceEvent, trace: readonly TraceEvent[]): string | undefined {
  if (event.kind !== 'message') return undefined;
  if (event.replyTo === undefined) {
    const own = event.narration.filter((n) => spokenBy(n, event.from)).at(-1);
    return own?.text ?? event.narration[0]?.text;
  }
  const request = trace.find((e) => e.seq === event.replyTo);
  const judged = (request?.narration ?? []).filter((n) => !spokenBy(n, event.to));
  for (const stage of TELLING_STAGES) {
    const line = judged.filter((n) => n.stage === stage).at(-1);
    if (line) return line.text;
  }
  return judged.at(-1)?.text;
}

/** The narration the inspector shows for an event: a reply shows what was said about its request. */
export function narrationOf(event: TraceEvent, trace: readonly TraceEvent[]): Narration[] {
  if (event.narration.length > 0 || event.replyTo === undefined) return event.narration;
  return trace.find((e) => e.seq === event.replyTo)?.narration ?? [];
}

export function toneOf(event: TraceEvent): RowTone {
  if (event.kind === 'timeout') return 'timeout';
  if (event.kind === 'action') {
    return event.type === 'result' && / failed: /.test(event.result) ? 'failure' : 'action';
  }
  if (event.errorCode !== undefined || event.type === 'KRB-ERROR') return 'error';
  return event.replyTo === undefined ? 'request' : 'reply';
}

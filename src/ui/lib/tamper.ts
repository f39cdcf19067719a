/**
 * What the inspector's tamper control needs to know about a message (TamperControl.svelte): whether it
 * can be tampered with, which of its host's requests it is within its step (the action's `skip`), where
 * the TGT's enc-part is in its bytes, and, once the run is replayed, which message is its replay.
 */
import type { PartView, TraceRow, ViewNode } from '../engine/protocol';

/** The KDC's messages a tamper can name (src/world/tamper.ts): requests to port 88, replies, KRB-ERRORs. */
const KDC_MESSAGES = new Set(['AS-REQ', 'TGS-REQ', 'AS-REP', 'TGS-REP', 'KRB-ERROR']);
/** What the KDC sends back: what came of it is what its client did next. */
const FROM_KDC = new Set(['AS-REP', 'TGS-REP', 'KRB-ERROR']);
/** RFC 4120 §7.2.1's "too big for UDP": the KDC's transport says it, and no tamper reaches it. */
const RESPONSE_TOO_BIG = 52;

/** A KDC's reply or KRB-ERROR, or an AP-REQ: only ever a byte set (src/world/tamper.ts BYTE_TAMPERS). */
export const bytesOnly = (row: TraceRow): boolean => FROM_KDC.has(row.type) || row.type === 'AP-REQ';
/** A KDC's reply or KRB-ERROR: what came of it is what its client did next. */
export const isReply = (row: TraceRow): boolean => FROM_KDC.has(row.type);

/**
 * A message the tamper can reach: a KDC request, reply or KRB-ERROR on port 88 (not through the KDC
 * proxy, inside TLS), or an AP-REQ with real bytes (not a modelled one), in a step the user can put a step
 * before.
 */
export const canTamper = (row: TraceRow): boolean =>
  row.kind === 'message' &&
  row.step > 0 &&
  (row.type === 'AP-REQ'
    ? !row.modelled
    : KDC_MESSAGES.has(row.type) && row.port === 88 && row.errorCode !== RESPONSE_TOO_BIG);

/**
 * A KDC request or reply that went through the KDC proxy (MS-KKDCP): inside HTTPS, where TLS catches a
 * changed byte before Kerberos sees it, so the inspector says why it offers no tamper there.
 */
export const insideTls = (row: TraceRow): boolean =>
  row.kind === 'message' && KDC_MESSAGES.has(row.type) && row.transport === 'kkdcp';

/** The host's messages of the same kind that a tamper counts, in the same step, in order (a retry counts). */
function sameKind(trace: readonly TraceRow[], row: TraceRow, step: number): TraceRow[] {
  return trace.filter(
    (r) =>
      r.step === step && r.kind === 'message' && r.from === row.from && r.type === row.type && canTamper(r),
  );
}

/** How many messages of its kind its host sent before it in its step: the tamper lets that many pass. */
export const skipOf = (trace: readonly TraceRow[], row: TraceRow): number =>
  sameKind(trace, row, row.step).filter((r) => r.seq < row.seq).length;

/** The replay of `row` in the run played again from `step`: the `skip`+1-th of its kind there. */
export const replayOf = (
  trace: readonly TraceRow[],
  row: TraceRow,
  step: number,
  skip: number,
): TraceRow | undefined => sameKind(trace, row, step)[skip];

export const replyTo = (trace: readonly TraceRow[], row: TraceRow | undefined): TraceRow | undefined =>
  row ? trace.find((r) => r.replyTo === row.seq) : undefined;

/**
 * What came of a KDC reply, in one line: the receiving host's first word on it (it took the ticket, or
 * found the reply does not decrypt), then how its step ended when that is another thing (a service that
 * refused the ticket). `refused` when anything the host did after it failed.
 */
export function afterReply(
  trace: readonly TraceRow[],
  reply: TraceRow,
): { answer: string; refused: boolean } {
  const later = trace.filter(
    (r) => r.step === reply.step && r.seq > reply.seq && r.from === reply.to && r.kind === 'action',
  );
  const first = later[0];
  if (!first) return { answer: `${reply.to} did nothing more in the step`, refused: false };
  const last = later.at(-1)!;
  return {
    answer: last === first ? first.result : `${first.result}; then ${last.result}`,
    refused: later.some((r) => r.tone === 'failure' || r.windowsError !== undefined),
  };
}

/**
 * A message and its answer in one line: "TGS-REP: ticket for cifs/…", or "KRB_AP_ERR_BAD_INTEGRITY (31):
 * the KDC's words" (a service's own words name the error already, and are not led by it twice).
 */
export function answerLine(reply: TraceRow | undefined): string {
  if (!reply) return 'no answer';
  if (reply.errorCode !== undefined) {
    const error = `${reply.errorName ?? 'KRB-ERROR'} (${reply.errorCode})`;
    return reply.result.includes(error) ? reply.result : `${error}: ${reply.result}`;
  }
  return `${reply.type}: ${reply.result}`;
}

function find(node: ViewNode | undefined, test: (n: ViewNode) => boolean): ViewNode | undefined {
  if (!node) return undefined;
  if (test(node)) return node;
  for (const c of node.children ?? []) {
    const hit = find(c, test);
    if (hit) return hit;
  }
  return undefined;
}

/** The bytes of the cipher of the first encrypted part whose path `is` one wanted, if any. */
function cipherOf(
  tree: ViewNode | undefined,
  parts: readonly PartView[],
  is: (path: string) => boolean,
): { offset: number; length: number } | undefined {
  const part = parts.findIndex((p) => is(p.path));
  if (part < 0) return undefined;
  const sealed = find(tree, (n) => n.space === 0 && n.part === part);
  const cipher = find(sealed, (n) => n.name === 'cipher');
  return cipher ? { offset: cipher.offset, length: cipher.length } : undefined;
}

/** The bytes of the sealed enc-part of the ticket a message carries (a TGS-REQ's TGT, a reply's ticket). */
export const ticketCipher = (tree: ViewNode | undefined, parts: readonly PartView[]) =>
  cipherOf(tree, parts, (path) => path.endsWith('ticket.enc-part'));

/** The bytes of a KDC reply's own enc-part (what its client decrypts), if any. */
export const replyCipher = (tree: ViewNode | undefined, parts: readonly PartView[]) =>
  cipherOf(tree, parts, (path) => path === 'enc-part');

/** The bytes of an AP-REQ's authenticator (the service decrypts it with the ticket's session key), if any. */
export const authenticatorCipher = (tree: ViewNode | undefined, parts: readonly PartView[]) =>
  cipherOf(tree, parts, (path) => /(^|\.)authenticator$/.test(path));

/** An error's error-code field, if it is one: its value is the field's last byte (a code below 128). */
export function errorCodeField(tree: ViewNode | undefined): { offset: number; length: number } | undefined {
  const field = tree?.name === 'KRB-ERROR' ? tree.children?.find((n) => n.name === 'error-code') : undefined;
  return field ? { offset: field.offset, length: field.length } : undefined;
}

/** A byte typed in hex ("ff", "0x3c") or decimal ("#200" is not taken): undefined when it is not one. */
export function readByte(text: string): number | undefined {
  const t = text.trim().toLowerCase().replace(/^0x/, '');
  if (!/^[0-9a-f]{1,2}$/.test(t)) return undefined;
  return parseInt(t, 16);
}

/**
 * Tampering with a message in flight (src/world/tamper.ts): a KDC request, reply or KRB-ERROR, or an AP-REQ.
 * Two kinds kept apart:
 *
 * - `kind: "wire"` — an attacker on the wire, holding no key, sets a byte (`offset`, `byte`) or rewrites a
 *   clear field of the request body (`field`, `value`); the KDC refuses what it gets for real. A reply
 *   or a KRB-ERROR (`from` the KDC's host), or an AP-REQ to a service, can have a byte set; the client,
 *   or the service, finds out for real (or, for a KRB-ERROR, believes it).
 * - `kind: "what-if"` — a field inside the TGT (`field`, `value`) is changed and sealed again with the
 *   krbtgt key: what would have happened had the KDC issued the ticket that way.
 *
 * The action arms the tamper; the `skip`+1-th such message `from` the host is the one changed (the next
 * one, by default). It is the user's own timeline entry, so it stays in the run.
 */
import {
  BYTE_TAMPERS,
  SEALED_FIELDS,
  TAMPER_MESSAGES,
  valueProblem,
  WIRE_FIELDS,
  type SealedField,
  type TamperEdit,
  type WireField,
} from '../../world';
import { defineAction } from '../action-table';
import { hostId, num, oneOf, opt, req, ScenarioError, str } from '../shape';

const MESSAGES = Object.keys(TAMPER_MESSAGES) as (keyof typeof TAMPER_MESSAGES)[];

const FIELDS = {
  from: req(
    hostId,
    "the host the message leaves: the client's for a request or an AP-REQ, the KDC's for a reply or a KRB-ERROR",
  ),
  message: req(oneOf(MESSAGES), 'which message'),
  kind: req(oneOf(['wire', 'what-if'] as const), 'an attacker on the wire (no keys), or a what-if re-sealed'),
  skip: opt(num({ min: 0, max: 100 }), 'how many such messages pass unchanged first (default 0: the next)'),
  offset: opt(num({ min: 0, max: 65_535 }), 'wire: the byte of the Kerberos message to set'),
  byte: opt(num({ min: 0, max: 255 }), "wire: that byte's new value"),
  field: opt(oneOf([...WIRE_FIELDS, ...SEALED_FIELDS]), 'the field to change'),
  value: opt(str({ type: 'new value (at most 200 characters)' }), "the field's new value"),
};

type Tamper = {
  kind: 'wire' | 'what-if';
  offset?: number;
  byte?: number;
  field?: WireField | SealedField | undefined;
  value?: string | undefined;
  message: string;
};

/** The edit an action says, after `check` made sure it says exactly one. */
export function editOf(a: Tamper): TamperEdit {
  if (a.offset !== undefined) return { kind: 'byte', offset: a.offset, value: a.byte! };
  if (a.kind === 'wire') return { kind: 'field', field: a.field as WireField, value: a.value! };
  return { kind: 'what-if', field: a.field as SealedField, value: a.value! };
}

function checkTamper(a: Tamper, path: string): void {
  const at = (f: string) => (path ? `${path}.${f}` : f);
  const byByte = a.offset !== undefined || a.byte !== undefined;
  const byField = a.field !== undefined || a.value !== undefined;
  if (byByte && byField) throw new ScenarioError(at('field'), 'a tamper sets a byte or a field, not both');
  if (BYTE_TAMPERS.includes(a.message as keyof typeof TAMPER_MESSAGES) && (a.kind !== 'wire' || !byByte))
    throw new ScenarioError(
      at(a.kind !== 'wire' ? 'kind' : 'offset'),
      `${a.message} is changed on the wire a byte at a time (kind "wire", offset and byte): none of its fields is one an attacker could rewrite to any use, and a what-if edits the TGT a TGS-REQ carries`,
    );
  if (a.kind === 'what-if') {
    if (byByte)
      throw new ScenarioError(at('offset'), 'a what-if changes a field inside the ticket, not a byte');
    if (a.message !== 'TGS-REQ') throw new ScenarioError(at('message'), 'only a TGS-REQ carries a TGT');
    if (!a.field || !(SEALED_FIELDS as readonly string[]).includes(a.field))
      throw new ScenarioError(at('field'), `a what-if changes one of ${SEALED_FIELDS.join(', ')}`);
  } else if (byByte) {
    if (a.offset === undefined || a.byte === undefined)
      throw new ScenarioError(
        at(a.offset === undefined ? 'offset' : 'byte'),
        'a byte tamper needs offset and byte',
      );
    return;
  } else if (!a.field || !(WIRE_FIELDS as readonly string[]).includes(a.field)) {
    throw new ScenarioError(
      at('field'),
      `on the wire, without keys, only a clear field can be rewritten (${WIRE_FIELDS.join(', ')}), or a byte set (offset, byte)`,
    );
  }
  if (a.value === undefined) throw new ScenarioError(at('value'), 'is missing (the new value)');
  const problem = valueProblem(a.field, a.value);
  if (problem) throw new ScenarioError(at('value'), problem);
}

const ordinal = (skip = 0) => (skip === 0 ? 'next' : `${skip + 1}th`);

function describe(a: Tamper & { from: string; skip?: number }): string {
  const e = editOf(a);
  const which = `${a.from}'s ${ordinal(a.skip)} ${a.message}`;
  if (e.kind === 'byte')
    return `attacker on the wire (no keys): byte ${e.offset} of ${which} becomes 0x${e.value.toString(16).padStart(2, '0')}`;
  if (e.kind === 'field') return `attacker on the wire (no keys): ${e.field} of ${which} becomes ${e.value}`;
  return `what if the KDC had issued the TGT in ${which} with ${e.field} ${e.value} (re-sealed with its key)`;
}

export const TAMPER_ACTIONS = [
  defineAction({
    do: 'tamper',
    about:
      "A KDC request is changed in flight: by an attacker on the wire without keys (a byte, or a clear field), or as a what-if edit of the TGT sealed again with the krbtgt key; or a byte of a KDC's reply or KRB-ERROR on its way to the client, or of an AP-REQ on its way to a service.",
    fields: FIELDS,
    check: (a, path) => checkTamper(a, path),
    title: (a) => describe(a),
    run: (world, a) => {
      world.armTamper({ from: a.from, message: a.message, skip: a.skip ?? 0, edit: editOf(a) });
      world.action(a.from, 'tamper', `${describe(a)}: armed`);
      return { ok: true, output: 'tamper armed' };
    },
  }),
] as const;

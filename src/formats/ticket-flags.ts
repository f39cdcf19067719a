/**
 * Ticket-flag names for the ccache listing (RFC 4120 §5.3 TicketFlags, RFC 6806 §11, RFC 8062).
 *
 * A small local table, because the protocol registries (src/asn1/registry) had no index yet when this
 * folder was written; the names and the `bit-N` rule for unknown bits are the registry's, so the two
 * print the same. Bit 0 is 0x80000000, as MIT's TKT_FLG_* constants and `flagsHex` count.
 */

const NAMES: readonly (string | undefined)[] = [
  'reserved',
  'forwardable',
  'forwarded',
  'proxiable',
  'proxy',
  'may-postdate',
  'postdated',
  'invalid',
  'renewable',
  'initial',
  'pre-authent',
  'hw-authent',
  'transited-policy-checked',
  'ok-as-delegate',
  undefined,
  'enc-pa-rep', // Windows prints this bit as name_canonicalize
  'anonymous',
];

/** The names of the flags set, in bit order; a bit without a name is `bit-N`. */
export function ticketFlagNames(flags: number): string[] {
  const out: string[] = [];
  for (let bit = 0; bit < 32; bit++) {
    if (((flags >>> 0) & (0x80000000 >>> bit)) !== 0) out.push(NAMES[bit] ?? `bit-${bit}`);
  }
  return out;
}

/** MIT `klist -f` letters, in klist's own order ("FRIA" for 0x40e00000). */
export function ticketFlagLetters(flags: number): string {
  // Bit number of each letter, in the order MIT's klist tests them (hw-authent before pre-authent).
  const order: [string, number][] = [
    ['F', 1],
    ['f', 2],
    ['P', 3],
    ['p', 4],
    ['D', 5],
    ['d', 6],
    ['i', 7],
    ['R', 8],
    ['I', 9],
    ['H', 11],
    ['A', 10],
    ['T', 12],
    ['O', 13],
    ['a', 16],
  ];
  return order
    .filter(([, bit]) => ((flags >>> 0) & (0x80000000 >>> bit)) !== 0)
    .map(([letter]) => letter)
    .join('');
}

/** Eight lowercase hex digits: "40e10000". */
export function flagsHex(flags: number): string {
  return (flags >>> 0).toString(16).padStart(8, '0');
}

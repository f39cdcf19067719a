/**
 * Ticket flags as the ccache listing prints them (RFC 4120 §5.3 TicketFlags, RFC 6806 §11, RFC 8062),
 * from the protocol registry in src/asn1/registry, so that every part of the playground names a flag
 * the same way. Bit 0 is 0x80000000, as MIT's TKT_FLG_* constants and `flagsHex` count.
 */
import { flagsToHex, flagsToNames, ticketFlags, ticketFlagsToKlistString } from '../asn1/registry';

/** The names of the flags set, in bit order ("forwardable", "pre-authent"); an unnamed bit is `bit-N`. */
export function ticketFlagNames(flags: number): string[] {
  return flagsToNames(flags, ticketFlags);
}

/** MIT `klist -f` letters, in klist's own order ("FRIA" for 0x40e00000). */
export function ticketFlagLetters(flags: number): string {
  return ticketFlagsToKlistString(flags);
}

/** Eight lowercase hex digits: "40e10000". */
export function flagsHex(flags: number): string {
  return flagsToHex(flags);
}

/**
 * AP options: the `ap-options` of an AP-REQ (RFC 4120 §5.5.1, APOptions).
 *
 * MIT also keeps internal bits at the low end of its AP option word (use-subkey, etype negotiation, CBT),
 * but masks them off before sending; only bits 0–2 are defined on the wire.
 */
import { defineFlagRegistry, flagConstantsOf, type FlagEntry, type FlagSpec } from './flags';

const apOptionTable = [
  {
    value: 0,
    key: 'RESERVED',
    name: 'reserved',
    rfcName: 'RESERVED',
    summary: 'Reserved for future expansion of the options field; never set.',
    source: 'RFC 4120 §5.5.1',
  },
  {
    value: 1,
    key: 'USE_SESSION_KEY',
    name: 'use-session-key',
    rfcName: 'USE-SESSION-KEY',
    summary: 'User-to-user: the ticket is encrypted in the server’s TGT session key, not its long-term key.',
    source: 'RFC 4120 §3.7, §5.5.1',
  },
  {
    value: 2,
    key: 'MUTUAL_REQUIRED',
    name: 'mutual-required',
    rfcName: 'MUTUAL-REQUIRED',
    summary: 'The client wants the server to prove itself too, with an AP-REP.',
    source: 'RFC 4120 §3.2.5, §5.5.1',
  },
] as const satisfies readonly FlagSpec[];

/** The AP-option registry: `value` is the bit number (0 = 0x80000000). */
export const apOptions = defineFlagRegistry<FlagEntry>('AP option', apOptionTable);

/** Masks: `ApOption.MUTUAL_REQUIRED === 0x20000000`, … */
export const ApOption = flagConstantsOf(apOptionTable);

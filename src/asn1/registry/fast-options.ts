/**
 * FAST options: the `fast-options` of KrbFastReq (RFC 6113 §5.4.2, FastOptions).
 *
 * RFC 6113 §5.4.2 and §7.3: bits 0–15 are critical, so a KDC that does not know one that is set must refuse with
 * KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS (93); bits 16–31 may be ignored.
 */
import { defineFlagRegistry, flagConstantsOf, type FlagEntry, type FlagSpec } from './flags';

/** A FAST option, with whether a KDC must understand it. */
export interface FastOptionEntry extends FlagEntry {
  /** Bits 0–15: a KDC that does not know the option must reject the request. */
  readonly critical: boolean;
}

const fastOptionTable = [
  {
    value: 0,
    key: 'RESERVED',
    name: 'reserved',
    rfcName: 'RESERVED',
    critical: true,
    summary: 'Reserved; never set.',
    source: 'RFC 6113 §5.4.2',
  },
  {
    value: 1,
    key: 'HIDE_CLIENT_NAMES',
    name: 'hide-client-names',
    rfcName: 'HIDE-CLIENT-NAMES',
    critical: true,
    summary:
      'Asks the KDC to leave the client’s real name out of the parts of the reply an eavesdropper can read.',
    source: 'RFC 6113 §5.4.2',
  },
  {
    value: 16,
    key: 'KDC_FOLLOW_REFERRALS',
    name: 'kdc-follow-referrals',
    rfcName: 'KDC-FOLLOW-REFERRALS',
    critical: false,
    summary: 'Asks the KDC to chase cross-realm referrals itself instead of handing them back.',
    source: 'RFC 6113 §5.4.2',
  },
] as const satisfies readonly FlagSpec<FastOptionEntry>[];

/** The FAST-option registry: `value` is the bit number (0 = 0x80000000). */
export const fastOptions = defineFlagRegistry<FastOptionEntry>('FAST option', fastOptionTable);

/** Masks: `FastOption.HIDE_CLIENT_NAMES === 0x40000000`, … */
export const FastOption = flagConstantsOf(fastOptionTable);

/** The critical half of the FAST option word, bits 0–15 (RFC 6113 §7.3). */
export const FAST_CRITICAL_OPTIONS_MASK = 0xffff0000;

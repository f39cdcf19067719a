/**
 * Kerberos flag sets: TicketFlags, KDCOptions, APOptions (RFC 4120 §5.2.8 KerberosFlags), FAST options
 * (RFC 6113 §5.4.1) and PA-PAC-OPTIONS (MS-KILE §2.2.10).
 *
 * On the wire each is a BIT STRING of at least 32 bits whose bit 0 is the most significant bit of the
 * first octet (RFC 4120 §5.2.8). Here a flag set is the 32-bit unsigned number those four octets spell
 * big-endian, so bit 0 is 0x80000000 and bit 31 is 0x00000001: the number MIT's `TKT_FLG_*` constants,
 * Windows' `klist` ("Ticket Flags 0x40e10000") and the CLI's `flagsHex` all use.
 *
 * JavaScript's `|` works on signed 32-bit integers, so a set with bit 0 turned on comes out negative;
 * every helper here takes its input through `>>> 0` and returns unsigned numbers.
 */
import { KrbPlayInputError } from '../../util';
import { defineRegistry, type Registry, type RegistryEntry } from './table';

/** One flag: `value` is its bit number as the RFC counts it (0 = most significant). */
export interface FlagEntry extends RegistryEntry {
  /** The bit as a number in the flag set: `0x80000000 >>> value`. */
  readonly mask: number;
  /** How Windows (`klist`, `KERB_TICKET_FLAGS_*`) spells it, where that is known. */
  readonly windowsName?: string;
}

/** A flag registry: a registry whose values are bit numbers 0–31. */
export type FlagRegistry<E extends FlagEntry = FlagEntry> = Registry<E>;

/** A table row before its mask is filled in. */
export type FlagSpec<E extends FlagEntry = FlagEntry> = Omit<E, 'mask'>;

/** The constants object of a flag table: each `key` bound to its mask (`KdcOption.FORWARDABLE === 0x40000000`). */
export type FlagConstantsOf<T extends readonly RegistryEntry[]> = {
  readonly [E in T[number] as E['key']]: number;
};

/** How `flagsToNames` spells the names it returns. */
export interface FlagNameOptions {
  /** `name` (default): RFC/MIT spelling ("pre-authent"); `rfc`: "PRE-AUTHENT"; `windows`: "pre_authent". */
  readonly spelling?: 'name' | 'rfc' | 'windows';
}

/** The mask of bit `bit` (0 = 0x80000000), as an unsigned number; 0 for a bit outside 0–31. */
export function bitMask(bit: number): number {
  return Number.isInteger(bit) && bit >= 0 && bit <= 31 ? 0x80000000 >>> bit : 0;
}

/** Builds a flag registry, filling in each mask from its bit number. */
export function defineFlagRegistry<E extends FlagEntry>(
  label: string,
  specs: readonly FlagSpec<E>[],
): FlagRegistry<E> {
  const entries = specs.map((spec) => {
    if (!Number.isInteger(spec.value) || spec.value < 0 || spec.value > 31) {
      // An internal invariant: the tables are static source text, so this fails at load, never on input.
      throw new Error(`${label} registry: bit ${String(spec.value)} is outside 0–31`);
    }
    return Object.freeze({ ...spec, mask: bitMask(spec.value) }) as E;
  });
  return defineRegistry(label, entries);
}

/** The constants object of a flag table: `key` → mask. */
export function flagConstantsOf<const T extends readonly RegistryEntry[]>(table: T): FlagConstantsOf<T> {
  return Object.freeze(Object.fromEntries(table.map((e) => [e.key, bitMask(e.value)]))) as FlagConstantsOf<T>;
}

/** Whether every bit of `mask` is set in `flags`. */
export function hasFlags(flags: number, mask: number): boolean {
  return (flags & mask) >>> 0 === mask >>> 0;
}

/** The bit numbers set in `flags`, from bit 0 (most significant) to bit 31. */
export function setBits(flags: number): number[] {
  const n = flags >>> 0;
  const bits: number[] = [];
  for (let bit = 0; bit < 32; bit++) {
    if ((n & bitMask(bit)) !== 0) bits.push(bit);
  }
  return bits;
}

/**
 * The names of the flags set in `flags`, in bit order. A set bit the table does not know is named
 * `bit-N`, so that no bit is ever hidden from a learner and `namesToFlags` can turn the list back.
 */
export function flagsToNames(flags: number, table: FlagRegistry, options: FlagNameOptions = {}): string[] {
  const spelling = options.spelling ?? 'name';
  return setBits(flags).map((bit) => {
    const entry = table.byValue(bit);
    if (entry === undefined) return `bit-${String(bit)}`;
    if (spelling === 'rfc') return entry.rfcName ?? entry.name;
    if (spelling === 'windows') return entry.windowsName ?? entry.name.replace(/-/g, '_');
    return entry.name;
  });
}

/**
 * The flag set made of the named flags. Any spelling `byName` accepts works, as does `bit-N`. A name the
 * table does not know is a mistake in the caller's input (a scenario file, a command line), so it throws
 * a `KrbPlayInputError` naming the flag and the table.
 */
export function namesToFlags(names: Iterable<string>, table: FlagRegistry): number {
  let flags = 0;
  for (const name of names) {
    const entry = table.byName(name);
    if (entry !== undefined) {
      flags |= entry.mask;
      continue;
    }
    const bit = /^\s*bit[-_](\d{1,2})\s*$/i.exec(name);
    const mask = bit === null ? 0 : bitMask(Number(bit[1]));
    if (mask === 0) {
      const known = table.entries.map((e) => e.name).join(', ');
      throw new KrbPlayInputError(`unknown ${table.label} "${name}" (known: ${known}, or bit-0 … bit-31)`);
    }
    flags |= mask;
  }
  return flags >>> 0;
}

/** Eight lowercase hex digits, the way `klist` and the CLI's `flagsHex` print a flag set: "40e10000". */
export function flagsToHex(flags: number): string {
  return (flags >>> 0).toString(16).padStart(8, '0');
}

/** Reads "40e10000" or "0x40E10000" (1–8 hex digits) back into a flag set; `undefined` if it is not one. */
export function parseFlagsHex(text: string): number | undefined {
  const match = /^\s*(?:0x)?([0-9a-f]{1,8})\s*$/i.exec(text);
  return match === null ? undefined : Number.parseInt(match[1] ?? '', 16) >>> 0;
}

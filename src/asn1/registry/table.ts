/**
 * The shape every protocol registry shares: a readonly table of numbered entries, each with the name a
 * learner sees, the spelling the specification uses, a one-line explanation and the clause it comes from;
 * plus lookups by number and by name that answer `undefined` (never throw) for what they do not know.
 *
 * Gokrb5 keeps one package per IANA registry (`iana/msgtype`, `iana/patype`, …); this folder does the
 * same, with the learner's explanation kept beside each number.
 */

/** One numbered value of a Kerberos registry. */
export interface RegistryEntry {
  /** The number on the wire (an Int32 in RFC 4120's ASN.1; a bit number for flag tables). */
  readonly value: number;
  /** The identifier code uses: `PaType.PA_ENC_TIMESTAMP`, `ErrorCode.KRB_AP_ERR_SKEW`. */
  readonly key: string;
  /** The name shown to people (the CLI's `type`, `errorName`, `flags` strings). */
  readonly name: string;
  /** The spelling of the defining document when it differs from `name` (`KRB_AS_REQ`, `FORWARDABLE`). */
  readonly rfcName?: string;
  /** Other spellings met in the wild (MIT, Windows, IANA), accepted by `byName`. */
  readonly aliases?: readonly string[];
  /** One line a learner understands: what this value means. */
  readonly summary: string;
  /** Where the number is defined, e.g. "RFC 4120 §7.5.7" or "MS-KILE §2.2.10". */
  readonly source: string;
}

/** A registry: the table and its lookups. */
export interface Registry<E extends RegistryEntry> {
  /** What one value of this registry is called, for messages: "message type", "ticket flag". */
  readonly label: string;
  /** Every known value, in ascending order of `value`. */
  readonly entries: readonly E[];
  /** The entry for a number, or `undefined` for a number this registry does not know. */
  byValue(value: number): E | undefined;
  /**
   * The entry for a name, or `undefined`. Accepts `name`, `rfcName`, `key` and `aliases`, ignoring case
   * and treating `-` and `_` alike, so "pre-authent", "PRE_AUTHENT" and "pre_authent" all match.
   */
  byName(name: string): E | undefined;
  /** The display name, or "unknown (123)" for an unknown number. */
  nameOf(value: number): string;
  /** "AS-REQ (10)" for a known number, "unknown (123)" otherwise. */
  describe(value: number): string;
}

/** The type of the constants object made from a table: `{ AS_REQ: 10, … }` with literal number types. */
export type ConstantsOf<T extends readonly RegistryEntry[]> = {
  readonly [E in T[number] as E['key']]: E['value'];
};

/** How names are compared: case-blind, `-` and `_` equal, surrounding blanks ignored. */
export function normalizeName(name: string): string {
  return name.trim().toUpperCase().replace(/_/g, '-');
}

/** "unknown (123)": the text every registry gives for a number it does not know. */
export function unknownText(value: number): string {
  return `unknown (${String(value)})`;
}

/** Every spelling of an entry that `byName` accepts. */
export function spellingsOf(entry: RegistryEntry): string[] {
  const all = [entry.name, entry.key, ...(entry.rfcName === undefined ? [] : [entry.rfcName])];
  return [...all, ...(entry.aliases ?? [])];
}

/**
 * Builds a registry over a table. The table is static source text, so a duplicate number or name is a
 * mistake in this folder: it fails at load, loudly, rather than making one of the two entries unreachable.
 * Its bare Errors are internal invariants, never a learner's input.
 */
export function defineRegistry<E extends RegistryEntry>(label: string, table: readonly E[]): Registry<E> {
  const entries = Object.freeze([...table].sort((a, b) => a.value - b.value));
  const byNumber = new Map<number, E>();
  const byNormalName = new Map<string, E>();
  for (const entry of entries) {
    if (byNumber.has(entry.value)) {
      throw new Error(`${label} registry: ${String(entry.value)} is listed twice`);
    }
    byNumber.set(entry.value, entry);
    for (const spelling of new Set(spellingsOf(entry).map(normalizeName))) {
      const other = byNormalName.get(spelling);
      if (other !== undefined) {
        throw new Error(
          `${label} registry: "${spelling}" names both ${String(other.value)} and ${String(entry.value)}`,
        );
      }
      byNormalName.set(spelling, entry);
    }
  }
  const byValue = (value: number): E | undefined => byNumber.get(value);
  const nameOf = (value: number): string => byValue(value)?.name ?? unknownText(value);
  return Object.freeze({
    label,
    entries,
    byValue,
    byName: (name: string): E | undefined =>
      typeof name === 'string' ? byNormalName.get(normalizeName(name)) : undefined,
    nameOf,
    describe: (value: number): string => {
      const entry = byValue(value);
      return entry === undefined ? unknownText(value) : `${entry.name} (${String(value)})`;
    },
  });
}

/** The constants object for a table: each entry's `key` bound to its `value`, frozen. */
export function constantsOf<const T extends readonly RegistryEntry[]>(table: T): ConstantsOf<T> {
  return Object.freeze(Object.fromEntries(table.map((e) => [e.key, e.value]))) as ConstantsOf<T>;
}

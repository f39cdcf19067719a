/** The shapes of the explanation catalogue (catalogue.ts, pac-catalogue.ts, files-catalogue.ts). */

/** What a field or structure is, for a new engineer, and where the specification defines it. */
export interface Entry {
  /** One or two plain sentences. */
  readonly words: string;
  /** The defining clause, as the registries write it: "RFC 4120 §5.4.1", "MS-PAC §2.5". */
  readonly ref: string;
}

/** A field of a structure. */
export interface Field extends Entry {
  /** The structure the field holds: a key of the catalogue. */
  readonly type?: string;
  /** A list: the structure of each item (a key of the catalogue), or '' for a list of plain values. */
  readonly items?: string;
}

/** A structure (an ASN.1 type, a framing, an NDR buffer, a file record). */
export interface Shape extends Entry {
  readonly fields?: Readonly<Record<string, Field>>;
  /** A SEQUENCE OF: the structure of each item, or '' for plain values. */
  readonly items?: string;
}

export type Catalogue = Readonly<Record<string, Shape>>;

/**
 * From a decoded field to its explanation. A field is named by the path of node names from a root the
 * catalogue knows (a message, a decrypted part, a framing, a PAC, a file): ["AS-REQ", "req-body", "till"].
 * Each step is one of: a field of the structure above; an item of the list above ("padata[0]"); or a
 * structure that stands inside the field above under its own name (an OCTET STRING holding DER, a
 * plaintext hung under its EncryptedData, the message inside a framing).
 *
 * A number the registries know (a message type, an error code, a padata type, an enctype…) and the set
 * bits of a flags field get their own words and links from those registries.
 */
import {
  adTypes,
  apOptions,
  errorCodes,
  fastOptions,
  kdcOptions,
  messageTypes,
  nameTypes,
  pacOptions,
  paTypes,
  ticketFlags,
  type FlagRegistry,
  type Registry,
  type RegistryEntry,
} from '../../asn1/registry';
import { findChecksumType, findEnctype } from '../../crypto';
import { DER_CATALOGUE } from './catalogue';
import { FILES_CATALOGUE } from './files-catalogue';
import { PAC_CATALOGUE, unknownPacBuffer } from './pac-catalogue';
import { specLinks, type SpecLink } from './spec';
import type { Catalogue, Entry, Shape } from './types';

/** Every structure the catalogue explains, by the name the tree (or the file reader) gives it. */
export const CATALOGUE: Catalogue = { ...DER_CATALOGUE, ...PAC_CATALOGUE, ...FILES_CATALOGUE };

/** What a registry says of one number or one flag bit. */
export interface ValueNote {
  readonly name: string;
  readonly words: string;
  readonly refs: readonly SpecLink[];
}

export interface Explanation {
  /** The catalogue entry: "KDC-REQ-BODY.till", "PA-DATA", "KDC-REQ-BODY.etype[]". */
  readonly key: string;
  readonly words: string;
  readonly ref: string;
  readonly refs: readonly SpecLink[];
  /** The meaning of the value, for a number a registry knows. */
  readonly value?: ValueNote;
  /** The set bits of a flags field, each explained. */
  readonly bits?: readonly ValueNote[];
}

interface Step {
  readonly key: string;
  readonly entry: Entry;
  /** The structure this node holds, when it is one. */
  readonly shape?: Shape;
  /** Its catalogue name. */
  readonly typeName?: string;
  /** A list node: what its items are ('' for plain values). */
  readonly items?: string;
  /** The field's own name, for the registries ("etype" for an item of a list of enctypes too). */
  readonly field?: string;
}

function lookup(name: string): Shape | undefined {
  return Object.hasOwn(CATALOGUE, name) ? CATALOGUE[name] : unknownPacBuffer(name);
}

function structureStep(name: string): Step | undefined {
  const shape = lookup(name);
  if (!shape) return undefined;
  return {
    key: name,
    entry: shape,
    shape,
    typeName: name,
    ...(shape.items !== undefined ? { items: shape.items } : {}),
  };
}

const own = <T>(rec: Readonly<Record<string, T>> | undefined, k: string): T | undefined =>
  rec && Object.hasOwn(rec, k) ? rec[k] : undefined;

function childStep(parent: Step, name: string): Step | undefined {
  const base = name.replace(/\[\d+\]$/, '');
  const isItem = base !== name;
  const fields = parent.shape?.fields;
  const field = own(fields, name) ?? (isItem ? own(fields, base) : undefined);
  if (field) {
    const shape = field.type !== undefined ? lookup(field.type) : undefined;
    const key = `${parent.typeName ?? parent.key}.${isItem ? `${base}[]` : name}`;
    return {
      key,
      entry: field,
      ...(shape ? { shape, typeName: field.type } : {}),
      ...(field.items !== undefined && !isItem ? { items: field.items } : {}),
      field: base,
    };
  }
  if (isItem && parent.items !== undefined) {
    if (parent.items === '') {
      return {
        key: `${parent.key}[]`,
        entry: parent.entry,
        ...(parent.field ? { field: parent.field } : {}),
      };
    }
    return structureStep(parent.items);
  }
  return structureStep(name);
}

function resolve(path: readonly string[]): Step | undefined {
  let step: Step | undefined;
  for (const name of path) {
    step = step === undefined ? structureStep(name) : childStep(step, name);
    if (!step) return undefined;
  }
  return step;
}

// ---- values ----------------------------------------------------------------------------------------

const NUMBERED: Readonly<Record<string, Registry<RegistryEntry>>> = {
  'msg-type': messageTypes,
  'error-code': errorCodes,
  'padata-type': paTypes,
  'data-type': paTypes,
  'name-type': nameTypes,
  nameType: nameTypes,
  'ad-type': adTypes,
  adType: adTypes,
};
const ENCTYPE_FIELDS = new Set(['etype', 'keytype', 'KERB-KEY-LIST-REQ']);
const CHECKSUM_FIELDS = new Set(['cksumtype', 'signatureType']);

/** Which flags registry reads a field, by its catalogue key. */
const FLAGS: Readonly<Record<string, FlagRegistry>> = {
  'KDC-REQ-BODY.kdc-options': kdcOptions,
  'AP-REQ.ap-options': apOptions,
  'EncTicketPart.flags': ticketFlags,
  'EncASRepPart.flags': ticketFlags,
  'EncTGSRepPart.flags': ticketFlags,
  'KrbCredInfo.flags': ticketFlags,
  'KrbFastReq.fast-options': fastOptions,
  'PA-PAC-OPTIONS.flags': pacOptions,
};

const note = (name: string, words: string, ref: string): ValueNote => ({ name, words, refs: specLinks(ref) });

function numberNote(field: string | undefined, value: number): ValueNote | undefined {
  if (field === undefined) return undefined;
  const registry = own(NUMBERED, field);
  if (registry) {
    const e = registry.byValue(value);
    return e ? note(e.name, e.summary, e.source) : undefined;
  }
  if (ENCTYPE_FIELDS.has(field)) {
    const e = findEnctype(value);
    return e ? note(e.name, e.summary, e.spec) : undefined;
  }
  if (CHECKSUM_FIELDS.has(field)) {
    const c = findChecksumType(value);
    return c ? note(c.name, c.summary, c.spec) : undefined;
  }
  return undefined;
}

/** The flags as the decoder gives them ("40810010") or the page shows them ("0x40810010"). */
function flagsOf(value: string | number | boolean | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(?:0x)?([0-9a-f]{8})$/.exec(value);
  return m ? parseInt(m[1]!, 16) : undefined;
}

function bitNotes(registry: FlagRegistry, flags: number): ValueNote[] {
  const out: ValueNote[] = [];
  for (let bit = 0; bit < 32; bit++) {
    const mask = (0x80000000 >>> bit) >>> 0;
    if (((flags >>> 0) & mask) === 0) continue;
    const e = registry.byValue(bit);
    out.push(
      e
        ? note(`${e.name} (bit ${bit})`, e.summary, e.source)
        : { name: `bit ${bit}`, words: `Not a ${registry.label} the playground knows.`, refs: [] },
    );
  }
  return out;
}

/**
 * The explanation of the field at `path` (node names from the root), with what its value means when a
 * registry knows it; undefined for a field the catalogue does not know.
 */
export function explainPath(
  path: readonly string[],
  value?: string | number | boolean,
): Explanation | undefined {
  const step = resolve(path);
  if (!step) return undefined;
  const base: Explanation = {
    key: step.key,
    words: step.entry.words,
    ref: step.entry.ref,
    refs: specLinks(step.entry.ref),
  };
  const flagTable = own(FLAGS, step.key);
  const flags = flagTable ? flagsOf(value) : undefined;
  if (flagTable && flags !== undefined) return { ...base, bits: bitNotes(flagTable, flags) };
  const numeric =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^-?\d+$/.test(value)
        ? Number(value)
        : undefined;
  const valueNote = numeric !== undefined ? numberNote(step.field ?? step.typeName, numeric) : undefined;
  return valueNote ? { ...base, value: valueNote } : base;
}

// What every registry promises: unique numbers and names, a line of explanation and a source for every
// entry, constants that agree with the table, and lookups that never throw on what they do not know.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  AdType,
  adTypes,
  ApOption,
  ApplicationTag,
  applicationTags,
  apOptions,
  bitMask,
  ErrorCode,
  errorCodes,
  FastOption,
  fastOptions,
  KdcOption,
  kdcOptions,
  MessageType,
  messageTypes,
  NameType,
  nameTypes,
  normalizeName,
  PacOption,
  pacOptions,
  PaType,
  paTypes,
  spellingsOf,
  TicketFlag,
  ticketFlags,
  type Registry,
  type RegistryEntry,
} from '../../../src/asn1/registry';

interface Case {
  readonly registry: Registry<RegistryEntry>;
  readonly constants: Readonly<Record<string, number>>;
  /** Flag tables bind their constants to masks, the others to values. */
  readonly flags: boolean;
}

const CASES: Record<string, Case> = {
  'message types': { registry: messageTypes, constants: MessageType, flags: false },
  'APPLICATION tags': { registry: applicationTags, constants: ApplicationTag, flags: false },
  'PA-DATA types': { registry: paTypes, constants: PaType, flags: false },
  'name types': { registry: nameTypes, constants: NameType, flags: false },
  'error codes': { registry: errorCodes, constants: ErrorCode, flags: false },
  'authorization-data types': { registry: adTypes, constants: AdType, flags: false },
  'ticket flags': { registry: ticketFlags, constants: TicketFlag, flags: true },
  'KDC options': { registry: kdcOptions, constants: KdcOption, flags: true },
  'AP options': { registry: apOptions, constants: ApOption, flags: true },
  'FAST options': { registry: fastOptions, constants: FastOption, flags: true },
  'PAC options': { registry: pacOptions, constants: PacOption, flags: true },
};

describe.each(Object.entries(CASES))('%s', (_label, { registry, constants, flags }) => {
  test('numbers are unique and ascending', () => {
    const values = registry.entries.map((e) => e.value);
    expect(new Set(values).size).toBe(values.length);
    expect(values).toEqual([...values].sort((a, b) => a - b));
  });

  test('every spelling (name, RFC name, key, aliases) names exactly one entry', () => {
    const owner = new Map<string, number>();
    for (const entry of registry.entries) {
      for (const spelling of new Set(spellingsOf(entry).map(normalizeName))) {
        expect(owner.get(spelling) ?? entry.value, `${spelling} is claimed twice`).toBe(entry.value);
        owner.set(spelling, entry.value);
      }
    }
  });

  test('every entry explains itself and says where it is defined', () => {
    for (const entry of registry.entries) {
      expect(entry.summary.trim(), `${entry.name} summary`).not.toBe('');
      expect(entry.source.trim(), `${entry.name} source`).not.toBe('');
      expect(entry.name.trim()).not.toBe('');
    }
  });

  test('byValue and byName find each entry under every spelling', () => {
    for (const entry of registry.entries) {
      expect(registry.byValue(entry.value)).toBe(entry);
      for (const spelling of spellingsOf(entry)) expect(registry.byName(spelling)).toBe(entry);
      expect(registry.byName(entry.name.toLowerCase())).toBe(entry);
      expect(registry.describe(entry.value)).toBe(`${entry.name} (${entry.value})`);
    }
  });

  test('the constants object and the table agree, key for key', () => {
    expect(Object.keys(constants).sort()).toEqual(registry.entries.map((e) => e.key).sort());
    for (const entry of registry.entries) {
      expect(constants[entry.key]).toBe(flags ? bitMask(entry.value) : entry.value);
    }
    expect(Object.isFrozen(constants)).toBe(true);
  });

  test('unknown numbers and names give undefined and "unknown (n)", never an exception', () => {
    const known = new Set(registry.entries.map((e) => e.value));
    fc.assert(
      fc.property(fc.integer(), (n) => {
        if (known.has(n)) return;
        expect(registry.byValue(n)).toBeUndefined();
        expect(registry.describe(n)).toBe(`unknown (${n})`);
        expect(registry.nameOf(n)).toBe(`unknown (${n})`);
      }),
    );
    for (const odd of [Number.NaN, Infinity, -Infinity, 1.5, -0.5, 2 ** 40]) {
      expect(registry.byValue(odd)).toBeUndefined();
      expect(() => registry.describe(odd)).not.toThrow();
    }
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(() => registry.byName(s)).not.toThrow();
      }),
    );
    expect(registry.byName('')).toBeUndefined();
    expect(registry.byName('no such thing')).toBeUndefined();
    expect(registry.byName(undefined as unknown as string)).toBeUndefined();
  });

  test('the table cannot be changed at run time', () => {
    expect(Object.isFrozen(registry.entries)).toBe(true);
  });
});

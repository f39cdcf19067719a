// Flag sets: the bit numbers of RFC 4120 §5.3, §5.4.1 and §5.5.1, the 32-bit number convention (bit 0 is
// 0x80000000), names in both directions, the hex form klist prints, and what real tools show.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  ApOption,
  apOptions,
  bitMask,
  FAST_CRITICAL_OPTIONS_MASK,
  FastOption,
  fastOptions,
  flagsToHex,
  flagsToNames,
  hasFlags,
  KdcOption,
  kdcOptions,
  namesToFlags,
  PacOption,
  pacOptions,
  parseFlagsHex,
  setBits,
  TicketFlag,
  ticketFlags,
  ticketFlagsToKlistString,
  type FlagRegistry,
} from '../../../src/asn1/registry';
import { KrbPlayInputError } from '../../../src/util';

/** RFC 4120 §5.3 TicketFlags, every named bit. */
const RFC4120_TICKET_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0, 'reserved'],
  [1, 'forwardable'],
  [2, 'forwarded'],
  [3, 'proxiable'],
  [4, 'proxy'],
  [5, 'may-postdate'],
  [6, 'postdated'],
  [7, 'invalid'],
  [8, 'renewable'],
  [9, 'initial'],
  [10, 'pre-authent'],
  [11, 'hw-authent'],
  [12, 'transited-policy-checked'],
  [13, 'ok-as-delegate'],
];

/** RFC 4120 §5.4.1 KDCOptions, every named bit that is not "unusedN". */
const RFC4120_KDC_OPTIONS: ReadonlyArray<readonly [number, string]> = [
  [0, 'reserved'],
  [1, 'forwardable'],
  [2, 'forwarded'],
  [3, 'proxiable'],
  [4, 'proxy'],
  [5, 'allow-postdate'],
  [6, 'postdated'],
  [8, 'renewable'],
  [11, 'opt-hardware-auth'],
  [26, 'disable-transited-check'],
  [27, 'renewable-ok'],
  [28, 'enc-tkt-in-skey'],
  [30, 'renew'],
  [31, 'validate'],
];

const ALL_FLAG_REGISTRIES: ReadonlyArray<readonly [string, FlagRegistry]> = [
  ['ticket flags', ticketFlags],
  ['KDC options', kdcOptions],
  ['AP options', apOptions],
  ['FAST options', fastOptions],
  ['PAC options', pacOptions],
];

describe('bit numbering (RFC 4120 §5.2.8: bit 0 is the most significant bit of the first octet)', () => {
  test('bit 0 is 0x80000000 and bit 31 is 1, always unsigned', () => {
    expect(bitMask(0)).toBe(0x80000000);
    expect(bitMask(1)).toBe(0x40000000);
    expect(bitMask(31)).toBe(1);
    expect(bitMask(32)).toBe(0);
    expect(bitMask(-1)).toBe(0);
  });

  test('setBits lists bits from the most significant', () => {
    expect(setBits(0x40e10000)).toEqual([1, 8, 9, 10, 15]);
    expect(setBits(0x80000001)).toEqual([0, 31]);
    expect(setBits(0)).toEqual([]);
  });

  test('a set built with | that went negative is read as unsigned', () => {
    const negative = TicketFlag.RESERVED | TicketFlag.FORWARDABLE; // -1073741824 in JavaScript
    expect(negative).toBeLessThan(0);
    expect(flagsToHex(negative)).toBe('c0000000');
    expect(flagsToNames(negative, ticketFlags)).toEqual(['reserved', 'forwardable']);
    expect(hasFlags(negative, TicketFlag.RESERVED)).toBe(true);
  });
});

describe('ticket flags (RFC 4120 §5.3)', () => {
  test.each(RFC4120_TICKET_FLAGS)('bit %i is %s', (bit, name) => {
    expect(ticketFlags.byValue(bit)?.name).toBe(name);
    expect(ticketFlags.byName(name)?.mask).toBe(bitMask(bit));
  });

  test('enc-pa-rep is bit 15 (RFC 6806) and anonymous bit 16 (RFC 8062)', () => {
    expect(TicketFlag.ENC_PA_REP).toBe(0x00010000);
    expect(TicketFlag.ANONYMOUS).toBe(0x00008000);
  });

  test('constants are masks matching MIT’s TKT_FLG_* values', () => {
    expect(TicketFlag.FORWARDABLE).toBe(0x40000000);
    expect(TicketFlag.RENEWABLE).toBe(0x00800000);
    expect(TicketFlag.INITIAL).toBe(0x00400000);
    expect(TicketFlag.PRE_AUTHENT).toBe(0x00200000);
    expect(TicketFlag.OK_AS_DELEGATE).toBe(0x00040000);
  });

  test('each flag carries its RFC constant name beside the klist spelling', () => {
    expect(ticketFlags.byValue(1)?.rfcName).toBe('FORWARDABLE');
    expect(ticketFlags.byValue(10)?.rfcName).toBe('PRE-AUTHENT');
    expect(flagsToNames(0x40a00000, ticketFlags, { spelling: 'rfc' })).toEqual([
      'FORWARDABLE',
      'RENEWABLE',
      'PRE-AUTHENT',
    ]);
  });

  test('Windows klist’s 0x40e10000 is forwardable, renewable, initial, pre-authent and bit 15', () => {
    expect(flagsToNames(0x40e10000, ticketFlags)).toEqual([
      'forwardable',
      'renewable',
      'initial',
      'pre-authent',
      'enc-pa-rep',
    ]);
    expect(flagsToNames(0x40e10000, ticketFlags, { spelling: 'windows' })).toEqual([
      'forwardable',
      'renewable',
      'initial',
      'pre_authent',
      'name_canonicalize',
    ]);
  });

  test('the cloud TGT seen in the field, 0x40810000, is forwardable renewable name_canonicalize', () => {
    expect(flagsToNames(0x40810000, ticketFlags, { spelling: 'windows' })).toEqual([
      'forwardable',
      'renewable',
      'name_canonicalize',
    ]);
  });

  test('the Windows spelling reads back to the same flags', () => {
    expect(
      namesToFlags(['forwardable', 'renewable', 'initial', 'pre_authent', 'name_canonicalize'], ticketFlags),
    ).toBe(0x40e10000);
  });

  test('MIT klist -f letters come in klist’s order (H before A)', () => {
    expect(ticketFlagsToKlistString(0x40e00000)).toBe('FRIA');
    expect(ticketFlagsToKlistString(TicketFlag.PRE_AUTHENT | TicketFlag.HW_AUTHENT)).toBe('HA');
    expect(ticketFlagsToKlistString(0x40e10000)).toBe('FRIA'); // klist has no letter for enc-pa-rep
  });
});

describe('KDC options (RFC 4120 §5.4.1)', () => {
  test.each(RFC4120_KDC_OPTIONS)('bit %i is %s', (bit, name) => {
    expect(kdcOptions.byValue(bit)?.name).toBe(name);
  });

  test('later bits: cname-in-addl-tkt 14 (MS-SFU), canonicalize 15 (RFC 6806), request-anonymous 16', () => {
    expect(KdcOption.CNAME_IN_ADDL_TKT).toBe(0x00020000);
    expect(KdcOption.CANONICALIZE).toBe(0x00010000);
    expect(KdcOption.REQUEST_ANONYMOUS).toBe(0x00008000);
  });

  test('Windows’ AS-REQ options 0x40810010 are forwardable, renewable, canonicalize, renewable-ok', () => {
    expect(flagsToNames(0x40810010, kdcOptions)).toEqual([
      'forwardable',
      'renewable',
      'canonicalize',
      'renewable-ok',
    ]);
    expect(
      KdcOption.FORWARDABLE | KdcOption.RENEWABLE | KdcOption.CANONICALIZE | KdcOption.RENEWABLE_OK,
    ).toBe(0x40810010);
  });

  test('renew and validate are the last two bits', () => {
    expect(KdcOption.RENEW).toBe(2);
    expect(KdcOption.VALIDATE).toBe(1);
    expect(KdcOption.ENC_TKT_IN_SKEY).toBe(8);
    expect(KdcOption.DISABLE_TRANSITED_CHECK).toBe(0x20);
  });
});

describe('AP, FAST and PAC options', () => {
  test('AP options (RFC 4120 §5.5.1): reserved, use-session-key, mutual-required', () => {
    expect(apOptions.entries.map((e) => [e.value, e.name])).toEqual([
      [0, 'reserved'],
      [1, 'use-session-key'],
      [2, 'mutual-required'],
    ]);
    expect(ApOption.MUTUAL_REQUIRED).toBe(0x20000000);
  });

  test('FAST options (RFC 6113): hide-client-names is critical, kdc-follow-referrals is not', () => {
    expect(FastOption.HIDE_CLIENT_NAMES).toBe(0x40000000);
    expect(fastOptions.byName('hide-client-names')?.critical).toBe(true);
    expect(fastOptions.byName('kdc-follow-referrals')?.critical).toBe(false);
    for (const option of fastOptions.entries) {
      expect((option.mask & FAST_CRITICAL_OPTIONS_MASK) !== 0).toBe(option.critical);
    }
  });

  test('PA-PAC-OPTIONS: resource-based constrained delegation is bit 3 (0x10000000, as MIT has it)', () => {
    expect(PacOption.RESOURCE_BASED_CONSTRAINED_DELEGATION).toBe(0x10000000);
    expect(flagsToNames(0xf0000000, pacOptions)).toEqual([
      'claims',
      'branch-aware',
      'forward-to-full-dc',
      'resource-based-constrained-delegation',
    ]);
  });
});

describe('names ⇄ numbers', () => {
  test.each(ALL_FLAG_REGISTRIES)('%s: every set of known bits survives the round trip', (_label, table) => {
    const known = table.entries.map((e) => e.mask);
    fc.assert(
      fc.property(fc.subarray(known), (masks) => {
        const flags = masks.reduce((acc, m) => acc | m, 0) >>> 0;
        expect(namesToFlags(flagsToNames(flags, table), table)).toBe(flags);
      }),
    );
  });

  test.each(ALL_FLAG_REGISTRIES)(
    '%s: any 32-bit value survives too, unknown bits as bit-N',
    (_label, table) => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 0xffffffff }), (flags) => {
          expect(namesToFlags(flagsToNames(flags, table), table)).toBe(flags);
          expect(namesToFlags(flagsToNames(flags, table, { spelling: 'windows' }), table)).toBe(flags);
          expect(namesToFlags(flagsToNames(flags, table, { spelling: 'rfc' }), table)).toBe(flags);
        }),
      );
    },
  );

  test('an unknown bit is never hidden', () => {
    expect(flagsToNames(0x00000400, ticketFlags)).toEqual(['bit-21']);
  });

  test('an unknown flag name is an input error that names the table', () => {
    expect(() => namesToFlags(['forwardabel'], ticketFlags)).toThrow(KrbPlayInputError);
    expect(() => namesToFlags(['forwardabel'], ticketFlags)).toThrow(/unknown ticket flag "forwardabel"/);
    expect(() => namesToFlags(['bit-32'], ticketFlags)).toThrow(KrbPlayInputError);
  });

  test('no names is no flags', () => {
    expect(namesToFlags([], kdcOptions)).toBe(0);
  });
});

describe('hex, as klist and the CLI print it', () => {
  test('eight lowercase digits, zero-padded', () => {
    expect(flagsToHex(0x40e10000)).toBe('40e10000');
    expect(flagsToHex(0)).toBe('00000000');
    expect(flagsToHex(0x10)).toBe('00000010');
    expect(flagsToHex(0xffffffff)).toBe('ffffffff');
  });

  test('reads back with or without 0x, and refuses what is not hex', () => {
    expect(parseFlagsHex('0x40E10000')).toBe(0x40e10000);
    expect(parseFlagsHex('40e10000')).toBe(0x40e10000);
    expect(parseFlagsHex('ffffffff')).toBe(0xffffffff);
    expect(parseFlagsHex('')).toBeUndefined();
    expect(parseFlagsHex('123456789')).toBeUndefined();
    expect(parseFlagsHex('forwardable')).toBeUndefined();
  });

  test('hex round-trips every 32-bit value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        (flags) => parseFlagsHex(flagsToHex(flags)) === flags,
      ),
    );
  });
});

// Principal names in one place (src/asn1/principal.ts): the text form MIT's krb5_parse_name and
// krb5_unparse_name use, shared by the KDC, the client, services and the keytab and ccache files.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formatName, formatPrincipal, NT, parsePrincipal, samePrincipal } from '../../../src/asn1/principal';
import { KrbPlayInputError } from '../../../src/util/errors';

describe('parsePrincipal', () => {
  test('components, realm, and the name type a name of that shape has (RFC 4120 §6.2)', () => {
    expect(parsePrincipal('alice@EXAMPLE.TEST')).toEqual({
      realm: 'EXAMPLE.TEST',
      name: { nameType: NT.PRINCIPAL, nameString: ['alice'] },
    });
    expect(parsePrincipal('cifs/fs1.example.test@EXAMPLE.TEST').name).toEqual({
      nameType: NT.SRV_HST,
      nameString: ['cifs', 'fs1.example.test'],
    });
    expect(parsePrincipal('krbtgt/EXAMPLE.TEST@EXAMPLE.TEST').name.nameType).toBe(NT.SRV_INST);
    expect(parsePrincipal('cifs/fs1@R', undefined, NT.PRINCIPAL).name.nameType).toBe(NT.PRINCIPAL);
  });

  test('without a realm the default realm is used; without either it is a typed error', () => {
    expect(parsePrincipal('alice', 'CORP.TEST').realm).toBe('CORP.TEST');
    expect(() => parsePrincipal('alice')).toThrow(KrbPlayInputError);
    expect(() => parsePrincipal('alice')).toThrow('has no realm');
  });

  test('MIT quoting: "\\" escapes "/", "@" and itself; \\n \\t \\b \\0 are control characters', () => {
    const p = parsePrincipal('a\\/b\\@c\\\\d\\n\\t\\b\\0@R\\@S');
    expect(p.name.nameString).toEqual(['a/b@c\\d\n\t\b\0']);
    expect(p.realm).toBe('R@S');
  });

  test('malformed names are typed errors that say what is wrong', () => {
    expect(() => parsePrincipal('alice@A@B')).toThrow('more than one "@"');
    expect(() => parsePrincipal('a//b@R')).toThrow('empty name component');
    expect(() => parsePrincipal('alice\\')).toThrow('lone backslash');
  });
});

describe('formatPrincipal', () => {
  test('quotes the way klist prints: a control character never reaches a trace line raw', () => {
    const p = { realm: 'R@S', name: { nameType: 1, nameString: ['a/b', 'line\nbreak\t\b\0'] } };
    expect(formatPrincipal(p)).toBe('a\\/b/line\\nbreak\\t\\b\\0@R\\@S');
    expect(formatName(p.name)).toBe('a\\/b/line\\nbreak\\t\\b\\0');
    expect(formatPrincipal(p)).not.toMatch(/[\n\t\b\0]/);
  });

  test('what it prints parses back to the same principal', () => {
    const component = fc.string({ minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(component, { minLength: 1, maxLength: 3 }), component, (nameString, realm) => {
        const p = { realm, name: { nameType: NT.PRINCIPAL, nameString } };
        const back = parsePrincipal(formatPrincipal(p));
        expect(samePrincipal(back, p)).toBe(true);
        expect(back.name.nameString).toEqual(nameString);
        expect(back.realm).toBe(realm);
      }),
      { seed: 20260302 },
    );
  });

  test('samePrincipal compares realm and components, not name types (krb5_principal_compare)', () => {
    const a = parsePrincipal('cifs/fs1@R');
    expect(samePrincipal(a, parsePrincipal('cifs/fs1@R', undefined, NT.PRINCIPAL))).toBe(true);
    expect(samePrincipal(a, parsePrincipal('cifs/fs1@Q'))).toBe(false);
    expect(samePrincipal(a, parsePrincipal('cifs/fs2@R'))).toBe(false);
  });
});

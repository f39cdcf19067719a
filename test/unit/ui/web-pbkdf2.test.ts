// The browser's PBKDF2 (WebCrypto, as the page's worker hands it to string-to-key) makes the RFC 3962 and
// RFC 8009 keys; and the engine lists the password keys it makes ahead with it (the costly ones aside:
// those wait for the user's word).
import { describe, expect, test } from 'vitest';
import { stringToKeyAsync } from '../../../src/crypto';
import { Engine } from '../../../src/ui/engine/engine';
import { webPbkdf2 } from '../../../src/ui/engine/web-pbkdf2';
import { fromHex, toHex } from '../../../src/util/bytes';
import kerberos101 from '../../../src/scenarios/catalogue/kerberos-101.json';
import v3962 from '../../fixtures/vectors/rfc3962.json';
import v8009 from '../../fixtures/vectors/rfc8009.json';

describe('webPbkdf2', () => {
  test('WebCrypto is here (Node 20 has it, as browsers do on http://127.0.0.1 and https)', () => {
    expect(webPbkdf2).toBeTypeOf('function');
  });

  test.each([...v3962.string_to_key, ...v8009.string_to_key].map((s) => [`${s.enctype} ${s.iterations}`, s]))(
    '%s: the vector key',
    async (_n, s) => {
      const k = await stringToKeyAsync(
        s.etype,
        s.password_utf8,
        fromHex(s.salt_hex),
        { s2kparams: fromHex(s.s2kparams_hex) },
        undefined,
        webPbkdf2,
      );
      expect(toHex(k.bytes)).toBe(s.key_hex);
    },
  );
});

describe('Engine.passwordKeys', () => {
  test('every password key of the scenario, but the costly ones', () => {
    const s = structuredClone(kerberos101) as {
      kdc: { realms: { principals: Record<string, unknown>[] }[] };
    };
    s.kdc.realms[0]!.principals[0]!.iterations = 300000;
    const engine = new Engine({ scope: 'test', script: 'web-pbkdf2.test.ts' });
    const keys = engine.passwordKeys({ kind: 'json', text: JSON.stringify(s) });
    expect(keys.map((k) => `${k.etype} ${k.salt}`)).toEqual([
      '18 CORP.CONTOSO.COMcifsfs1.corp.contoso.com',
      '17 CORP.CONTOSO.COMcifsfs1.corp.contoso.com',
      '20 CORP.CONTOSO.COMcifsfs1.corp.contoso.com',
      '19 CORP.CONTOSO.COMcifsfs1.corp.contoso.com',
      '23 CORP.CONTOSO.COMcifsfs1.corp.contoso.com',
    ]);
    expect(engine.passwordKeys({ kind: 'json', text: '{' })).toEqual([]);
    expect(engine.passwordKeys({ kind: 'catalogue', id: 'kerberos-101' })).toHaveLength(10);
  });
});

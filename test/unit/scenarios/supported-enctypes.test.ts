// msDS-SupportedEncryptionTypes, one entry of the action table: the KDC picks the enctype of an account's
// service tickets and session keys only from the account's list (MS-KILE 3.3.5.7); cleared, the realm's
// default applies again.
import { describe, expect, test } from 'vitest';
import { runScenario, validateScenario, type Scenario } from '../../../src/scenarios';
import kerberos101 from '../../../src/scenarios/catalogue/kerberos-101.json';

type Json = Record<string, unknown>;
const CIFS = 'cifs/fs1.corp.contoso.com@CORP.CONTOSO.COM';

function withTimeline(timeline: Json[]): Scenario {
  const s = structuredClone(kerberos101) as Json;
  s.timeline = timeline;
  s.outcomes = [{ id: 'ran', description: 'it ran', expect: [{ action: 'logon' }] }];
  return validateScenario(s) as Scenario;
}

const logonMount = (set: Json[]): Json[] => [
  { do: 'logon', host: 'ws1', id: 'logon' },
  ...set,
  { do: 'net-use', host: 'ws1', unc: '\\\\fs1.corp.contoso.com\\share', drive: 'S:', id: 'mount' },
];

/** The KDC's session-key choice for the file server's ticket. */
function cifsChoice(run: ReturnType<typeof runScenario>): string | undefined {
  const lines = run.trace.flatMap((e) => e.narration.map((n) => JSON.stringify(n)));
  return lines.find((l) => l.includes('for the session key') && l.includes(CIFS));
}

describe('set-supported-enctypes', () => {
  test('limited to AES128, the file server ticket session key is AES128 instead of AES256', () => {
    const before = runScenario(withTimeline(logonMount([])));
    expect(cifsChoice(before)).toContain('chose aes256-cts-hmac-sha1-96');

    const run = runScenario(
      withTimeline(logonMount([{ do: 'set-supported-enctypes', principal: CIFS, etypes: [17] }])),
    );
    expect(run.actions[1]).toMatchObject({ ok: true });
    expect(run.actions[2]!.ok).toBe(true);
    expect(cifsChoice(run)).toContain('chose aes128-cts-hmac-sha1-96');
  });

  test('limited to RC4, the session key is RC4 though the client lists AES first', () => {
    const run = runScenario(
      withTimeline(logonMount([{ do: 'set-supported-enctypes', principal: CIFS, etypes: [23] }])),
    );
    expect(run.actions[2]!.ok).toBe(true);
    expect(cifsChoice(run)).toContain('chose rc4-hmac');
  });

  test('cleared, the realm default applies again', () => {
    const run = runScenario(
      withTimeline(
        logonMount([
          { do: 'set-supported-enctypes', principal: CIFS, etypes: [17] },
          { do: 'set-supported-enctypes', principal: CIFS },
        ]),
      ),
    );
    expect(run.actions[3]!.ok).toBe(true);
    expect(cifsChoice(run)).toContain('chose aes256-cts-hmac-sha1-96');
  });

  test('an account no KDC holds is refused with a field error', () => {
    expect(() =>
      runScenario(
        withTimeline(
          logonMount([{ do: 'set-supported-enctypes', principal: 'nobody@CORP.CONTOSO.COM', etypes: [17] }]),
        ),
      ),
    ).toThrow(/no KDC holds nobody@CORP.CONTOSO.COM/);
  });

  test('DefaultDomainSupportedEncTypes applies to an account without the attribute, not to one with it', () => {
    const byDefault = runScenario(
      withTimeline(
        logonMount([{ do: 'set-default-domain-enctypes', realm: 'CORP.CONTOSO.COM', etypes: [17] }]),
      ),
    );
    expect(byDefault.actions[2]!.ok).toBe(true);
    expect(cifsChoice(byDefault)).toContain('chose aes128-cts-hmac-sha1-96');

    const own = runScenario(
      withTimeline(
        logonMount([
          { do: 'set-default-domain-enctypes', realm: 'CORP.CONTOSO.COM', etypes: [17] },
          { do: 'set-supported-enctypes', principal: CIFS, etypes: [18] },
        ]),
      ),
    );
    expect(cifsChoice(own)).toContain('chose aes256-cts-hmac-sha1-96');
  });
});

// The DC's RC4 phase-out for service tickets (CVE-2026-20833, KB5073381) on the virtual calendar: the
// phase by date; an account without msDS-SupportedEncryptionTypes in March (audit: RC4 issued, event 202)
// and in May (enforced: AES-only — 14 without an AES key, an AES ticket with one); a domain with
// DefaultDomainSupportedEncTypes set keeps it.
import { describe, expect, test } from 'vitest';
import { findScenario, runScenario, validateScenario, type Scenario } from '../../../src/scenarios';
import { CATALOGUE_FILES } from '../../../src/scenarios/catalogue/index';
import { implicitEtypes, rc4Phase, RC4_PHASE_DATES } from '../../../src/kdc/rc4-phase';
import { buildKdcState, KdcConfigError, type KdcConfig } from '../../../src/kdc';
import { seededRandom } from './helper';

/** The parts of the scenario file the variants change. */
interface File {
  kdc: { realms: { principals: { etypes?: number[] }[] }[] };
  timeline: Record<string, unknown>[];
  outcomes: unknown[];
}

const base = () =>
  structuredClone(CATALOGUE_FILES.find((f) => (f as { id: string }).id === 'rc4-enforcement-2026')) as File;

/** The catalogue scenario with the storage account's keys and the timeline cut or changed. */
function variant(edit: (json: File) => void): Scenario {
  const json = base();
  edit(json);
  return validateScenario(json) as Scenario;
}

const narrationOf = (run: ReturnType<typeof runScenario>, during: string) => {
  const rec = run.actions.find((a) => a.id === during)!;
  return run.trace
    .filter((e) => e.seq >= rec.fromSeq && e.seq <= rec.toSeq)
    .flatMap((e) => e.narration.map((n) => n.text));
};

const MAY_MOUNTS = {
  id: 'may-mounts',
  description: 'the May mount works',
  expect: [{ action: 'mount-may', ok: true }],
};

describe('the RC4 phase by date', () => {
  test('before, audit from 13 January 2026, enforced from 14 April 2026, final from 14 July 2026', () => {
    expect(rc4Phase(Date.UTC(2025, 11, 31))).toBe('before');
    expect(rc4Phase(RC4_PHASE_DATES.audit - 1)).toBe('before');
    expect(rc4Phase(Date.UTC(2026, 0, 13))).toBe('audit');
    expect(rc4Phase(Date.UTC(2026, 2, 2, 8))).toBe('audit');
    expect(rc4Phase(Date.UTC(2026, 3, 13, 23, 59))).toBe('audit');
    expect(rc4Phase(Date.UTC(2026, 3, 14))).toBe('enforced');
    expect(rc4Phase(Date.UTC(2026, 6, 13))).toBe('enforced');
    expect(rc4Phase(Date.UTC(2026, 6, 14))).toBe('final');
  });
});

describe('an account without msDS-SupportedEncryptionTypes', () => {
  test('RC4 key only: March issues RC4 with event 202; May refuses 14 with event 204', () => {
    const run = runScenario(findScenario('rc4-enforcement-2026') as Scenario);
    const march = run.actions.find((a) => a.id === 'mount-march')!;
    const may = run.actions.find((a) => a.id === 'mount-may')!;
    expect(march.ok).toBe(true);
    expect(narrationOf(run, 'mount-march').some((t) => t.includes('KDCSVC event 202'))).toBe(true);
    expect(may.ok).toBe(false);
    expect(may.errorCode).toBe(14);
    expect(narrationOf(run, 'mount-may').some((t) => t.includes('KDCSVC event 204'))).toBe(true);
    expect(run.outcomes.every((o) => o.ok)).toBe(true);
  });

  test('with an AES key too: March and May both issue an AES ticket, and no event is logged', () => {
    const run = runScenario(
      variant((j) => {
        j.kdc.realms[0]!.principals[1]!.etypes = [18, 17, 23];
        j.timeline = j.timeline.filter(
          (a) => !['reset-key', 'set-aes', 'mount-fixed'].includes(a.id as string),
        );
        j.outcomes = [MAY_MOUNTS];
      }),
    );
    expect(run.outcomes.every((o) => o.ok)).toBe(true);
    for (const id of ['mount-march', 'mount-may']) {
      expect(run.actions.find((a) => a.id === id)!.ok).toBe(true);
      expect(narrationOf(run, id).some((t) => /KDCSVC/.test(t))).toBe(false);
    }
    const cifs = run.world
      .client('ws1')
      .cache.credentials.filter((c) => c.server.name.nameString[0] === 'cifs');
    expect(cifs.at(-1)!.ticketEtype).toBe(18);
  });

  test('a domain whose DefaultDomainSupportedEncTypes is set keeps it in May: RC4 is still issued', () => {
    const run = runScenario(
      variant((j) => {
        j.timeline = j.timeline.filter((a) =>
          ['logon-march', 'unmap', 'to-may', 'logon-may', 'mount-may'].includes(a.id as string),
        );
        j.timeline.unshift({
          id: 'ddset',
          do: 'set-default-domain-enctypes',
          realm: 'CORP.CONTOSO.COM',
          etypes: [18, 17, 23],
        });
        j.outcomes = [MAY_MOUNTS];
      }),
    );
    expect(run.outcomes.every((o) => o.ok)).toBe(true);
    expect(narrationOf(run, 'mount-may').some((t) => /treated as AES-only/.test(t))).toBe(false);
  });
});

describe('a KDC that is no Windows DC', () => {
  const realm = (rc4PhaseOut?: unknown) =>
    ({
      realms: [
        {
          name: 'EXAMPLE.TEST',
          pac: true,
          ...(rc4PhaseOut !== undefined ? { rc4PhaseOut } : {}),
          principals: [{ name: 'host/svc23.example.test', password: 'svc-password', etypes: [23] }],
        },
      ],
    }) as KdcConfig;
  const svc = (config: KdcConfig) => {
    const db = buildKdcState(config, seededRandom()).realms[0]!;
    return { db, server: db.principals.find((p) => p.name.nameString[1] === 'svc23.example.test')! };
  };
  const may = Date.UTC(2026, 4, 1);

  test('rc4PhaseOut false: an RC4-keyed account keeps the realm’s enctypes after April 2026', () => {
    const off = svc(realm(false));
    expect(implicitEtypes(off.server, off.db, may)).toBeUndefined();
    // the same account in a realm that follows the phase-out (the default) is AES-only
    const on = svc(realm());
    expect(implicitEtypes(on.server, on.db, may)).toEqual([18, 17]);
  });

  test('rc4PhaseOut that is not true or false is refused, naming the field', () => {
    expect(() => svc(realm('no'))).toThrow(KdcConfigError);
    expect(() => svc(realm('no'))).toThrow(/realms\[0\]\.rc4PhaseOut/);
  });
});

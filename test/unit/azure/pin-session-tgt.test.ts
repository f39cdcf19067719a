// After a Windows Hello PIN sign-in the LSA holds no password, so it cannot get an on-prem TGT from an
// AS exchange with a password-derived key. In tgt-expiry-cloud-trust the LSA renews the on-prem TGT
// (a TGS-REQ with RENEW) before it ends, and the evening mount uses the renewed TGT; with no valid TGT
// left (purged), the LSA says why it gets none and sends no AS-REQ.
import { describe, expect, test } from 'vitest';
import { findScenario, runScenario, validateScenario, type Scenario } from '../../../src/scenarios';
import type { TraceEvent } from '../../../src/world';

const scenario = findScenario('tgt-expiry-cloud-trust') as Scenario;
const words = (events: TraceEvent[]) => events.flatMap((e) => [e.result, ...e.narration.map((n) => n.text)]);

describe('the on-prem TGT of a PIN logon session', () => {
  const run = runScenario(scenario);

  test('no AS exchange and no password after the PIN sign-in: the LSA renews the TGT before it ends', () => {
    expect(run.trace.filter((e) => e.type === 'AS-REQ')).toEqual([]);
    expect(words(run.trace).some((w) => /string-to-key|PA-ENC-TIMESTAMP/.test(w))).toBe(false);
    const renewal = run.trace.find(
      (e) => e.type === 'TGS-REQ' && e.to === 'dc1' && words([e]).some((w) => /RENEW/.test(w)),
    )!;
    expect(new Date(renewal.t).toISOString()).toBe('2026-03-02T17:55:00.000Z');
    const lsa = run.trace.filter((e) => e.type === 'lsa').map((e) => e.result);
    expect(lsa.some((w) => /holds no password/.test(w) && /renews/.test(w))).toBe(true);
    expect(run.outcomes.filter((o) => !o.ok)).toEqual([]);
  });

  test('the teaches text and the trace agree: the LSA renews it (no "nothing renewed it")', () => {
    expect(scenario.teaches).toMatch(/renews/);
    expect(words(run.trace).some((w) => /TGT krbtgt\/CORP.*nothing renewed it/.test(w))).toBe(false);
  });

  test('purged, with no password to sign in with, the LSA gets no TGT and says why', () => {
    const json = structuredClone(scenario) as unknown as { timeline: Record<string, unknown>[] };
    json.timeline = [
      json.timeline[0]!,
      { id: 'purge', do: 'klist-purge', host: 'ws1' },
      { id: 'get', do: 'klist-get', host: 'ws1', spn: 'cifs/dc1.corp.contoso.com' },
    ];
    const purged = runScenario(validateScenario({ ...json, outcomes: [OUTCOME] }) as Scenario);
    expect(purged.trace.filter((e) => e.type === 'AS-REQ')).toEqual([]);
    const lsa = purged.trace.filter((e) => e.type === 'lsa').map((e) => e.result);
    expect(lsa.some((w) => /holds no password/.test(w))).toBe(true);
  });

  test('a password typed to unlock is one the LSA holds again: purged, it signs in with it', () => {
    const json = structuredClone(scenario) as unknown as { timeline: Record<string, unknown>[] };
    json.timeline = [
      json.timeline[0]!,
      { id: 'purge', do: 'klist-purge', host: 'ws1' },
      { id: 'lock', do: 'lock', host: 'ws1' },
      { id: 'unlock', do: 'unlock', host: 'ws1', password: 'Contoso-Alice-2026!' },
      { id: 'get', do: 'klist-get', host: 'ws1', spn: 'cifs/dc1.corp.contoso.com' },
    ];
    const unlocked = runScenario(validateScenario({ ...json, outcomes: [OUTCOME] }) as Scenario);
    expect(unlocked.trace.filter((e) => e.type === 'AS-REQ').length).toBeGreaterThan(0);
    const lsa = unlocked.trace.filter((e) => e.type === 'lsa').map((e) => e.result);
    expect(lsa.some((w) => /holds no password/.test(w))).toBe(false);
  });
});

const OUTCOME = { id: 'ran', description: 'it ran', expect: [{ action: 'get' }] };

// The scenarios the Entra ID model (src/azure) made available: each runs, every outcome holds, the PRT steps
// are labelled modelled, and a second run is byte for byte the same.
import { describe, expect, test } from 'vitest';
import { findScenario, formatRun, runScenario, type Scenario } from '../../../src/scenarios';

const ENTRA = [
  'happy-path',
  'policy-off',
  'cached-logon-4h-gap',
  'tgt-expiry-10h',
  'offline-cached-logon',
  'reboot-persistent-mount',
  'network-change-drops-proxy',
];
const scenario = (id: string) => findScenario(id) as Scenario;

describe('the Entra ID scenarios', () => {
  test.each(ENTRA)('%s: every outcome holds; the PRT steps are modelled', (id) => {
    const run = runScenario(scenario(id));
    expect(run.complete).toBe(true);
    expect(run.outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(run.outcomes.length).toBeGreaterThanOrEqual(3);
    const prt = run.json.events.filter((e) => e.type.startsWith('PRT-'));
    expect(prt.length).toBeGreaterThan(0);
    expect(prt.every((e) => e.modelled === true && e.transport === 'https')).toBe(true);
  });

  test.each(ENTRA)('%s: deterministic (same seed, same events and bytes)', (id) => {
    const a = runScenario(scenario(id));
    const b = runScenario(scenario(id));
    expect(b.json).toEqual(a.json);
    const bytes = (r: typeof a) => r.world.trace.map((e) => (e.bytes ? Array.from(e.bytes).join(',') : ''));
    expect(bytes(b)).toEqual(bytes(a));
  });

  test('the text of a run shows dsregcmd /status for the hybrid-joined ws1', () => {
    const text = formatRun(runScenario(scenario('happy-path')));
    expect(text).toMatch(/ws1> dsregcmd \/status {3}\(at 2026-03-02T08:00:00Z\)/);
    expect(text).toMatch(/ {20}AzureAdPrt : YES/);
    expect(text).toMatch(/Kdc Called: TicketSuppliedAtLogon/);
  });

  test('--until in the middle of cached-logon-4h-gap: the later outcomes are not reached', () => {
    const run = runScenario(scenario('cached-logon-4h-gap'), { until: Date.parse('2026-03-02T09:30:00Z') });
    expect(run.complete).toBe(false);
    expect(run.outcomes.find((o) => o.id === 'before-no-cloud-tgt')!.ok).toBe(true);
    expect(run.outcomes.find((o) => o.id === 'after-mount-works')!.reached).toBe(false);
  });
});

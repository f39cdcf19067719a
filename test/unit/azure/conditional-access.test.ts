// "Assignment required" on the storage app (src/azure/conditional-access.ts): Microsoft's Azure Files
// troubleshooting guide (its AADSTS50105 section) says that with the setting on, Entra issues no Kerberos
// ticket for the app even to users who are assigned, since assignments (entitlements) are not carried in
// the ticket; the fix is to turn the setting off. mfa-ca-not-excluded plays that: alice assigned and still
// refused, then the setting turned off and the share mounting.
import { describe, expect, test } from 'vitest';
import { findScenario, runScenario, type Scenario } from '../../../src/scenarios';

const run = runScenario(findScenario('mfa-ca-not-excluded') as Scenario);
const action = (id: string) => run.actions.find((a) => a.id === id)!;
const during = (id: string) => {
  const a = action(id);
  return run.world.trace.filter((e) => e.seq >= a.fromSeq && e.seq <= a.toSeq);
};

describe('assignment required on the storage app', () => {
  test('assigning alice does not help: the cloud KDC still refuses her ticket, and says to turn it off', () => {
    expect(action('assign-alice').output).toMatch(/alice@CORP\.CONTOSO\.COM/);
    expect(action('mount-assigned').ok).toBe(false);
    const refusal = during('mount-assigned').find((e) => e.type === 'KRB-ERROR' && e.from === 'entra')!;
    expect(refusal.errorCode).toBe(12);
    const words = during('mount-assigned')
      .flatMap((e) => [e.result, ...e.narration.map((n) => n.text)])
      .join('\n');
    expect(words).toMatch(/AADSTS50105/);
    expect(words).toMatch(/even to users who are assigned/);
    expect(words).toMatch(/turn "Assignment required" off/);
  });

  test('turning "Assignment required" off is the fix: the share mounts with a cloud ticket', () => {
    expect(action('assignment-off').output).toMatch(/no longer requires user assignment/);
    expect(action('mount-unrequired')).toMatchObject({ ok: true });
    expect(during('mount-unrequired').some((e) => e.type === 'TGS-REP' && e.from === 'entra')).toBe(true);
    expect(run.outcomes.every((o) => o.ok)).toBe(true);
  });
});

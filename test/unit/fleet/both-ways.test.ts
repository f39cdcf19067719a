// The fast model against the real world: the same users' plans played both ways give the same hours —
// requests, tickets held, failures and their causes — and the same failures, user by user.
import { describe, expect, test } from 'vitest';
import { fleetBase, modelUser, realUser, userPlan, userScenario, validateFleet } from '../../../src/fleet';

/** Every rule at once: the GPO comes on after some sign-ins, lunch unlocks, network changes, a staged /RefreshPrt, long days. */
const mixed = validateFleet({
  fleet: 'mixed',
  title: 'every rule at once',
  base: 'cached-logon-4h-gap',
  seed: 7,
  signIn: { peak: '08:30', spread: '60m' },
  workHours: '11h',
  lunch: { lock: 0.7, at: '11:45', for: '50m' },
  networkChange: 0.3,
  changes: [
    { day: 0, at: '09:00', do: 'set-policy', policy: 'cloud-kerberos-ticket-retrieval', enabled: true },
    { day: 0, at: '10:00', do: 'dsregcmd-refresh-prt', reach: 0.5 },
    { day: 1, at: '07:00', do: 'set-policy', policy: 'kdc-proxy-servers', enabled: true, reach: 0.5 },
  ],
});

function bothWays(fleet: typeof mixed, users: number, days: number) {
  const base = fleetBase(fleet);
  const hours = days * 24;
  let failures = 0;
  for (let i = 0; i < users; i++) {
    const real = realUser(userScenario(fleet, base, i, days), base, i, hours).tally;
    const model = modelUser(base, i, userPlan(fleet, i, base.start, days), hours);
    expect({ user: i, hours: model.hours }).toEqual({ user: i, hours: real.hours });
    expect(model.failures).toEqual(real.failures);
    failures += real.failures.length;
  }
  return failures;
}

describe('the fast model counts what the real world does', () => {
  test('200 users over one day: identical hours and failures', { timeout: 900_000 }, () => {
    const failures = bothWays(mixed, 200, 1);
    expect(failures).toBeGreaterThan(50);
  });

  test(
    '20 users over three days (overnight locks, morning unlocks, the proxy GPO on day 2)',
    { timeout: 600_000 },
    () => {
      const failures = bothWays(mixed, 20, 3);
      expect(failures).toBeGreaterThan(5);
    },
  );
});

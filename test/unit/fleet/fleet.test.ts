// Fleets whose answers are known by hand, re-running one user byte for byte, the same report for the
// same seed, the presets' issues, and bad fleet files.
import { describe, expect, test } from 'vitest';
import {
  findFleetPreset,
  fleetBase,
  fleetCsv,
  fleetJson,
  modelUser,
  realUser,
  runFleet,
  userPlan,
  userScenario,
  validateFleet,
  type Fleet,
} from '../../../src/fleet';
import { runScenario } from '../../../src/scenarios/runner';
import { ScenarioError } from '../../../src/scenarios/shape';
import { toHex } from '../../../src/util/bytes';

/** 10 users signing in at 08:00 (within that minute), the cloud ticket GPO on, no unlock until the next morning. */
const tenAtEight: Fleet = validateFleet({
  fleet: 'ten-at-eight',
  title: 'ten users at 08:00',
  base: 'tgt-expiry-10h',
  seed: 3,
  clients: 10,
  days: 2,
  signIn: { peak: '08:00', spread: '0m' },
  workHours: '12h',
});

describe('10 users at 08:00 with the GPO on and no unlock until the next morning', () => {
  // By hand, from the rules: the cloud TGT lives 10 h (the cloud realm's maxLife; cached-logon-4h-gap's
  // PRT at 10:30 would give 20:30, but here nobody unlocks, so the 08:00 one stays) and ends at 18:00;
  // the on-prem TGT (10 h) too. The cifs ticket lives 1 h: the drive reconnects every hour with a
  // TGS-REQ through the KDC proxy. At 18:00 the reconnect first signs in at the DC again (2 AS-REQs),
  // then has no cloud TGT: one TGS-REQ to the DC, refused, NTLM refused: 1326. Nothing reconnects after
  // that. The next morning's unlock (24 h after the PRT update) refreshes the PRT: a new cloud TGT.
  const report = runFleet(tenAtEight);
  const hour = (h: number) => report.hours[h]!;

  test('08:00: each user signs in (2 AS-REQs), gets a PRT and mounts the share through the KDC proxy', () => {
    expect(hour(8)).toMatchObject({ as: 20, tgs: 10, kkdcp: 10, prt: 10, held: 30, failures: 0 });
    for (const h of [0, 7]) expect(hour(h)).toMatchObject({ as: 0, tgs: 0, prt: 0, held: 0 });
  });

  test('09:00 to 17:00: one reconnect per user and hour, all through the KDC proxy', () => {
    for (let h = 9; h <= 17; h++)
      expect(hour(h)).toMatchObject({ as: 0, tgs: 10, kkdcp: 10, prt: 0, held: 30, failures: 0 });
  });

  test('18:00: every cloud TGT has expired; each reconnect fails with 1326, the cause named', () => {
    expect(hour(18)).toMatchObject({ as: 20, tgs: 10, kkdcp: 0, prt: 0, held: 10, failures: 10 });
    expect(hour(18).users['expired-cloud-tgt']).toBe(10);
    const at18 = report.failures.filter((f) => f.t < report.start + 19 * 3_600_000);
    expect(at18.map((f) => f.user)).toEqual(
      Array.from({ length: 10 }, (_, i) => `u${String(i + 1).padStart(5, '0')}`),
    );
    expect(at18.every((f) => f.what === 'reconnect' && f.cause === 'expired-cloud-tgt')).toBe(true);
  });

  test('after 18:00 nothing reconnects until the morning unlock, which brings a new cloud TGT', () => {
    for (let h = 19; h <= 31; h++)
      expect(hour(h)).toMatchObject({ as: 0, tgs: 0, kkdcp: 0, prt: 0, failures: 0 });
    expect(hour(27).held).toBe(10); // the on-prem TGT of 18:00 ends at 04:00 and a few seconds
    expect(hour(28).held).toBe(0);
    expect(hour(32)).toMatchObject({ as: 20, tgs: 10, kkdcp: 10, prt: 10, held: 30, failures: 0 });
    // and the next evening the same: the 08:00 cloud TGT ends at 18:00
    expect(hour(42)).toMatchObject({ as: 20, tgs: 10, kkdcp: 0, failures: 10 });
    expect(report.totalFailures).toBe(20);
  });

  test('the real world agrees, and shows the 1326 at 18:00 and the mount working after the unlock', () => {
    const base = fleetBase(tenAtEight);
    for (let i = 0; i < 10; i++) {
      const real = realUser(userScenario(tenAtEight, base, i, 2), base, i, 48).tally;
      expect(real.hours).toEqual(modelUser(base, i, userPlan(tenAtEight, i, base.start, 2), 48).hours);
    }
    const run = runScenario(userScenario(tenAtEight, base, 0, 2));
    const e = run.json.events;
    const fail = e.find((x) => x.windowsError === 1326 && x.action === 'smb')!;
    expect(fail.t).toMatch(/^2026-03-02T18:00:\d\d/);
    expect(fail.result).toMatch(/could not be set up again/);
    const unlock = e.findIndex((x) => x.action === 'unlock' && x.t.startsWith('2026-03-03T08:00'));
    const mount = e.slice(unlock).find((x) => x.action === 'result' && /Drive Z:/.test(x.result))!;
    expect(mount.t).toMatch(/^2026-03-03T08:00:/);
    expect(mount.result).toMatch(/Drive Z: is now connected/);
  });
});

describe('a failure names a user and a time: re-running that user gives the same trace, byte for byte', () => {
  const cliff = findFleetPreset('fleet-10h-cliff')!;
  const report = runFleet(cliff, { clients: 20, days: 1 });

  test('the user re-run alone fails at that time, and twice gives identical bytes', () => {
    const f = report.failures[0]!;
    const base = fleetBase(cliff);
    const once = runScenario(userScenario(cliff, base, f.index, 1));
    const twice = runScenario(userScenario(cliff, base, f.index, 1));
    const bytes = (r: typeof once) =>
      r.world.trace.map((e) => `${e.seq} ${e.t} ${e.type} ${e.bytes ? toHex(e.bytes) : ''}`);
    expect(bytes(twice)).toEqual(bytes(once));
    expect(JSON.stringify(twice.json)).toBe(JSON.stringify(once.json));
    expect(once.world.trace.filter((e) => e.kind === 'message' && e.bytes).length).toBeGreaterThan(20);
    const at = new Date(f.t).toISOString();
    expect(once.json.events.some((e) => e.t === at && e.windowsError === 1326)).toBe(true);
  });
});

describe('same fleet, same seed: the same report', () => {
  test('two runs give identical CSV and JSON; another seed gives other hours', () => {
    const prt = findFleetPreset('fleet-4h-prt')!;
    const a = runFleet(prt, { clients: 300, days: 2 });
    const b = runFleet(prt, { clients: 300, days: 2 });
    expect(fleetCsv(b)).toBe(fleetCsv(a));
    expect(JSON.stringify(fleetJson(b))).toBe(JSON.stringify(fleetJson(a)));
    const other = runFleet({ ...prt, seed: prt.seed + 1 }, { clients: 300, days: 2 });
    expect(fleetCsv(other)).not.toBe(fleetCsv(a));
  });

  test('real users in the mix change nothing in the counts', () => {
    const cliff = findFleetPreset('fleet-10h-cliff')!;
    const fast = runFleet(cliff, { clients: 12, days: 1 });
    const mixed = runFleet(cliff, { clients: 12, days: 1, real: new Set([0, 5, 11]) });
    expect(mixed.real).toEqual([0, 5, 11]);
    expect(fleetCsv(mixed)).toBe(fleetCsv(fast));
    expect(mixed.failures).toEqual(fast.failures);
  });

  test('progress is told after each user, and answering false stops the run', () => {
    const seen: number[] = [];
    const r = runFleet(findFleetPreset('fleet-10h-cliff')!, {
      clients: 50,
      days: 1,
      progress: (done) => (seen.push(done), done < 20),
    });
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(r.complete).toBe(false);
  });
});

describe('the presets show their timing issue', () => {
  test('fleet-10h-cliff: from 17:00 the reconnects fail on expired cloud TGTs, each day; before, only lost proxies', () => {
    const r = runFleet(findFleetPreset('fleet-10h-cliff')!);
    for (let day = 0; day < r.days; day++) {
      const hours = r.hours.slice(day * 24, day * 24 + 24);
      for (const h of hours.slice(0, 16)) expect(h.failures).toBe(h.users['proxy-lost']);
      for (const h of hours.slice(17, 19)) expect(h.users['expired-cloud-tgt']).toBeGreaterThan(150);
    }
    const expired = r.failures.filter((f) => f.cause === 'expired-cloud-tgt');
    expect(expired.length).toBeGreaterThan(0.8 * r.totalFailures);
  });

  test('fleet-4h-prt: after the GPO, a lunch unlock under 4 hours after the PRT brings no cloud TGT, unless /RefreshPrt reached the device', () => {
    const prt = findFleetPreset('fleet-4h-prt')!;
    const r = runFleet(prt);
    const base = fleetBase(prt);
    const noRefresh = r.failures.filter((f) => f.cause === 'no-prt-refresh');
    expect(noRefresh.length).toBeGreaterThan(20);
    for (const f of noRefresh) {
      const plan = userPlan(prt, f.index, base.start, r.days);
      const logon = plan.find((e) => e.do === 'logon')!;
      const unlock = plan.filter((e) => e.do === 'unlock' && e.t <= f.t).pop()!;
      expect(logon.t).toBeLessThan(base.start + 9 * 3_600_000); // signed in before the GPO
      expect(unlock.t - logon.t).toBeLessThan(4 * 3_600_000); // the 4-hour rule kept the PRT
      expect(plan.some((e) => e.do === 'dsregcmd-refresh-prt')).toBe(false); // not reached
    }
    // and the other way round: every such user, found from the plans alone, fails after lunch
    const expected = Array.from({ length: r.clients }, (_, i) => i).filter((i) => {
      const plan = userPlan(prt, i, base.start, r.days);
      const logon = plan.find((e) => e.do === 'logon')!;
      const lunch = plan.find((e) => e.do === 'unlock' && e.t < base.start + 24 * 3_600_000);
      const reached = plan.some((e) => e.do === 'dsregcmd-refresh-prt');
      return logon.t < base.start + 9 * 3_600_000 && lunch && lunch.t - logon.t < 4 * 3_600_000 && !reached;
    });
    expect([...new Set(noRefresh.map((f) => f.index))]).toEqual(expected);
    const early = r.failures.filter((f) => f.t < base.start + 9 * 3_600_000);
    expect(early.length).toBeGreaterThan(100);
    expect(early.every((f) => f.cause === 'policy-off')).toBe(true);
  });
});

describe('a bad fleet file gets a field-named error', () => {
  const good = { fleet: 'f', title: 't', base: 'tgt-expiry-10h' };
  const error = (v: unknown) => {
    try {
      validateFleet(v);
      fleetBase(validateFleet(v));
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      return (e as ScenarioError).message;
    }
    return 'accepted';
  };

  test.each([
    [{ ...good, clients: 0 }, /clients: must be at least 1/],
    [{ ...good, clients: 1e9 }, /clients: must be at most 100000/],
    [{ ...good, days: 2.5 }, /days: must be a whole number/],
    [{ ...good, signIn: { peak: '25:00', spread: '30m' } }, /signIn.peak: .*time of day/],
    [{ ...good, workHours: '30s' }, /workHours: "30s" must be whole minutes/],
    [{ ...good, lunch: { lock: 2, at: '12:00', for: '45m' } }, /lunch.lock: must be at most 1/],
    [
      { ...good, changes: [{ day: 0, at: '09:00', do: 'set-policy' }] },
      /changes\[0\].policy: set-policy needs/,
    ],
    [{ ...good, base: 'nope' }, /base: "nope" is not a scenario of the catalogue/],
    [
      { ...good, base: 'kerberos-101' },
      /base: "kerberos-101" must have exactly one Entra-joined or hybrid-joined device/,
    ],
    [{ ...good, seats: 3 }, /seats: unknown field/],
  ])('%j', (value, message) => {
    expect(error(value)).toMatch(message);
  });
});

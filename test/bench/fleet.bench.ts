// npm run bench -- fleet: 10,000 users × 7 virtual days on the fast model, in Node: wall time, requests per
// second, peak memory, and that a second run gives the same bytes. Then a few users in the real world
// (every message encoded and encrypted), for the cost of a sampled user. Prints figures, never fails on
// them (the goal: under 60 s and under 1 GiB on a 2-core machine).
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { exchanges, findFleetPreset, fleetCsv, fleetJson, runFleet } from '../../src/fleet';

const CLIENTS = Number(process.env.KRBPLAY_BENCH_FLEET_CLIENTS ?? 10_000);
const DAYS = 7;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

describe('fleet', () => {
  for (const id of ['fleet-10h-cliff', 'fleet-4h-prt']) {
    test(`${id}: ${CLIENTS} users × ${DAYS} days on the fast model`, () => {
      const fleet = findFleetPreset(id)!;
      let peakRss = process.memoryUsage().rss;
      const started = performance.now();
      const report = runFleet(fleet, {
        clients: CLIENTS,
        days: DAYS,
        progress: (done) => {
          if (done % 500 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
        },
      });
      const seconds = (performance.now() - started) / 1000;
      peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
      const n = exchanges(report);
      const out = JSON.stringify(fleetJson(report));
      const again = JSON.stringify(fleetJson(runFleet(fleet, { clients: CLIENTS, days: DAYS })));
      console.log(
        `${id}: ${CLIENTS} users × ${DAYS} days: ${seconds.toFixed(2)} s wall, ${n} requests (AS, TGS, PRT) = ${Math.round(n / seconds)}/s, ` +
          `${report.totalFailures} failed share accesses, peak RSS ${mib(peakRss)}; output ${digest(out)} (CSV ${digest(fleetCsv(report))}), second run ${out === again ? 'byte-identical' : 'DIFFERENT'}`,
      );
      expect(out).toBe(again);
    });
  }

  test('a sampled user in the real world (7 days)', () => {
    const fleet = findFleetPreset('fleet-10h-cliff')!;
    const users = 3;
    const started = performance.now();
    const report = runFleet(fleet, { clients: users, days: DAYS, real: new Set([0, 1, 2]) });
    const seconds = (performance.now() - started) / 1000;
    const n = exchanges(report);
    console.log(
      `real world: ${users} users × ${DAYS} days: ${seconds.toFixed(2)} s wall (${(seconds / users).toFixed(2)} s a user), ${n} requests = ${Math.round(n / seconds)}/s`,
    );
    expect(fleetCsv(report)).toBe(fleetCsv(runFleet(fleet, { clients: users, days: DAYS })));
  });
});

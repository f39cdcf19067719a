// A service ticket found in the credential cache asks no KDC anything, so the client does not say which
// realm it would ask: in trust-referral, the second `klist get` for the cloud share said "asking the home
// realm … so that it can refer us on", then "found … in the credential cache: nothing to send".
import { describe, expect, test } from 'vitest';
import { catalogue, runScenario, type Scenario } from '../../../src/scenarios';

const ASKING = /asking the home realm|host-to-realm mapping|named explicitly/;

describe('a ticket from the cache', () => {
  const runs = catalogue()
    .filter((s): s is Scenario => s.available)
    .map((s) => ({ id: s.id, run: runScenario(s) }));

  test('says only that it was found: no realm is asked', () => {
    let fromCache = 0;
    for (const { id, run } of runs) {
      for (const e of run.world.trace) {
        if (!e.narration.some((n) => /in the credential cache, valid until .*: nothing to send/.test(n.text)))
          continue;
        fromCache++;
        const asked = e.narration.filter((n) => ASKING.test(n.text)).map((n) => n.text);
        expect(asked, `${id} #${e.seq}`).toEqual([]);
      }
    }
    // the catalogue has such requests (trust-referral's second klist get, a mount after a klist get …)
    expect(fromCache).toBeGreaterThan(0);
  });

  test('a ticket asked for the first time still says which realm it asks, and why', () => {
    const trust = runs.find((r) => r.id === 'trust-referral')!.run;
    const said = trust.world.trace.flatMap((e) => e.narration.map((n) => n.text));
    expect(said.some((t) => /no host-to-realm mapping for contosofiles.*asking the home realm/.test(t))).toBe(
      true,
    );
  });
});

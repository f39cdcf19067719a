// A snapshot is the whole run: the world holds everything the actions change (who is signed in, the
// password the LSA holds, CloudAP's PRT, mapped drives, the notes on the trace), so restoring a snapshot
// taken in the middle of a timeline and playing on gives exactly what playing on without it gives.
import { describe, expect, test } from 'vitest';
import { buildWorld, catalogue, findScenario, playAction, type Scenario } from '../../../src/scenarios';
import { World } from '../../../src/world';

/** Plays timeline[from..] on the world; returns the action records. */
function playFrom(world: World, scenario: Scenario, from: number) {
  return scenario.timeline
    .slice(from)
    .map((action, i) => playAction(world, scenario, action, from + i).record);
}

function restoreAt(scenario: Scenario, k: number): void {
  const world = buildWorld(scenario);
  playFrom(world, { ...scenario, timeline: scenario.timeline.slice(0, k) }, 0);
  const mid = world.snapshot();
  const straight = playFrom(world, scenario, k);
  const restored = World.restore(mid);
  const again = playFrom(restored, scenario, k);
  expect(again).toEqual(straight);
  // the same trace, notes, hosts (clients, Windows), KDC databases and random state
  expect(restored.snapshot()).toEqual(world.snapshot());
}

describe('restoring a snapshot and playing on gives the same run as playing on', () => {
  const available = catalogue().filter((s): s is Scenario => s.available);

  for (const scenario of available) {
    test(`${scenario.id}: restored halfway`, () => {
      restoreAt(scenario, Math.floor(scenario.timeline.length / 2));
    });
  }

  // where, before the world held the Windows hosts' state, a restored world played on differently (the
  // signed-in user, the password the LSA holds, lived beside it)
  for (const id of ['tgt-expiry-10h', 'offline-cached-logon', 'rc4-disabled']) {
    test(`${id}: restored after every step`, () => {
      const scenario = findScenario(id) as Scenario;
      for (let k = 1; k < scenario.timeline.length; k++) restoreAt(scenario, k);
    });
  }
});

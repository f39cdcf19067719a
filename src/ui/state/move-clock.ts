/**
 * The clock in the user's hands: moving the timeline's clock to a time is either a clock entry put into
 * the timeline after the current step (`advance` by the whole minutes between, played with everything
 * the hosts do on their own on the way) or, for an earlier time, going back to the step at that time.
 * Every way of moving it (a drag, the keys, a typed time, a click on a ticket's row) comes through here.
 */
import { clampClock, clockMove, clockRange } from '../lib/timeline';
import type { Playground } from './playground.svelte';

export async function moveClockTo(pg: Playground, target: number): Promise<void> {
  const s = pg.summary;
  if (!s || pg.status !== 'ready') return;
  const move = clockMove(clampClock(clockRange(s.scenario.start), target), s);
  if (move.kind === 'forward') await pg.insertAction({ do: 'advance', by: move.by }, 'clock');
  else if (move.kind === 'back') await pg.goto(move.step);
}

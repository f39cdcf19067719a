// ws1's klist and dsregcmd /status at the end of a catalogue scenario (played up to `until`): the engine's
// own output, as a customer would paste it.
import { dsregcmdStatus } from '../../../src/azure';
import { listWindows } from '../../../src/client';
import { clientCache, findScenario, runScenario, startOf, type Scenario } from '../../../src/scenarios';

export function pasteOf(id: string, until?: (start: number) => number) {
  const s = findScenario(id) as Scenario;
  const run = runScenario(s, until ? { until: until(startOf(s)) } : {});
  const now = run.world.hostNow('ws1');
  const klist = listWindows(clientCache(run, 'ws1'), { now });
  const dsreg = dsregcmdStatus(run.world, 'ws1');
  return { run, now, start: startOf(s), klist, dsreg, text: klist + dsreg };
}

// w32tm /resync, one entry of the action table: the host's clock is set to its domain controller's, so
// a sign-in refused for skew works after it; typed at the prompt it reads back as the same action.
import { describe, expect, test } from 'vitest';
import {
  commandLine,
  parseCommand,
  runScenario,
  validateScenario,
  type Scenario,
} from '../../../src/scenarios';
import kerberos101 from '../../../src/scenarios/catalogue/kerberos-101.json';

type Json = Record<string, unknown>;

/** kerberos-101 with ws1's clock 10 minutes ahead (past the KDC's 5-minute skew), then `timeline`. */
function skewed(timeline: Json[]): Scenario {
  const s = structuredClone(kerberos101) as Json;
  (s.hosts as Json[]).find((h) => h.id === 'ws1')!.clockOffset = '+10m';
  s.timeline = timeline;
  s.outcomes = [{ id: 'ran', description: 'it ran', expect: [{ action: 'logon' }] }];
  return validateScenario(s) as Scenario;
}

describe('w32tm /resync', () => {
  test('without it, the skewed host is refused (KRB_AP_ERR_SKEW); after it, the sign-in works', () => {
    const before = runScenario(skewed([{ do: 'logon', host: 'ws1', id: 'logon' }]));
    expect(before.actions[0]!.ok).toBe(false);
    expect(before.actions[0]!.errorCode).toBe(37);

    const after = runScenario(
      skewed([
        { do: 'w32tm-resync', host: 'ws1', id: 'resync' },
        { do: 'logon', host: 'ws1', id: 'logon' },
      ]),
    );
    expect(after.actions[0]).toMatchObject({ ok: true, output: 'The command completed successfully.' });
    expect(after.actions[1]!.ok).toBe(true);
    expect(after.world.hosts.find((h) => h.id === 'ws1')!.clockOffset).toBe(0);
    // the trace says the clock was set
    const lines = after.trace.filter((e) => e.kind === 'action' && e.from === 'ws1').map((e) => e.type);
    expect(lines).toContain('set-skew');
  });

  test('with its domain controller down there is no time data, and the clock stays', () => {
    const run = runScenario(
      skewed([
        { do: 'host-down', host: 'dc1' },
        { do: 'w32tm-resync', host: 'ws1', id: 'logon' },
      ]),
    );
    expect(run.actions[1]).toMatchObject({
      ok: false,
      output: 'The computer did not resync because no time data was available.',
    });
    expect(run.world.hosts.find((h) => h.id === 'ws1')!.clockOffset).toBe(10 * 60_000);
  });

  test('typed at the prompt, it prints and parses back; a stray word is refused', () => {
    expect(commandLine({ do: 'w32tm-resync', host: 'ws1' })).toBe('w32tm /resync');
    expect(parseCommand('ws1', 'W32TM /Resync')).toEqual({ do: 'w32tm-resync', host: 'ws1' });
    expect(() => parseCommand('ws1', 'w32tm /resync /force')).toThrow(/takes nothing after it/);
  });
});

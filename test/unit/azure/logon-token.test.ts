// whoami /groups reads the logon token: the SIDs the PAC of the logon's TGT carried, fixed at logon. A
// change in the directory shows only after a new logon, while the file server checks the SIDs of the
// service ticket presented, as before.
import { describe, expect, test } from 'vitest';
import {
  parseCommand,
  runScenario,
  validateScenario,
  type Scenario,
  type ScenarioRun,
} from '../../../src/scenarios';
import groupSidGrants from '../../../src/scenarios/catalogue/group-sid-grants.json';

type Json = Record<string, unknown>;
const FINANCE = 'S-1-5-21-2146773085-903363285-719344707-1120';

/** group-sid-grants' world with this timeline: typed lines at ws1, or actions. */
function play(steps: (string | Json)[]): ScenarioRun {
  const s = structuredClone(groupSidGrants) as Json;
  s.timeline = steps.map((step) => (typeof step === 'string' ? parseCommand('ws1', step) : step));
  (s.timeline as Json[])[0]!.id = 'first';
  s.outcomes = [{ id: 'ran', description: 'it ran', expect: [{ action: 'first' }] }];
  return runScenario(validateScenario(s) as Scenario);
}

/** What step `i` printed on ws1's console. */
function printed(run: ScenarioRun, i: number): string {
  const a = run.actions[i]!;
  return run.trace
    .filter((e) => e.seq >= a.fromSeq && e.seq <= a.toSeq && e.kind === 'action' && e.from === 'ws1')
    .map((e) => e.result)
    .join('\n');
}

const leave = { do: 'remove-group-member', principal: 'alice@CORP.CONTOSO.COM', group: FINANCE };

describe('whoami /groups: the logon token', () => {
  const run = play([
    'logon',
    'whoami /groups',
    leave,
    'whoami /groups',
    'klist purge',
    'net use Z: \\\\contosoadds.file.core.windows.net\\teams',
    'type Z:\\finance\\budget.xlsx',
    'whoami /groups',
    'logon',
    'whoami /groups',
  ]);

  test('the group the PAC of the logon carried is listed, and still is after leaving it in the directory', () => {
    expect(printed(run, 1)).toContain(`${FINANCE} `);
    expect(printed(run, 3)).toContain(`${FINANCE} `);
  });

  test('the file server checks the new ticket: refused while the token still lists the group', () => {
    expect(run.actions[6]).toMatchObject({ do: 'type', ok: false });
    expect(printed(run, 7)).toContain(`${FINANCE} `);
  });

  test('a new logon builds a new token without the group', () => {
    expect(run.actions[8]).toMatchObject({ do: 'logon', ok: true });
    const after = printed(run, 9);
    expect(after).not.toContain(FINANCE);
    expect(after).toMatch(/CORP\\Domain Users +Group +S-1-5-21-2146773085-903363285-719344707-513 /);
  });
});

describe('whoami /groups after a cloud-only logon', () => {
  test("a cloud-only logon replaces an earlier logon's token with the cloud-only user's SIDs", async () => {
    const { cloudSidFromObjectId } = await import('../../../src/azure/cloud-sid');
    const { logon } = await import('../../../src/azure/windows');
    const { whoamiGroups } = await import('../../../src/azure/shell');
    const { windowsHost } = await import('../../../src/azure/windows-host');
    const cloudOnly = (await import('../../../src/scenarios/catalogue/cloud-only-identity.json')).default;
    const s = structuredClone(cloudOnly) as Json;
    s.timeline = [parseCommand('ws1', 'logon')];
    (s.timeline as Json[])[0]!.id = 'first';
    s.outcomes = [{ id: 'ran', description: 'it ran', expect: [{ action: 'first' }] }];
    const { world } = runScenario(validateScenario(s) as Scenario);
    // an earlier logon's token on this host
    windowsHost(world, 'ws1').token = { groupSids: [FINANCE] };
    expect(logon(world, 'ws1').ok).toBe(true);
    expect(windowsHost(world, 'ws1').token?.groupSids).toEqual([
      cloudSidFromObjectId('a3d9e5f1-0c2b-4e7a-9f16-5b8c4d2e7a90'),
    ]);
    expect(whoamiGroups(world, 'ws1').output).toBe('6 groups (1 from the PAC)');
  });
});

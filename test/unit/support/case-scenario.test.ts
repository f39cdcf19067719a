import { describe, expect, test } from 'vitest';
import { findScenario, runScenario, type Scenario } from '../../../src/scenarios';
import { caseScenario, readCase } from '../../../src/support';
import { pasteOf } from './paste-of';

const HOUR = 3_600_000;
const MIN = 60_000;

const firstFailure = (run: ReturnType<typeof runScenario>) => run.actions.find((a) => !a.ok);

describe('a run started from a pasted case', () => {
  test('tgt-expiry-10h pasted at 18:05: the built world fails at the same virtual time, with the same error', () => {
    const paste = pasteOf('tgt-expiry-10h', (start) => start + 10 * HOUR + 5 * MIN);
    const built = caseScenario(readCase(paste.text), paste.now)!;
    expect(built.world).toMatchObject({
      join: 'hybrid',
      realm: 'CORP.CONTOSO.COM',
      cloudTicketPolicy: true,
      azureFiles: true,
      signIn: Date.UTC(2026, 2, 2, 8),
      mount: Date.UTC(2026, 2, 2, 8),
    });
    const replay = runScenario(built.scenario);
    const catalogue = runScenario(findScenario('tgt-expiry-10h') as Scenario);
    const mine = firstFailure(replay)!;
    const theirs = firstFailure(catalogue)!;
    expect(mine.do).toBe('net-use');
    expect(Math.floor(mine.t / MIN)).toBe(Math.floor(theirs.t / MIN));
    expect(mine.windowsError).toBe(1326);
    expect(mine.windowsError).toBe(theirs.windowsError);
  });

  test('a paste time given before the storage ticket started: the run goes to the share at the mount, not before it', () => {
    const paste = pasteOf('happy-path');
    // the customer mounted at 10:00, two hours after signing in; the time typed beside the paste says 09:00
    const text = paste.text.replace(
      /(Server: cifs\/contosofiles[^\n]*\n[^\n]*\n[^\n]*\n\s*Start Time: )3\/2\/2026 8:00:00/,
      '$13/2/2026 10:00:00',
    );
    expect(text).not.toBe(paste.text);
    const built = caseScenario(readCase(text), Date.UTC(2026, 2, 2, 9))!;
    expect(built.world.mount).toBe(Date.UTC(2026, 2, 2, 10));
    expect(built.world.takenAt).toBeGreaterThanOrEqual(built.world.mount!);
    const replay = runScenario(built.scenario);
    expect(firstFailure(replay)).toBeUndefined();
  });

  test('the happy-path end state replays without a failure, its realm and tenant kept', () => {
    const paste = pasteOf('happy-path');
    const built = caseScenario(readCase(paste.text), paste.now)!;
    expect(built.world.tenantId).toBe('3c4e9b1d-5a8f-4e2b-9d6c-1f0a7e8b2c4d');
    expect(firstFailure(runScenario(built.scenario))).toBeUndefined();
  });

  test("policy-off: the built world has the policy off, and the case's realm and tenant are its own", () => {
    const paste = pasteOf('policy-off');
    const text = paste.text
      .replaceAll('CORP.CONTOSO.COM', 'FABRIKAM.EXAMPLE')
      .replaceAll('3c4e9b1d-5a8f-4e2b-9d6c-1f0a7e8b2c4d', '0b5f4e3c-1d2a-4b6c-8e9f-a1b2c3d4e5f6');
    const built = caseScenario(readCase(text), paste.now)!;
    expect(built.world).toMatchObject({ cloudTicketPolicy: false, realm: 'FABRIKAM.EXAMPLE' });
    expect(built.scenario.kdc.realms.map((r) => r.name)).toContain('FABRIKAM.EXAMPLE');
    expect(built.scenario.entra?.tenantId).toBe('0b5f4e3c-1d2a-4b6c-8e9f-a1b2c3d4e5f6');
    const run = runScenario(built.scenario);
    expect(run.actions.find((a) => a.id === 'case-time')).toMatchObject({ ok: false, windowsError: 1326 });
  });

  test('an AD-only klist builds an AD-joined world; a paste with no time builds none', () => {
    const klist = [
      'Current LogonId is 0:0x5c3e1',
      'Cached Tickets: (1)',
      '#0>     Client: bob @ CONTOSO.COM',
      '        Server: krbtgt/CONTOSO.COM @ CONTOSO.COM',
      '        Start Time: 5/6/2026 9:00:00 (local)',
      '        End Time:   5/6/2026 19:00:00 (local)',
    ].join('\n');
    const built = caseScenario(readCase(klist))!;
    expect(built.world).toMatchObject({ join: 'ad', realm: 'CONTOSO.COM', azureFiles: false });
    expect(runScenario(built.scenario).actions.every((a) => a.ok)).toBe(true);
    expect(caseScenario(readCase('nothing here'))).toBeUndefined();
  });
});

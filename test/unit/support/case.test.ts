import { describe, expect, test } from 'vitest';
import { dsregcmdStatus } from '../../../src/azure';
import { listWindows, showWindowsTgt } from '../../../src/client';
import { clientCache, findScenario, runScenario, type Scenario } from '../../../src/scenarios';
import { readCase } from '../../../src/support';

describe('a pasted case: several outputs in one paste', () => {
  const run = runScenario(findScenario('happy-path') as Scenario);
  const now = run.world.hostNow('ws1');
  const cache = clientCache(run, 'ws1');
  const klist = listWindows(cache, { now });
  const dsreg = dsregcmdStatus(run.world, 'ws1');
  const tgt = showWindowsTgt(cache.credentials[0]!, { now }).join('\n');

  test("the playground's klist, klist tgt and dsregcmd one after the other: each read, nothing unread", () => {
    const c = readCase(['C:\\> klist', klist, tgt, dsreg].join('\n'));
    expect(c.sections.map((s) => s.kind)).toEqual(['windows-klist', 'klist-tgt', 'dsregcmd']);
    expect(c.windowsKlists[0]!.tickets).toHaveLength(cache.credentials.length);
    expect(c.klistTgts[0]!.clientName).toBe('alice');
    expect(c.dsregcmds[0]!.sso.cloudTgt).toBe(true);
    expect(c.unread).toEqual([{ line: 1, text: 'C:\\> klist' }]);
  });

  test('the LogonId line goes with the output it heads, a klist tgt error included', () => {
    const c = readCase(
      'Current LogonId is 0:0x3e7\nError calling API LsaCallAuthenticationPackage (ShowTgt substatus): 0x8009030e\n' +
        'Ticket cache: FILE:/tmp/krb5cc_0\nDefault principal: a@R\n\nRegistered ServicePrincipalNames for CN=X:\n\tcifs/x\n' +
        'Registered ServicePrincipalNames for CN=Y:\n\tcifs/y\n',
    );
    expect(c.sections).toEqual([
      { kind: 'klist-tgt', from: 1, to: 2 },
      { kind: 'mit-klist', from: 3, to: 4 },
      { kind: 'setspn', from: 6, to: 9 },
    ]);
    expect(c.klistTgts[0]!.logonId).toBe('0:0x3e7');
    expect(c.setspns[0]!.accounts.map((a) => a.dn)).toEqual(['CN=X', 'CN=Y']);
    expect(c.unread).toEqual([]);
  });

  test('text that is none of the commands is all unread, numbered', () => {
    const c = readCase('hello\n\nworld');
    expect(c.sections).toEqual([]);
    expect(c.unread).toEqual([
      { line: 1, text: 'hello' },
      { line: 3, text: 'world' },
    ]);
  });
});

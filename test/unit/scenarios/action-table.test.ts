// The action table: every kind of timeline action is one entry, and an entry's command line prints and
// parses back to the same action; a line that names no command, or a command with a bad word, is a
// CommandLineError that says why (and how the command is written).
import { describe, expect, test } from 'vitest';
import {
  ACTION_KINDS,
  ACTIONS,
  catalogue,
  commandLine,
  CommandLineError,
  knownOf,
  parseCommand,
  type Scenario,
  type ScenarioAction,
} from '../../../src/scenarios';
import { KrbPlayError } from '../../../src/util/errors';

const scenarios = catalogue().filter((s): s is Scenario => s.available);
const byId = (id: string) => scenarios.find((s) => s.id === id)!;

/** The action without what only the timeline gives it (its id, time and note). */
const own = (a: ScenarioAction) => {
  const { id: _id, at: _at, note: _note, ...rest } = a;
  return rest;
};

function refusal(host: string, line: string, scenario?: Scenario): CommandLineError {
  try {
    parseCommand(host, line, scenario && knownOf(scenario));
  } catch (e) {
    expect(e).toBeInstanceOf(CommandLineError);
    expect(e).toBeInstanceOf(KrbPlayError);
    return e as CommandLineError;
  }
  throw new Error(`"${line}" was accepted`);
}

describe('the action table', () => {
  test('every kind of action is one entry, each kind once', () => {
    const kinds = ACTIONS.map((e) => e.do);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds.length).toBeGreaterThanOrEqual(25);
  });

  test('the validator lists the kinds in the order it always did; a new entry comes after them', () => {
    const before =
      'logon, net-use, klist-get, klist-purge, advance, set-skew, block-port, unblock-port, link-down, link-up, host-down, host-up, change-password, rotate-key, sync-key, set-host-realm, test-netconnection, lock, unlock, reboot, dsregcmd-refresh-prt, dsregcmd-status, set-policy, network-change, klist';
    expect(ACTION_KINDS.slice(0, 25).join(', ')).toBe(before);
  });

  test('every catalogue action with a command line prints and parses back to the same action', () => {
    const typed = new Set<string>();
    let lines = 0;
    for (const s of scenarios) {
      for (const a of s.timeline) {
        const line = commandLine(a);
        if (line === undefined) continue;
        lines++;
        typed.add(a.do);
        const host = (a as { host: string }).host;
        expect(parseCommand(host, line), `${s.id}: ${line}`).toEqual(own(a));
        // checked as the timeline is, against the scenario's hosts and clients: the same action
        expect(parseCommand(host, line, knownOf(s)), `${s.id}: ${line}`).toEqual(own(a));
      }
    }
    expect(lines).toBeGreaterThan(20);
    // every command the catalogue types is covered, and these are all of them
    const commands = ACTIONS.filter((e) => 'command' in e).map((e) => e.do);
    expect([...typed].sort()).toEqual(commands.filter((k) => typed.has(k)).sort());
    expect(typed.size).toBeGreaterThanOrEqual(6);
  });

  test('Windows reads command names and switches in any case, and spaces do not matter', () => {
    expect(parseCommand('ws1', '  KLIST   GET cifs/fs1.corp.contoso.com ')).toEqual({
      do: 'klist-get',
      host: 'ws1',
      spn: 'cifs/fs1.corp.contoso.com',
    });
    expect(parseCommand('ws1', 'dsregcmd /refreshprt')).toEqual({ do: 'dsregcmd-refresh-prt', host: 'ws1' });
    expect(parseCommand('ws1', 'test-netconnection fs1 -port 445')).toEqual({
      do: 'test-netconnection',
      host: 'ws1',
      target: 'fs1',
      port: 445,
    });
    expect(parseCommand('ws1', 'net use z: \\\\fs1\\share')).toEqual({
      do: 'net-use',
      host: 'ws1',
      unc: '\\\\fs1\\share',
      drive: 'z:',
    });
  });

  test('a line that is no command says so, and lists what the console knows', () => {
    const e = refusal('ws1', 'format c:');
    expect(e.reason).toMatch(/^'format' is not a command the playground knows; it knows: .*klist get SPN/);
    expect(e.syntax).toBeUndefined();
    expect(refusal('ws1', '   ').reason).toMatch(/^nothing was typed/);
  });

  test('a command with a bad word names the word and the command’s syntax', () => {
    const cases: [string, RegExp][] = [
      ['klist get', /which service\?/],
      ['klist get a b', /takes one SPN/],
      ['klist get krbtgt', /"krbtgt" must be a service name like cifs\/host/],
      ['klist purge now', /takes nothing after it, not "now"/],
      ['klist tickets', /takes nothing after it/],
      ['net use Z:', /which share\?/],
      ['net use Q \\\\fs1\\share', /"Q" must be a drive letter like "Z:"/],
      ['net use Z: fs1\\share', /"fs1\\share" must be a UNC path/],
      ['net use Z: \\\\fs1\\share /persistent:maybe', /\/persistent:maybe is not a switch/],
      ['net use \\\\fs1\\share /persistent:yes', /remembers a drive: name one/],
      ['Test-NetConnection fs1', /names a host and a port/],
      ['Test-NetConnection fs1 -Port x', /"x" is not a port number/],
      ['Test-NetConnection fs1 -Port 70000', /must be at most 65535, not 70000/],
      ['dsregcmd /status /verbose', /takes nothing after it/],
    ];
    for (const [line, reason] of cases) {
      const e = refusal('ws1', line);
      expect(e.reason, line).toMatch(reason);
      expect(e.syntax, line).toBeDefined();
      expect(e.message, line).toContain(`(write it as: ${e.syntax})`);
    }
  });

  test('with the scenario known, a command is checked as its timeline would be, the field named', () => {
    const s = byId('kerberos-101');
    const host = s.clients[0]!.host;
    expect(refusal(host, 'Test-NetConnection nohost -Port 445', s).reason).toMatch(
      /^target: there is no host "nohost"/,
    );
    const server = s.hosts.find((h) => !s.clients.some((c) => c.host === h.id))!.id;
    expect(refusal(server, 'klist', s).reason).toMatch(/^host: .* has no client/);
  });
});

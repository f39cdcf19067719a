// The rest of the Windows console, each command a timeline entry run on the happy-path world (hybrid ws1,
// dc1, Entra, Azure Files): what it prints in Windows' words, what it changes, and that what is typed
// prints and parses back to the same action.
import { describe, expect, test } from 'vitest';
import {
  commandLine,
  parseCommand,
  runScenario,
  validateScenario,
  type Scenario,
  type ScenarioAction,
  type ScenarioRun,
} from '../../../src/scenarios';
import { klist } from '../../../src/azure';
import { gist } from '../../../src/scenarios/actions/windows-shell';
import happyPath from '../../../src/scenarios/catalogue/happy-path.json';

type Json = Record<string, unknown>;

const SHARE = '\\\\contosofiles.file.core.windows.net\\profiles';

/** happy-path with this timeline: each step a typed line at ws1 (with `at` after "@ "), or an action. */
function play(steps: (string | Json)[]): ScenarioRun {
  const s = structuredClone(happyPath) as Json;
  s.timeline = steps.map((step) => {
    if (typeof step !== 'string') return step;
    const [line, at] = step.split(' @ ');
    return { ...parseCommand('ws1', line!), ...(at ? { at } : {}) };
  });
  (s.timeline as Json[])[0]!.id = 'first';
  s.outcomes = [{ id: 'ran', description: 'it ran', expect: [{ action: 'first' }] }];
  return runScenario(validateScenario(s) as Scenario);
}

/** What step `i` printed on ws1's console (its trace lines). */
function printed(run: ScenarioRun, i: number): string[] {
  const a = run.actions[i]!;
  return run.trace
    .filter((e) => e.seq >= a.fromSeq && e.seq <= a.toSeq && e.kind === 'action' && e.from === 'ws1')
    .map((e) => e.result);
}

/** The messages step `i` sent, as "TYPE to" ("TGS-REQ entra"). */
function messages(run: ScenarioRun, i: number): string[] {
  const a = run.actions[i]!;
  return run.trace
    .filter((e) => e.seq >= a.fromSeq && e.seq <= a.toSeq && e.kind === 'message')
    .map((e) => `${e.type} ${e.to}`);
}

const roundTrip = (line: string): ScenarioAction => {
  const a = parseCommand('ws1', line);
  expect(parseCommand('ws1', commandLine(a)!)).toEqual(a);
  return a;
};

describe('net use /persistent:yes, shutdown /r, logon: the drive comes back with a new ticket', () => {
  const run = play([
    'logon',
    `net use Z: ${SHARE} /persistent:yes`,
    'shutdown /r @ 2026-03-03T08:00:00Z',
    'net use',
    'logon',
    'net use',
  ]);

  test('the mapping is remembered; after the restart it is listed Unavailable', () => {
    expect(run.actions[1]).toMatchObject({ ok: true, do: 'net-use' });
    expect(run.actions[2]).toMatchObject({ ok: true, do: 'reboot' });
    const listing = printed(run, 3).join('\n');
    expect(listing).toContain(`Unavailable  Z:        ${SHARE}\n${' '.repeat(49)}Microsoft Windows Network`);
    expect(listing).toMatch(/^New connections will be remembered\./);
  });

  test('the sign-in reconnects Z: with a new service ticket from the cloud realm', () => {
    expect(run.actions[4]).toMatchObject({ ok: true, do: 'logon' });
    expect(run.actions[4]!.output).toMatch(/Z: reconnected$/);
    const lines = printed(run, 4);
    expect(lines).toContain(`ws1: Windows reconnects the remembered drive Z: to ${SHARE}`);
    expect(lines).toContain(`Drive Z: is now connected to ${SHARE}. The command completed successfully.`);
    // a new TGS exchange for the cifs ticket, through the KDC proxy, after the sign-in's own messages
    expect(messages(run, 4)).toContain('TGS-REQ entra');
    expect(printed(run, 5).join('\n')).toMatch(/\nOK {11}Z: /);
  });

  test('typed, it prints and parses back; /persistent:no and a drive-less /persistent are told apart', () => {
    expect(roundTrip(`net use Z: ${SHARE} /persistent:yes`)).toMatchObject({ persistent: true, drive: 'Z:' });
    expect(roundTrip(`NET USE z: ${SHARE} /PERSISTENT:NO`)).toMatchObject({ persistent: false });
    expect(roundTrip('shutdown /r')).toEqual({ do: 'reboot', host: 'ws1' });
    expect(parseCommand('ws1', 'shutdown /r /t 0 /f')).toEqual({ do: 'reboot', host: 'ws1' });
    expect(() => parseCommand('ws1', 'shutdown /s')).toThrow(/restarts \(\/r\)/);
  });
});

describe('net use listing and /delete', () => {
  const run = play([
    'net use',
    'logon',
    `net use Z: ${SHARE}`,
    'net use Z: /delete',
    'net use Z: /delete',
    'net use',
  ]);

  test('nothing mapped: "There are no entries in the list."; a drive deleted twice: 2250 the second time', () => {
    expect(printed(run, 0)).toEqual([
      'New connections will not be remembered.\n\nThere are no entries in the list.',
    ]);
    expect(run.actions[3]).toMatchObject({ ok: true, output: 'Z: was deleted successfully.' });
    expect(run.actions[4]).toMatchObject({ ok: false, windowsError: 2250 });
    expect(run.actions[4]!.output).toMatch(/^The network connection could not be found\./);
    expect(run.actions[5]!.output).toBe('There are no entries in the list.');
  });

  test('bare net use and net use X: /delete are entries of their own', () => {
    expect(roundTrip('net use')).toEqual({ do: 'net-use-list', host: 'ws1' });
    expect(roundTrip('net use z: /DELETE')).toEqual({ do: 'net-use-delete', host: 'ws1', drive: 'z:' });
  });
});

describe('klist tgt', () => {
  const run = play(['klist tgt', 'logon', 'klist tgt']);

  test('before the sign-in there is no TGT: SEC_E_NO_CREDENTIALS', () => {
    expect(run.actions[0]!.ok).toBe(false);
    expect(run.actions[0]!.output).toMatch(/ShowTgt substatus\): 0x8009030e/);
  });

  test("after it, the user's TGT field by field", () => {
    const text = printed(run, 2).join('\n');
    expect(text).toMatch(/^Current LogonId is 0:0x[0-9a-f]+\nCached TGT:\n/);
    expect(text).not.toContain('0:0x3e7');
    expect(text).toContain('ServiceName        : krbtgt');
    expect(text).toContain('ClientName         : alice');
    expect(text).toContain('DomainName         : CORP.CONTOSO.COM');
    expect(text).toMatch(/Session Key {8}: KeyType 0x12 - AES-256-CTS-HMAC-SHA1-96/);
    expect(text).toMatch(/StartTime {10}: 3\/2\/2026 8:00:00 \(local\)/);
    expect(text).toMatch(/EncodedTicket {6}: \(size: \d+\)/);
    expect(roundTrip('KLIST TGT')).toEqual({ do: 'klist-tgt', host: 'ws1' });
  });
});

describe("klist's LogonId: the user's own logon session, not SYSTEM's", () => {
  const logonId = (text: string) => /Current LogonId is (\S+)/.exec(text)?.[1];
  const at = (steps: string[]) => logonId(klist(play(steps).world, 'ws1'));
  const first = at(['logon']);

  test('a sign-in starts a session with its own LogonId; klist tgt shows it; unlocking keeps it', () => {
    expect(first).toMatch(/^0:0x[0-9a-f]+$/);
    expect(first).not.toBe('0:0x3e7');
    expect(logonId(printed(play(['logon', 'klist tgt']), 1).join('\n'))).toBe(first);
    expect(at(['logon', 'rundll32 user32.dll,LockWorkStation', 'unlock'])).toBe(first);
  });

  test('the sign-in after a restart is a new session with a new LogonId; the same run gives the same ids', () => {
    const steps = ['logon', 'shutdown /r @ 2026-03-03T08:00:00Z', 'logon'];
    const second = at(steps);
    expect(second).toMatch(/^0:0x[0-9a-f]+$/);
    expect(second).not.toBe(first);
    expect(at(steps)).toBe(second);
  });
});

describe('whoami, %LOGONSERVER%, nltest, gpupdate', () => {
  const run = play([
    'logon',
    'whoami',
    'whoami /groups',
    'set logonserver',
    'echo %LOGONSERVER%',
    '$env:LOGONSERVER',
    'nltest /dsgetdc:CORP',
    'nltest /dsgetdc:kerberos.microsoftonline.com',
    'nltest /dsgetdc:FABRIKAM',
    'gpupdate /force',
  ]);

  test("whoami is corp\\alice; /groups has the PAC's Domain Users beside the well-known groups", () => {
    expect(run.actions[1]!.output).toBe('corp\\alice');
    const groups = printed(run, 2).join('\n');
    expect(groups).toMatch(/^GROUP INFORMATION\n-----------------/);
    expect(groups).toMatch(
      /Everyone +Well-known group S-1-1-0 +Mandatory group, Enabled by default, Enabled group/,
    );
    expect(groups).toMatch(/CORP\\Domain Users +Group +S-1-5-21-2146773085-903363285-719344707-513 /);
  });

  test('LOGONSERVER is the DC that answered the sign-in, as set, echo and $env: print it', () => {
    expect(run.actions[3]!.output).toBe('LOGONSERVER=\\\\DC1');
    expect(run.actions[4]!.output).toBe('\\\\DC1');
    expect(run.actions[5]!.output).toBe('\\\\DC1');
  });

  test('nltest finds dc1 for CORP; the cloud realm and an unknown domain have no DC to locate', () => {
    const found = printed(run, 6).join('\n');
    expect(found).toMatch(/^ {11}DC: \\\\dc1\.corp\.contoso\.com\n {5}Dom Name: corp\.contoso\.com/);
    expect(found).toMatch(/The command completed successfully$/);
    for (const i of [7, 8]) {
      expect(run.actions[i]).toMatchObject({
        ok: false,
        output: 'Getting DC name failed: Status = 1355 0x54b ERROR_NO_SUCH_DOMAIN',
      });
    }
    expect(printed(run, 8)[0]).toMatch(/no domain here is named FABRIKAM/);
  });

  test('gpupdate /force applies the policy again', () => {
    expect(printed(run, 9)[0]).toMatch(
      /^Updating policy\.\.\.\n\nComputer Policy update has completed successfully\./,
    );
  });

  test('each prints and parses back', () => {
    for (const line of [
      'whoami',
      'whoami /groups',
      'set logonserver',
      'echo %LOGONSERVER%',
      '$env:LOGONSERVER',
      'nltest /dsgetdc:CORP',
      'gpupdate /force',
      'gpupdate',
    ]) {
      roundTrip(line);
    }
    expect(() => parseCommand('ws1', 'nltest /dclist:CORP')).toThrow(/nltest \/dsgetdc:DOMAIN/);
  });
});

describe('lock and unlock, typed', () => {
  const run = play(['logon', 'rundll32 user32.dll,LockWorkStation', 'unlock', 'unlock']);

  test('rundll32 locks; unlock at the lock screen unlocks; a second unlock finds nothing locked', () => {
    expect(run.actions[1]).toMatchObject({ do: 'lock', ok: true });
    expect(run.actions[2]).toMatchObject({ do: 'unlock', ok: true });
    expect(run.actions[3]).toMatchObject({ do: 'unlock', ok: false, output: 'the session is not locked' });
    expect(roundTrip('unlock Contoso-Alice-2026!')).toEqual({
      do: 'unlock',
      host: 'ws1',
      password: 'Contoso-Alice-2026!',
    });
    expect(roundTrip('logon')).toEqual({ do: 'logon', host: 'ws1' });
  });
});

describe('the prompt and help', () => {
  const run = play(['powershell', 'help', 'exit', 'help', 'powershell', 'shutdown /r']);

  test('powershell, exit and a restart switch the prompt kept in the world', () => {
    expect(run.actions.map((a) => a.do)).toEqual([
      'powershell',
      'help',
      'exit-shell',
      'help',
      'powershell',
      'reboot',
    ]);
    expect(run.world.windowsHost('ws1')?.shell).toBeUndefined();
    const mid = play(['powershell']);
    expect(mid.world.windowsHost('ws1')?.shell).toBe('powershell');
  });

  test("help lists the prompt's own commands: Test-NetConnection in PowerShell, set and echo in cmd", () => {
    const ps = printed(run, 1).join('\n');
    const cmd = printed(run, 3).join('\n');
    expect(ps).toMatch(/^The playground's PowerShell prompt takes:/);
    expect(ps).toContain('Test-NetConnection HOST -Port N');
    expect(ps).not.toContain('echo %LOGONSERVER%');
    expect(cmd).toMatch(/^The playground's cmd prompt takes:/);
    expect(cmd).toContain('echo %LOGONSERVER%');
    expect(cmd).not.toContain('Test-NetConnection');
    expect(cmd).toMatch(/unlock \[PASSWORD\]\n {4}the lock screen: the user types the password/);
  });

  test("help gives each command's syntax on a line and its gist whole under it, examples' colons kept", () => {
    const cmd = printed(run, 3).join('\n');
    const lines = cmd.split('\n').slice(1);
    expect(lines.length % 2).toBe(0);
    for (let i = 0; i < lines.length; i += 2) {
      expect(lines[i]).not.toMatch(/^\s/);
      expect(lines[i + 1]).toMatch(/^ {4}\S/);
      // a gist never stops inside a quoted example: its backquotes pair up
      expect((lines[i + 1]!.match(/`/g) ?? []).length % 2, lines[i + 1]).toBe(0);
    }
    expect(cmd).toContain(
      'net use X: /delete\n    Disconnects a mapped drive and forgets it (`net use X: /delete`)',
    );
  });

  test('gist: the first clause, outside quoted examples', () => {
    expect(gist('Maps a share with the key (`net use Y: \\\\s\\x /user:a b`). More after.')).toBe(
      'Maps a share with the key (`net use Y: \\\\s\\x /user:a b`)',
    );
    expect(gist('Lists the connections: every drive')).toBe('Lists the connections');
    expect(gist('Makes a folder')).toBe('Makes a folder');
  });
});

// The two prompts of a Windows console: cmd and PowerShell take the programs both run, each its own
// commands, and refuse the rest in their own words, with one line of what the playground takes; a
// command with a bad argument gets the real tool's error first.
import { describe, expect, test } from 'vitest';
import { readShellLine, ShellRefusal, shellCommands, type ShellKind } from '../../../src/scenarios';

/** The lines a refused line prints at `shell`'s prompt. */
function refused(line: string, shell: ShellKind): readonly string[] {
  try {
    readShellLine('ws1', line, shell);
  } catch (e) {
    expect(e).toBeInstanceOf(ShellRefusal);
    return (e as ShellRefusal).lines;
  }
  throw new Error(`"${line}" was accepted at the ${shell} prompt`);
}

const PLAYGROUND =
  /^The playground's (cmd|PowerShell) prompt takes: .+ \(type help for how each is written\)\.$/;

describe('cmd and PowerShell', () => {
  test('programs both run are read at either prompt', () => {
    for (const shell of ['cmd', 'powershell'] as const) {
      expect(readShellLine('ws1', 'klist get cifs/fs1', shell)).toEqual({
        do: 'klist-get',
        host: 'ws1',
        spn: 'cifs/fs1',
      });
      expect(readShellLine('ws1', 'whoami /groups', shell).do).toBe('whoami-groups');
      expect(readShellLine('ws1', 'nltest /dsgetdc:CORP', shell).do).toBe('nltest-dsgetdc');
    }
  });

  test("cmd does not know Test-NetConnection: cmd's own words, then what the playground takes", () => {
    const lines = refused('Test-NetConnection contosofiles -Port 445', 'cmd');
    expect(lines).toEqual([
      "'Test-NetConnection' is not recognized as an internal or external command,",
      'operable program or batch file.',
      expect.stringMatching(PLAYGROUND),
    ]);
    expect(lines[2]).not.toContain('Test-NetConnection');
    expect(readShellLine('ws1', 'Test-NetConnection contosofiles -Port 445', 'powershell')).toEqual({
      do: 'test-netconnection',
      host: 'ws1',
      target: 'contosofiles',
      port: 445,
    });
  });

  test("PowerShell's words for a name that is no command; cmd's built-ins are its aliases there", () => {
    expect(refused('frobnicate now', 'powershell')).toEqual([
      "frobnicate : The term 'frobnicate' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
      expect.stringMatching(/^The playground's PowerShell prompt takes: .*Test-NetConnection/),
    ]);
    expect(refused('echo %LOGONSERVER%', 'powershell')[0]).toMatch(/'echo' is Write-Output/);
    expect(refused('set logonserver', 'powershell')[0]).toMatch(/'set' is Set-Variable/);
    expect(readShellLine('ws1', '$env:LOGONSERVER', 'powershell').do).toBe('env-logonserver');
    expect(refused('$env:LOGONSERVER', 'cmd')[0]).toBe(
      "'$env:LOGONSERVER' is not recognized as an internal or external command,",
    );
  });

  test("a bad argument: the tool's own error, then the playground's reason and syntax", () => {
    expect(refused('whoami /bogus', 'cmd')).toEqual([
      "ERROR: Invalid argument/option - '/bogus'.",
      'Type "WHOAMI /?" for usage.',
      'The playground does not run "whoami /bogus": of whoami, this console runs whoami, whoami /groups.',
    ]);
    expect(refused('net use Z: \\\\fs1\\share /persistent:maybe', 'cmd')[0]).toBe(
      'The syntax of this command is:',
    );
    expect(refused('shutdown /s', 'cmd')[0]).toMatch(/^Usage: shutdown \[\/i \| \/l \| \/s/);
    expect(refused('set path', 'cmd')[0]).toBe('Environment variable path not defined');
  });

  test('a NET command the playground does not model: no NET USE syntax, only which NETs it runs', () => {
    const lines = refused('net view \\\\fs1', 'cmd');
    expect(lines).toEqual([
      'The playground does not run "net view \\\\fs1": of net, this console runs net use.',
      expect.stringMatching(PLAYGROUND),
    ]);
    // a word that is no NET command at all: NET's own syntax, as Windows prints it
    const bogus = refused('net frob', 'cmd');
    expect(bogus.slice(0, 2)).toEqual(['The syntax of this command is:', 'NET']);
    expect(bogus.join('\n')).toMatch(/USE \| USER \| VIEW \]/);
  });

  test('klist with a word it does not run: the klists it does, not "takes nothing after it"', () => {
    for (const line of ['klist sessions', 'klist -li 0x3e7']) {
      const lines = refused(line, 'cmd');
      // a real klist command: no made-up usage error, only the playground's line
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `^The playground does not run "${line}": of klist, this console runs klist, klist get.*klist purge.*klist tgt\\.$`,
        ),
      );
      expect(lines.join('\n')).not.toMatch(/takes nothing after it|^Usage/m);
    }
    // a word that is no klist command: klist's own usage, then the playground's line
    const bogus = refused('klist frob', 'cmd');
    expect(bogus[0]).toMatch(/^Usage: klist/);
    expect(bogus[1]).toMatch(/^The playground does not run "klist frob"/);
    // a klist it runs, with its argument missing, keeps its own reason and syntax
    expect(refused('klist get', 'cmd').at(-1)).toMatch(/write it as: klist get SPN/);
  });

  test('each prompt lists its own commands', () => {
    expect(shellCommands('powershell')).toContain('Test-NetConnection');
    expect(shellCommands('powershell')).not.toContain('echo');
    expect(shellCommands('cmd')).toContain('echo');
    expect(shellCommands('cmd')).not.toContain('Test-NetConnection');
    expect(shellCommands('cmd')).toEqual(
      expect.arrayContaining(['klist tgt', 'net use', 'help', 'powershell']),
    );
  });
});

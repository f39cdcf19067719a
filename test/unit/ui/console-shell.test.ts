// The console's prompt through the engine: `powershell` typed is a step, and the prompt is the world's
// at each step, so stepping back shows cmd's again and forward PowerShell's; each prompt reads the
// line with its own rules, and Tab's vocabulary is the prompt's commands and the world's names.
import { beforeAll, describe, expect, test } from 'vitest';
import { Engine } from '../../../src/ui/engine/engine';
import type { CommandAnswer, ConsoleView, Summary } from '../../../src/ui/engine/protocol';

let engine: Engine;

const played = (a: CommandAnswer): Summary => {
  if (!a.ok) throw new Error(a.error.join('\n'));
  return a.summary;
};
const ws1 = (s: Summary): ConsoleView => s.consoles.find((c) => c.host === 'ws1')!;

beforeAll(() => {
  engine = new Engine({ scope: 'test', script: 'console-shell.test.ts' });
  const r = engine.load({ kind: 'catalogue', id: 'happy-path' });
  if (!r.ok) throw new Error(r.problem.reason);
});

describe('the prompt is part of the run', () => {
  test('powershell typed changes the prompt; stepping back and forward shows each step’s', () => {
    const start = engine.goto(1);
    expect(ws1(start).prompt).toBe('C:\\Users\\alice>');
    const ps = played(engine.command('ws1', 'powershell', false));
    expect(ps.step).toBe(2);
    expect(ws1(ps).prompt).toBe('PS C:\\Users\\alice>');

    // at the PowerShell prompt, Test-NetConnection is read; cmd refuses it in its words
    const tnc = played(engine.command('ws1', 'Test-NetConnection contosofiles -Port 445', false));
    const typedLine = ws1(tnc).lines.find(
      (l) => l.kind === 'command' && l.text.startsWith('Test-NetConnection'),
    );
    expect(typedLine?.prompt).toBe('PS C:\\Users\\alice>');
    expect(ws1(tnc).completion?.commands).toContain('Test-NetConnection');

    const back = engine.goto(1);
    expect(ws1(back).prompt).toBe('C:\\Users\\alice>');
    expect(ws1(back).completion?.commands).not.toContain('Test-NetConnection');
    const refused = engine.command('ws1', 'Test-NetConnection contosofiles -Port 445', false);
    expect(refused).toMatchObject({
      ok: false,
      error: [
        "'Test-NetConnection' is not recognized as an internal or external command,",
        expect.anything(),
        expect.anything(),
      ],
    });

    const forward = engine.goto(3);
    expect(ws1(forward).prompt).toBe('PS C:\\Users\\alice>');
  });

  test("Tab's vocabulary: the world's hosts, SPNs (a realm's TGS among them) and shares", () => {
    const c = ws1(engine.summary()).completion!;
    expect(c.hosts).toContain('contosofiles.file.core.windows.net');
    expect(c.spns).toEqual(
      expect.arrayContaining([
        'cifs/contosofiles.file.core.windows.net',
        'krbtgt/KERBEROS.MICROSOFTONLINE.COM',
      ]),
    );
    expect(c.shares).toEqual(['\\\\contosofiles.file.core.windows.net\\profiles']);
  });
});

// A command typed at a console goes through the worker's `command` request: read into its timeline
// action, played as a 'typed' insert at the current step; a line it cannot read is answered with the
// lines the console prints, and the run stays where it was.
import { beforeAll, describe, expect, test } from 'vitest';
import { Engine } from '../../../src/ui/engine/engine';
import type { CommandAnswer, Summary } from '../../../src/ui/engine/protocol';
import { MAX_COMMAND_LINE, readCommand } from '../../../src/ui/engine/typed-command';

let engine: Engine;

const played = (a: CommandAnswer): Summary => {
  if (!a.ok) throw new Error(a.error.join('\n'));
  return a.summary;
};

beforeAll(() => {
  engine = new Engine({ scope: 'test', script: 'typed-command.test.ts' });
  const r = engine.load({ kind: 'catalogue', id: 'kerberos-101' });
  if (!r.ok) throw new Error(r.problem.reason);
});

describe('readCommand', () => {
  test('a known command is its action', () => {
    expect(readCommand('ws1', 'klist get cifs/fs1.corp.contoso.com')).toEqual({
      ok: true,
      action: { do: 'klist-get', host: 'ws1', spn: 'cifs/fs1.corp.contoso.com' },
    });
  });

  test('an unknown command: cmd says it is not recognized, then one line of what the playground takes', () => {
    const r = readCommand('ws1', 'fly away');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toEqual([
      "'fly' is not recognized as an internal or external command,",
      'operable program or batch file.',
      expect.stringMatching(/^The playground's cmd prompt takes: .*klist get/),
    ]);
  });

  test('a known command with a bad argument: the tool’s own usage, then the reason and how it is written', () => {
    const r = readCommand('ws1', 'klist get');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toHaveLength(2);
    expect(r.error[0]).toMatch(/^Usage: klist /);
    expect(r.error[1]).toMatch(/^The playground: which service\?.*; write it as: klist get SPN\.$/);
  });

  test('a line over the bound is refused before it is read', () => {
    const r = readCommand('ws1', 'klist ' + 'x'.repeat(MAX_COMMAND_LINE));
    expect(r).toEqual({ ok: false, error: [expect.stringMatching(/too long/)] });
  });
});

describe('the command request', () => {
  test('a typed line becomes a typed step at the current step; undo takes it back', () => {
    const before = engine.goto(2);
    const s = played(
      engine.handle({
        id: 1,
        kind: 'command',
        host: 'ws1',
        line: 'klist get cifs/fs1.corp.contoso.com',
      }) as CommandAnswer,
    );
    expect(s.step).toBe(3);
    expect(s.steps[2]).toMatchObject({ injected: true, source: 'typed', result: 'ok' });
    expect(s.undoable).toBe(s.steps[2]!.title);
    const undone = engine.handle({ id: 2, kind: 'undo' }) as Summary;
    expect(undone.steps).toEqual(before.steps);
  });

  test('at an earlier step, replaceLater drops the later steps', () => {
    engine.goto(1);
    const kept = played(engine.command('ws1', 'klist purge', false));
    expect(kept.later).toBeGreaterThan(0);
    engine.handle({ id: 3, kind: 'undo' });
    engine.goto(1);
    const replaced = played(engine.command('ws1', 'klist purge', true));
    expect(replaced.later).toBe(0);
    expect(replaced.steps).toHaveLength(2);
  });

  test('a line that cannot be read, or names a host the world lacks, is printed and changes nothing', () => {
    const s = engine.goto(1);
    expect(engine.command('ws1', 'frobnicate', false)).toMatchObject({ ok: false });
    const nowhere = engine.command('nowhere', 'klist purge', false);
    expect(nowhere).toMatchObject({ ok: false, error: [expect.stringMatching(/^klist purge: .*host/)] });
    expect(engine.summary()).toEqual(s);
  });
});

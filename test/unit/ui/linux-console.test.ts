// The page's engine and kerberos-101's Linux host: its console has a shell prompt, a line typed there is
// read as MIT's command (klist is MIT's, not Windows'), and the panel's MIT klist is the host's own.
import { beforeAll, describe, expect, test } from 'vitest';
import { Engine } from '../../../src/ui/engine/engine';
import { readCommand } from '../../../src/ui/engine/typed-command';

let engine: Engine;
beforeAll(() => {
  engine = new Engine({ scope: 'test', script: 'linux-console.test.ts' });
  const r = engine.load({ kind: 'catalogue', id: 'kerberos-101' });
  if (!r.ok) throw new Error(r.problem.reason);
});

describe("linux1's console", () => {
  test('linux1 has a shell prompt; ws1 has cmd’s', () => {
    const s = engine.summary();
    expect(s.consoles.find((c) => c.host === 'linux1')!.prompt).toBe('alice@linux1:~$');
    expect(s.consoles.find((c) => c.host === 'ws1')!.prompt).toBe('C:\\Users\\alice>');
  });

  test('a line is read at the prompt of the host’s system', () => {
    expect(readCommand('linux1', 'klist -e', 'linux')).toEqual({
      ok: true,
      action: { do: 'mit-klist', host: 'linux1', etypes: true },
    });
    expect(readCommand('ws1', 'klist')).toEqual({ ok: true, action: { do: 'klist', host: 'ws1' } });
    const bad = engine.command('linux1', 'dsregcmd /status', false);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error[0]).toMatch(/bash: dsregcmd: command not found/);
  });

  test('typed kinit becomes a step; the panel’s MIT klist is what klist -e -f prints on linux1', () => {
    const r = engine.command('linux1', 'kinit', false);
    if (!r.ok) throw new Error(r.error.join('\n'));
    expect(r.summary.steps.find((s) => s.source === 'typed')).toMatchObject({ title: 'linux1$ kinit' });
    const text = engine.klist('linux1', 'mit').text;
    expect(text.split('\n').slice(0, 4)).toEqual([
      'Ticket cache: FILE:/tmp/krb5cc_1000',
      'Default principal: alice@CORP.CONTOSO.COM',
      '',
      'Valid starting       Expires              Service principal',
    ]);
    expect(text).toMatch(
      /^\tFlags: IA, Etype \(skey, tkt\): aes256-cts-hmac-sha1-96, aes256-cts-hmac-sha1-96 $/m,
    );
  });

  test('a Linux host has MIT’s klist only: the panel asked for Windows’ gets MIT’s, and says so', () => {
    const view = engine.klist('linux1', 'windows');
    expect(view.style).toBe('mit');
    expect(view.text).toBe(engine.klist('linux1', 'mit').text);
    expect(view.text).not.toContain('Current LogonId');
    expect(engine.summary().consoles.find((c) => c.host === 'linux1')!.os).toBe('linux');
    expect(engine.summary().consoles.find((c) => c.host === 'ws1')!.os).toBeUndefined();
  });
});

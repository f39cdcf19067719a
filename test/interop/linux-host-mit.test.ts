// MIT krb5 as the judge of the playground's Linux host: in kerberos-101, `kinit` and `kvno cifs/fs1…` are
// typed at linux1's console (the page's engine, as the worker runs it); the credential cache linux1 then
// holds is exported as the page exports it, and MIT's own `klist -c` — in the en_US locale a Linux
// desktop runs, made here with localedef — lists it exactly as our `klist` (and `klist -e -f`) printed
// it at the console. The one difference allowed is the cache's file name on the first line.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Engine } from '../../src/ui/engine/engine';
import type { Summary } from '../../src/ui/engine/protocol';
import { decodeCcache } from '../../src/formats';
import { hasPackages } from '../setup/needs';

const dir = mkdtempSync(join(tmpdir(), 'krbplay-linux-host-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the console printed under the last command typed at `host`. */
function printedLast(s: Summary, host: string): string {
  const lines = s.consoles.find((c) => c.host === host)!.lines;
  const at = lines.findLastIndex((l) => l.kind === 'command');
  return lines
    .slice(at + 1)
    .filter((l) => l.kind === 'out')
    .map((l) => l.text)
    .join('\n');
}

describe.runIf(hasPackages('krb5-user', 'locales'))("linux1's cache, as MIT klist sees it", () => {
  let engine: Engine;
  const env = { ...process.env, LOCPATH: dir, LC_ALL: 'en_US.UTF-8', TZ: 'UTC', KRB5_CONFIG: '/dev/null' };

  beforeAll(() => {
    // en_US, as a desktop's: klist writes dates "03/02/2026 08:00:00" there (C writes "03/02/26")
    execFileSync('localedef', ['-i', 'en_US', '-f', 'UTF-8', join(dir, 'en_US.UTF-8')]);
    engine = new Engine({ scope: 'test', script: 'linux-host-mit.test.ts' });
    const r = engine.load({ kind: 'catalogue', id: 'kerberos-101' });
    if (!r.ok) throw new Error(r.problem.reason);
  });

  const type = (line: string): Summary => {
    const r = engine.command('linux1', line, false);
    if (!r.ok) throw new Error(r.error.join('\n'));
    return r.summary;
  };

  test('after a typed kinit and kvno, klist and klist -e -f print what MIT klist -c prints', () => {
    type('kinit');
    expect(printedLast(type('kvno cifs/fs1.corp.contoso.com'), 'linux1')).toBe(
      'cifs/fs1.corp.contoso.com@CORP.CONTOSO.COM: kvno = 1',
    );
    const ours = printedLast(type('klist'), 'linux1');
    const oursEf = printedLast(type('klist -e -f'), 'linux1');

    const file = engine.export('ccache', 'linux1');
    expect(decodeCcache(file.bytes).credentials).toHaveLength(2);
    const path = join(dir, file.name);
    writeFileSync(path, file.bytes);
    const mit = (...flags: string[]) =>
      execFileSync('klist', [...flags, '-c', path], { env, encoding: 'utf8' })
        .replace(`Ticket cache: FILE:${path}`, 'Ticket cache: FILE:/tmp/krb5cc_1000')
        .replace(/\n$/, '');

    expect(mit()).toMatch(/^Valid starting {7}Expires {14}Service principal$/m);
    expect(mit()).toMatch(/^03\/02\/2026 08:00:00 {2}03\/02\/2026 18:00:00 {2}krbtgt\/CORP.CONTOSO.COM@/m);
    expect(ours).toBe(mit());
    expect(oursEf).toBe(mit('-e', '-f'));
  });
});

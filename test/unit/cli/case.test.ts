// `krbplay case`: a pasted case read back, its findings, the scenario it writes, and its errors.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { validateScenario, type Scenario } from '../../../src/scenarios';
import { pasteOf } from '../support/paste-of';
import { ensureCliBuilt, krbplay } from './krbplay';

const dir = mkdtempSync(join(tmpdir(), 'krbplay-case-'));
const HOUR = 3_600_000;
const MIN = 60_000;

beforeAll(() => ensureCliBuilt(), 180_000);

describe('krbplay case', () => {
  const paste = pasteOf('tgt-expiry-10h', (start) => start + 10 * HOUR + 5 * MIN);
  const file = join(dir, 'customer.txt');
  writeFileSync(file, 'C:\\> klist\n' + paste.text);

  test('text: the facts, the finding with its source, the unread line; --scenario writes a scenario that plays', () => {
    const out = join(dir, 'case.json');
    const r = krbplay('case', file, '--at', '2026-03-02T18:05:00Z', '--scenario', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Case .*customer\.txt: windows-klist \(lines 3-\d+\), dsregcmd/);
    expect(r.stdout).toMatch(/Judged at 2026-03-02T18:05:00Z \(given with --at\)/);
    expect(r.stdout).toMatch(/PROBLEM +The cloud TGT expired 5m ago/);
    expect(r.stdout).toMatch(/Source: docs\/modelled\.md#cloud-tgt-renewal/);
    expect(r.stdout).toMatch(/Plays as: krbplay scenario run tgt-expiry-10h/);
    expect(r.stdout).toMatch(/Lines not read:\n {2}1: C:\\> klist/);
    const s = validateScenario(JSON.parse(readFileSync(out, 'utf8'))) as Scenario;
    expect(s.start).toBe('2026-03-02T08:00:00Z');
    const run = krbplay('scenario', 'run', out, '--json');
    const events = (JSON.parse(run.stdout) as { events: { t: string; windowsError?: number }[] }).events;
    expect(events.find((e) => e.windowsError === 1326)?.t).toMatch(/^2026-03-02T18:05:00/);
  });

  test('--json: the facts and findings with ISO times', () => {
    const r = krbplay('case', file, '--json');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      at: string;
      atGiven: boolean;
      dsregcmds: { sso: { prtUpdateTime: string } }[];
      findings: { id: string }[];
      unread: { line: number }[];
      world: { signIn: string };
    };
    expect(doc.atGiven).toBe(false);
    expect(doc.at).toBe('2026-03-02T18:05:00Z');
    expect(doc.dsregcmds[0]!.sso.prtUpdateTime).toBe('2026-03-02T08:00:00Z');
    expect(doc.unread).toEqual([{ line: 1, text: 'C:\\> klist' }]);
    expect(doc.world.signIn).toBe('2026-03-02T08:00:00Z');
  });

  test('a file Windows PowerShell saved (UTF-16LE with its byte order mark) reads as the UTF-8 one; bytes that are no text are an input error', () => {
    const text = 'C:\\> klist\n' + paste.text;
    const utf16 = new Uint8Array(2 + 2 * text.length);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++)
      new DataView(utf16.buffer).setUint16(2 + 2 * i, text.charCodeAt(i), true);
    const saved = join(dir, 'powershell.txt');
    writeFileSync(saved, utf16);
    const a = krbplay('case', saved, '--json');
    expect(a.stderr).toBe('');
    expect(JSON.parse(a.stdout)).toEqual(JSON.parse(krbplay('case', file, '--json').stdout));
    const binary = join(dir, 'binary.txt');
    writeFileSync(binary, new Uint8Array([0x41, 0xc3, 0x28, 0x0a]));
    const b = krbplay('case', binary);
    expect(b.status).toBe(1);
    expect(b.stderr).toMatch(
      /binary\.txt: the file is not text: neither UTF-8 nor UTF-16 with a byte order mark/,
    );
  });

  test("--utc-offset reads klist's local times at the customer's offset; without it the text says they are read as UTC", () => {
    const plain = krbplay('case', file, '--at', '2026-03-02T18:05:00Z');
    expect(plain.stdout).toMatch(
      /\nklist times read as UTC: the paste does not say the time zone .*--utc-offset/,
    );
    const east = krbplay('case', file, '--at', '2026-03-02T18:05:00Z', '--utc-offset', '+02:00');
    expect(east.status).toBe(0);
    expect(east.stdout).toMatch(/\nklist times read at UTC\+02:00 \(--utc-offset\); dsregcmd's are UTC\n/);
    expect(east.stdout).toMatch(/PROBLEM +The cloud TGT expired 2h ?5m ago/);
    const doc = JSON.parse(krbplay('case', file, '--utc-offset=-05:30', '--json').stdout) as {
      utcOffset: number;
      dsregcmds: { sso: { prtUpdateTime: string } }[];
    };
    expect(doc.utcOffset).toBe(-330);
    expect(doc.dsregcmds[0]!.sso.prtUpdateTime).toBe('2026-03-02T08:00:00Z');
    expect(krbplay('case', file, '--utc-offset', 'UTC-05:30', '--json').stdout).toBe(
      krbplay('case', file, '--utc-offset=-05:30', '--json').stdout,
    );
    const bad = krbplay('case', file, '--utc-offset', '+15:00');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--utc-offset: UTC\+15:00 is beyond the time zones there are/);
  });

  test('a bad --at is a usage error; a paste over its bounds an input error', () => {
    expect(krbplay('case', file, '--at', 'yesterday').status).toBe(2);
    const big = join(dir, 'big.txt');
    writeFileSync(big, 'x\n'.repeat(20_000));
    const r = krbplay('case', big);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^krbplay case: paste: 20001 lines pasted, at most 10000 are read/);
  });
});

// krbplay fleet, spawned as a user runs it (docs/cli.md): CSV, JSON, one user's run, bad input.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ensureCliBuilt, krbplay } from './krbplay';

beforeAll(() => ensureCliBuilt(), 180_000);

const dir = mkdtempSync(join(tmpdir(), 'krbplay-fleet-'));

describe('krbplay fleet', () => {
  test('--csv: a header and one line per virtual hour; the same twice', () => {
    const r = krbplay('fleet', 'fleet-10h-cliff', '--clients', '40', '--days', '2', '--csv');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'hour,as,tgs,kkdcp,prt,held,failures,users_expired-cloud-tgt,users_no-prt-refresh,users_proxy-lost,users_policy-off,users_replay',
    );
    expect(lines).toHaveLength(49);
    expect(lines[1]).toMatch(/^2026-03-02T00:00:00Z,0,0,0,0,0,0,/);
    const fails = lines.slice(1).reduce((n, l) => n + Number(l.split(',')[6]), 0);
    expect(fails).toBeGreaterThan(0);
    expect(krbplay('fleet', 'fleet-10h-cliff', '--clients', '40', '--days', '2', '--csv').stdout).toBe(
      r.stdout,
    );
  });

  test('--json: the hours and each failure with its user, time and cause; --user re-runs that user', () => {
    const r = krbplay('fleet', 'fleet-10h-cliff', '--clients', '20', '--days', '1', '--json');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ fleet: 'fleet-10h-cliff', clients: 20, days: 1, complete: true });
    expect(doc.hours).toHaveLength(24);
    const f = doc.failures[0];
    expect(f).toMatchObject({
      user: expect.stringMatching(/^u\d{5}$/),
      what: expect.any(String),
      cause: expect.any(String),
    });
    const one = krbplay('fleet', 'fleet-10h-cliff', '--days', '1', '--user', f.user, '--json');
    expect(one.status).toBe(0);
    const run = JSON.parse(one.stdout);
    expect(
      run.events.some(
        (e: { t: string; windowsError?: number }) =>
          e.t.startsWith(f.t.slice(0, 19)) && e.windowsError === 1326,
      ),
    ).toBe(true);
    expect(krbplay('fleet', 'fleet-10h-cliff', '--days', '1', '--user', f.user, '--json').stdout).toBe(
      one.stdout,
    );
  });

  test('text: the busy hours and the causes in words', () => {
    const r = krbplay('fleet', 'fleet-4h-prt', '--clients', '50');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^fleet fleet-4h-prt: 50 users, 2 days from 2026-03-02T00:00:00Z, seed 4\n/);
    expect(r.stdout).toMatch(
      /policy-off +the GPO "Allow retrieving the cloud kerberos ticket during the logon" is off/,
    );
  });

  test('bad input: an unknown preset or a bad file is 1, a bad number 2', () => {
    const unknown = krbplay('fleet', 'nope');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(
      /^krbplay fleet: no fleet preset 'nope' \(one of: fleet-10h-cliff, fleet-4h-prt/,
    );
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        fleet: 'x',
        title: 't',
        base: 'tgt-expiry-10h',
        lunch: { lock: 3, at: '12:00', for: '1h' },
      }),
    );
    const bad = krbplay('fleet', file);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/bad\.json: lunch\.lock: must be at most 1, not 3/);
    const n = krbplay('fleet', 'fleet-10h-cliff', '--clients', '0');
    expect(n.status).toBe(2);
    expect(n.stderr).toMatch(/--clients: '0' must be a whole number from 1 to 100000/);
    expect(krbplay('fleet', 'fleet-10h-cliff', '--csv', '--json').status).toBe(2);
    expect(krbplay('fleet', 'fleet-10h-cliff', '--clients', '5', '--user', 'u00009').status).toBe(2);
  });
});

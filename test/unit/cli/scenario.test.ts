// krbplay scenario list|run, spawned as a user runs it (docs/cli.md): text and JSON, exit statuses.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { Engine } from '../../../src/ui/engine/engine';
import { ensureCliBuilt, krbplay, projectRoot } from './krbplay';

beforeAll(() => ensureCliBuilt(), 180_000);

const dir = mkdtempSync(join(tmpdir(), 'krbplay-scenario-'));
const catalogueFile = (id: string) =>
  JSON.parse(readFileSync(join(projectRoot, 'src/scenarios/catalogue', `${id}.json`), 'utf8'));
function writeScenario(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

describe('scenario list', () => {
  test('text: the runnable ones; with every catalogue scenario runnable, no "not available" section', () => {
    const r = krbplay('scenario', 'list');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^Scenarios \((\d+) of 26 run today; krbplay scenario run ID\):$/);
    expect(lines[1]).toMatch(/^ {2}kerberos-101 +Kerberos 101: AS, TGS and AP in one realm$/);
    expect(r.stdout).toMatch(/^ {2}trust-referral +Trust and referral/m);
    expect(lines[0]).toBe('Scenarios (26 of 26 run today; krbplay scenario run ID):');
    expect(r.stdout).toMatch(/^ {2}cloud-only-identity +Entra Kerberos for a cloud-only user$/m);
    expect(r.stdout).not.toMatch(/Not available yet/);
  });

  test('JSON: {"scenarios":[{id, title, summary, available, reason?}]}', () => {
    const r = krbplay('scenario', 'list', '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['scenarios']);
    expect(j.scenarios).toHaveLength(26);
    expect(j.scenarios[0]).toEqual({
      id: 'kerberos-101',
      title: 'Kerberos 101: AS, TGS and AP in one realm',
      summary: expect.any(String),
      available: true,
    });
    const cloudOnly = j.scenarios.find((s: { id: string }) => s.id === 'cloud-only-identity');
    expect(cloudOnly).toEqual({
      id: 'cloud-only-identity',
      title: 'Entra Kerberos for a cloud-only user',
      summary: expect.any(String),
      available: true,
    });
    // the count in the text heading is the number of available entries here
    const available = j.scenarios.filter((s: { available: boolean }) => s.available).length;
    expect(krbplay('scenario', 'list').stdout.split('\n')[0]).toBe(
      `Scenarios (${available} of 26 run today; krbplay scenario run ID):`,
    );
  });
});

describe('scenario run', () => {
  test('text: events, klist, dsregcmd, outcomes; exit 0 when every outcome holds', () => {
    const r = krbplay('scenario', 'run', 'trust-referral');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Scenario trust-referral: /);
    expect(r.stdout).toContain(
      '08:00:00.029  dc1 -> ws1    tcp   TGS-REP            referral: krbtgt/KERBEROS.MICROSOFTONLINE.COM@CORP.CONTOSO.COM (the service is in KERBEROS.MICROSOFTONLINE.COM)',
    );
    expect(r.stdout).toMatch(
      /ws1 -> entra {2}kkdcp TGS-REQ +POST https:\/\/login\.microsoftonline\.com\/[0-9a-f-]+\/kerberos: asks for cifs\/contosofiles\.file\.core\.windows\.net@KERBEROS\.MICROSOFTONLINE\.COM {2}\[modelled\]/,
    );
    expect(r.stdout).toContain('\tServer: krbtgt/KERBEROS.MICROSOFTONLINE.COM @ CORP.CONTOSO.COM');
    expect(r.stdout).toContain('ws1> dsregcmd /status   not shown:');
    expect(r.stdout).toMatch(/\n6 of 6 outcomes hold\.\n$/);
  });

  test('JSON: one document, {id, start, events, outcomes}', () => {
    const r = krbplay('scenario', 'run', 'clock-skew', '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['id', 'start', 'events', 'outcomes']);
    expect(j.start).toBe('2026-03-02T08:00:00Z');
    expect(j.events[0]).toEqual({
      t: '2026-03-02T08:00:00.000Z',
      from: 'ws1',
      to: 'ws1',
      transport: 'local',
      type: 'ACTION',
      action: 'set-skew',
      result: "ws1's clock is now +6m from true time",
    });
    expect(j.events).toContainEqual({
      t: '2026-03-02T08:00:00.003Z',
      from: 'dc1',
      to: 'ws1',
      transport: 'tcp',
      type: 'KRB-ERROR',
      errorCode: 37,
      result: 'KRB_AP_ERR_SKEW (37)',
    });
    expect(j.outcomes.map((o: { id: string; ok: boolean }) => [o.id, o.ok])).toEqual([
      ['skew-refused', true],
      ['kdc-time-in-error', true],
      ['no-share-while-skewed', true],
      ['fixed-clock-fixes-it', true],
    ]);
  });

  test('--security-log: each DC\'s events after the run (text), "securityLog" beside the rest (JSON)', () => {
    const r = krbplay('scenario', 'run', 'kerberos-101', '--security-log');
    expect(r.status).toBe(0);
    const at = r.stdout.indexOf('# Security log of dc1 (CORP.CONTOSO.COM): ');
    expect(at).toBeGreaterThan(r.stdout.indexOf('outcomes hold.'));
    const lines = r.stdout.slice(at).split('\n');
    expect(lines[1]).toMatch(
      /^2026-03-02T08:00:00\.\d{3}Z {2}4768 Audit Success Account Name: alice; Supplied Realm Name: CORP\.CONTOSO\.COM; Service Name: krbtgt\/CORP\.CONTOSO\.COM; .*Result Code: 0x0; Ticket Encryption Type: 0x12/,
    );
    expect(r.stdout).toMatch(/ 4769 Audit Success Service Name: cifs\/fs1\.corp\.contoso\.com; /);

    const s = catalogueFile('kerberos-101');
    s.clients[0].password = 'not-the-password';
    const j = krbplay('scenario', 'run', writeScenario('wrong-password.json', s), '--json', '--security-log');
    const doc = JSON.parse(j.stdout);
    expect(Object.keys(doc)).toEqual(['id', 'start', 'events', 'outcomes', 'securityLog']);
    const dc1 = doc.securityLog.find((d: { dc: string }) => d.dc === 'dc1');
    expect(dc1.realms).toEqual(['CORP.CONTOSO.COM']);
    expect(dc1.events[0]).toMatchObject({
      id: 4771,
      keyword: 'Audit Failure',
      fields: { 'Account Name': 'alice', 'Failure Code': '0x18', 'Pre-Authentication Type': '2' },
    });
    expect(dc1.events[0].t).toMatch(/^2026-03-02T08:00:00\.\d{3}Z$/);
  });

  test('--report FILE.html|FILE.md: the case report written, the failing step and attachments in it', () => {
    const html = join(dir, 'case.html');
    const r = krbplay('scenario', 'run', 'clock-skew', '--report', html);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\nWrote the case report to .*case\.html\.\n$/);
    const text = readFileSync(html, 'utf8');
    expect(text).toMatch(/^<!doctype html>/);
    expect(text).toContain('<h2 id="failing">The failing step: 2. ');
    expect(text).toMatch(/KRB_AP_ERR_SKEW \(37\)/);
    const names = [...text.matchAll(/data-attachment="([^"]+)"/g)].map((m) => m[1]);
    expect(names).toEqual(['clock-skew.pcapng', 'clock-skew.keytab', 'kkdcp.lua', 'smb2_seskey_list']);
    const pcap = /href="data:[^;]+;base64,([^"]+)" data-attachment="clock-skew.pcapng"/.exec(text)![1]!;
    expect([...Buffer.from(pcap, 'base64').subarray(0, 4)]).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);

    const md = join(dir, 'case.md');
    expect(krbplay('scenario', 'run', 'clock-skew', '--report', md).status).toBe(0);
    expect(readFileSync(md, 'utf8')).toMatch(/^# Case report: /);
    const bad = krbplay('scenario', 'run', 'clock-skew', '--report', join(dir, 'case.txt'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--report: '.*case\.txt' must end in \.html or \.md/);
  });

  test('a scenario file whose outcome fails: exit 1, naming it on stderr (the run still printed)', () => {
    const s = catalogueFile('port-445-blocked');
    s.id = 'port-445-wrong';
    s.outcomes[0].expect = [{ action: 'mount', ok: true }];
    const r = krbplay('scenario', 'run', writeScenario('fails.json', s));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^ {2}FAIL {2}mount-fails-53: /m);
    expect(r.stdout).toMatch(/\n4 of 5 outcomes hold\.\n$/);
    expect(r.stderr).toBe(
      'krbplay scenario run: 1 of 5 outcomes do not hold: mount-fails-53 (action mount: it failed (System error 53 has occurred. The network path was not found.))\n',
    );
    const j = krbplay('scenario', 'run', writeScenario('fails.json', s), '--json');
    expect(j.status).toBe(1);
    expect(JSON.parse(j.stdout).outcomes[0]).toEqual({
      id: 'mount-fails-53',
      description: expect.any(String),
      ok: false,
      detail: 'action mount: it failed (System error 53 has occurred. The network path was not found.)',
    });
  });

  test('--until: actions that would start later are not played; one in flight ends; not reached is not a failure', () => {
    // the mount starts at 08:00:00.004, before the stop time, and waits 10 s for TCP 445
    const r = krbplay('scenario', 'run', 'port-445-blocked', '--until', '+5s', '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.stoppedAt).toBe('2026-03-02T08:00:10.004Z');
    expect(j.events.at(-1)).toMatchObject({ action: 'result', windowsError: 53 });
    expect(
      j.outcomes.map((o: { id: string; ok: boolean; reached?: boolean }) => [o.id, o.ok, o.reached ?? true]),
    ).toEqual([
      ['mount-fails-53', true, true],
      ['no-kerberos-before-smb', true, true],
      ['tcp-test-false', false, false],
      ['tickets-fine', false, false],
      ['open-port-mounts', false, false],
    ]);
    const text = krbplay('scenario', 'run', 'kerberos-101', '--until', '2026-03-02T08:00:00.002Z');
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('# the run stopped at 2026-03-02T08:00:00.004Z (--until)');
    expect(text.stdout).not.toContain('SMB2 NEGOTIATE');
    expect(text.stdout).toMatch(
      /\n {2}n\/a {3}mount-succeeds: .*\n {8}not reached: the run stopped before mount\n/,
    );
    expect(text.stdout).toMatch(/1 of 5 outcomes hold \(4 not reached before --until\)\.\n$/);
  });

  test('--pcap and --keytab write the run for Wireshark', () => {
    const pcap = join(dir, 'run.pcapng');
    const keytab = join(dir, 'run.keytab');
    const r = krbplay('scenario', 'run', 'kerberos-101', '--pcap', pcap, '--keytab', keytab);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Wrote the capture to ${pcap}.`);
    expect(Array.from(readFileSync(pcap).subarray(0, 4))).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);
    expect(Array.from(readFileSync(keytab).subarray(0, 2))).toEqual([0x05, 0x02]);
  });

  test('--lua and --smb-keys write kkdcp.lua and the SMB session keys that open the capture', () => {
    const lua = join(dir, 'kkdcp.lua');
    const keys = join(dir, 'smb2_seskey_list');
    const r = krbplay('scenario', 'run', 'happy-path', '--lua', lua, '--smb-keys', keys);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain(`Wrote the KDC proxy dissector to ${lua}.`);
    expect(r.stdout).toContain(`Wrote the SMB session keys to ${keys}.`);
    expect(readFileSync(lua, 'utf8')).toContain(
      'DissectorTable.get("media_type"):add("application/kerberos", kkdcp)',
    );
    expect(readFileSync(keys, 'utf8')).toMatch(/^[0-9a-f]{16},[0-9a-f]{32},"",""\n$/);
  });
});

describe("two-forests, the page's first story, is an ordinary catalogue scenario", () => {
  test('listed, run by id and as a file through the same validator, with the trace the page shows', () => {
    const list = JSON.parse(krbplay('scenario', 'list', '--json').stdout);
    expect(list.scenarios).toContainEqual({
      id: 'two-forests',
      title: 'Two forests: a referral, then a skewed clock',
      summary: expect.any(String),
      available: true,
    });
    const byId = krbplay('scenario', 'run', 'two-forests', '--json');
    expect([byId.status, byId.stderr]).toEqual([0, '']);
    const run = JSON.parse(byId.stdout);
    expect(run.outcomes.map((o: { id: string; ok: boolean }) => [o.id, o.ok])).toEqual([
      ['as-with-preauth', true],
      ['dc1-refers', true],
      ['dc2-issues', true],
      ['share-opens', true],
      ['skew-refused', true],
    ]);
    // the catalogue's file, run as a user's file: the validator every scenario file goes through
    const asFile = krbplay(
      'scenario',
      'run',
      writeScenario('two-forests.json', catalogueFile('two-forests')),
      '--json',
    );
    expect(asFile.stdout).toBe(byId.stdout);

    // the page: the same scenario played step by step to its end shows the same events
    const engine = new Engine({ scope: 'test', script: 'scenario.test.ts' });
    const loaded = engine.load({ kind: 'catalogue', id: 'two-forests' });
    if (!loaded.ok) throw new Error(loaded.problem.reason);
    const page = engine.goto(loaded.summary.steps.length);
    expect(
      page.trace.map((r) => [
        new Date(r.t).toISOString(),
        r.from,
        r.to,
        r.transport,
        r.kind === 'action' ? 'ACTION' : r.type,
        r.result,
      ]),
    ).toEqual(
      run.events.map((e: Record<string, string>) => [e.t, e.from, e.to, e.transport, e.type, e.result]),
    );
    expect(run.events.filter((e: { type: string }) => e.type === 'TGS-REP')).toHaveLength(2);
  });
});

describe('errors', () => {
  test.each([
    [
      'a bad field',
      () => {
        const s = catalogueFile('kerberos-101');
        s.timeline[1].host = 'ws9';
        return writeScenario('bad-host.json', s);
      },
      /^krbplay scenario run: .*bad-host\.json: timeline\[1\]\.host: there is no host "ws9" \(hosts: ws1, dc1, fs1, linux1\)\n$/,
    ],
    [
      'not JSON',
      () => writeScenario('broken.json', '{"id": "x",'),
      /^krbplay scenario run: .*broken\.json: \(file\): not valid JSON: /,
    ],
    [
      'a missing file',
      () => join(dir, 'nothere.json'),
      /^krbplay scenario run: cannot read scenario file '.*nothere\.json': no such file\n$/,
    ],
    [
      'an unknown id',
      () => 'no-such-scenario',
      /^krbplay scenario run: no scenario 'no-such-scenario' in the catalogue \(one of: kerberos-101, happy-path, /,
    ],
    [
      'a scenario file marked not available yet',
      () =>
        writeScenario('not-yet.json', {
          id: 'fleet-10h-cliff',
          title: 'The cloud TGT cliff across a fleet',
          summary: 'Many users over days.',
          teaches: 'the cliff',
          available: false,
          reason: 'needs fleets in the catalogue, not modelled yet',
        }),
      /^krbplay scenario run: scenario 'fleet-10h-cliff' is not available yet: needs fleets in the catalogue, not modelled yet\n$/,
    ],
  ])('%s: one line, exit 1', (_what, arg, line) => {
    const r = krbplay('scenario', 'run', arg());
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(line);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });

  test.each([
    [['scenario', 'run'], 'krbplay scenario run: missing'],
    [
      ['scenario', 'run', 'kerberos-101', '--until', 'noon'],
      "krbplay scenario run: --until: 'noon' is neither an ISO-8601 UTC time",
    ],
    [['scenario', 'run', 'kerberos-101', '--frob'], "krbplay scenario run: unknown option '--frob'"],
    [['scenario', 'list', 'extra'], 'krbplay scenario list: '],
  ])('usage error %j: exit 2 with a hint', (args, start) => {
    const r = krbplay(...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith(start)).toBe(true);
    expect(r.stderr).toMatch(/\nTry 'krbplay scenario (run|list) --help'\.\n$/);
  });
});

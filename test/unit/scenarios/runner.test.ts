// The runner over the catalogue: every available scenario runs and all its outcomes hold; the ids are
// SCENARIOS.md's, then the page's first story; runs are deterministic; --until stops the timeline at the right virtual time; an outcome
// that does not hold says why.
import { describe, expect, test } from 'vitest';
import {
  catalogue,
  findScenario,
  formatRun,
  runScenario,
  validateScenario,
  type Scenario,
} from '../../../src/scenarios';
import { exportKeytab, exportPcapng } from '../../../src/world';

const scenario = (id: string) => findScenario(id) as Scenario;
const HOUR = 3_600_000;
const START = Date.parse('2026-03-02T08:00:00Z');

// SCENARIOS.md's ids, in its order, then two-forests (the page's first story, once TypeScript beside the
// catalogue): a contract (the CLI and share links use them)
const IDS = [
  'kerberos-101',
  'happy-path',
  'policy-off',
  'cached-logon-4h-gap',
  'tgt-expiry-10h',
  'trust-referral',
  'coexistence-realm-mapping',
  'share-reader-cannot-write',
  'ntfs-deny',
  'clock-skew',
  'port-445-blocked',
  'offline-cached-logon',
  'reboot-persistent-mount',
  'cloud-trust-partial-tgt',
  'rc4-disabled',
  'kvno-mismatch',
  'mfa-ca-not-excluded',
  'network-change-drops-proxy',
  'tgt-expiry-cloud-trust',
  'share-default-permission',
  'group-sid-grants',
  'iakerb-no-dc-line-of-sight',
  'rc4-enforcement-2026',
  'private-link-1326',
  'cloud-only-identity',
  'two-forests',
];
// every one of them runs now (one that could not would be left out here, and say why)
const AVAILABLE = IDS;

describe('the catalogue', () => {
  test('holds every id of SCENARIOS.md, in its order, then iakerb-no-dc-line-of-sight and two-forests; those that cannot run yet say why in one line', () => {
    expect(catalogue().map((s) => s.id)).toEqual(IDS);
    expect(
      catalogue()
        .filter((s) => s.available)
        .map((s) => s.id),
    ).toEqual(AVAILABLE);
    for (const s of catalogue()) {
      expect(s.title.length).toBeGreaterThan(0);
      if (!s.available)
        expect(s.reason).toMatch(/^needs .+, not modelled yet|^needs .+which are not modelled yet/);
    }
  });

  test.each(AVAILABLE)('%s runs and every outcome holds', (id) => {
    const run = runScenario(scenario(id));
    expect(run.complete).toBe(true);
    expect(run.outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(run.outcomes.length).toBeGreaterThanOrEqual(3);
    expect(run.json.outcomes.every((o) => o.ok && Object.keys(o).join() === 'id,description,ok')).toBe(true);
  });
});

describe('the run as docs/cli.md has it', () => {
  test('JSON: id, start, events (t, from, to, transport, type, result, errorCode, windowsError, modelled), outcomes', () => {
    const run = runScenario(scenario('coexistence-realm-mapping'));
    const j = JSON.parse(JSON.stringify(run.json));
    expect(Object.keys(j)).toEqual(['id', 'start', 'events', 'outcomes']);
    expect(j.id).toBe('coexistence-realm-mapping');
    expect(j.start).toBe('2026-03-02T08:00:00Z');
    for (const e of j.events) {
      expect(e.t).toMatch(/^2026-03-02T\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(['udp', 'tcp', 'kkdcp', 'smb', 'https', 'local']).toContain(e.transport);
      expect(typeof e.result).toBe('string');
      for (const k of Object.keys(e))
        expect([
          't',
          'from',
          'to',
          'transport',
          'type',
          'action',
          'errorCode',
          'windowsError',
          'result',
          'modelled',
        ]).toContain(k);
    }
    // the wrong realm's answer, from the cloud KDC behind the proxy, labelled modelled
    expect(j.events).toContainEqual(
      expect.objectContaining({
        from: 'entra',
        to: 'ws1',
        transport: 'kkdcp',
        type: 'KRB-ERROR',
        errorCode: 7,
        modelled: true,
      }),
    );
    // the NTLM fallback is a modelled step, and the user sees 1326
    expect(j.events).toContainEqual(
      expect.objectContaining({
        from: 'contosoadds',
        type: 'SMB2 SESSION_SETUP',
        windowsError: 1326,
        modelled: true,
      }),
    );
    expect(j.events).toContainEqual(
      expect.objectContaining({
        type: 'ACTION',
        action: 'result',
        windowsError: 1326,
        result: 'System error 1326 has occurred. The user name or password is incorrect.',
      }),
    );
    // messages between on-prem hosts are not modelled
    expect(
      j.events.filter(
        (e: { from: string; to: string; modelled?: boolean }) => e.from === 'dc1' && e.modelled,
      ),
    ).toEqual([]);
  });

  test('text: one line per event, the final klist, dsregcmd not shown without an Entra join, the outcomes', () => {
    const text = formatRun(runScenario(scenario('kerberos-101')));
    const lines = text.split('\n');
    expect(lines[0]).toBe('Scenario kerberos-101: Kerberos 101: AS, TGS and AP in one realm');
    expect(lines).toContain('# 2026-03-02 (times are UTC)');
    expect(lines).toContain(
      '08:00:00.001  dc1 -> ws1    tcp   KRB-ERROR          KDC_ERR_PREAUTH_REQUIRED (25)',
    );
    expect(lines).toContain(
      '08:00:00.004  ws1 -> fs1    smb   SMB2 NEGOTIATE     connect to fs1.corp.contoso.com:445  [modelled]',
    );
    expect(text).toMatch(
      /ws1> klist {3}\(at 2026-03-02T08:00:00Z, ws1's clock\)\nCurrent LogonId is 0:0x2d4c1\n\nCached Tickets: \(2\)/,
    );
    expect(text).toContain('\tServer: cifs/fs1.corp.contoso.com @ CORP.CONTOSO.COM');
    expect(text).toMatch(
      /ws1> dsregcmd \/status {3}not shown: ws1 is joined to Active Directory only \(no Entra join\), so it has no PRT/,
    );
    expect(text).toContain('  ok    mount-succeeds: net use S: \\\\fs1.corp.contoso.com\\share completes');
    expect(text.endsWith('\n5 of 5 outcomes hold.\n')).toBe(true);
  });
});

describe('determinism', () => {
  const fingerprint = (id: string, seed?: number) => {
    const run = runScenario(scenario(id), seed !== undefined ? { seed } : {});
    return {
      json: JSON.stringify(run.json),
      bytes: run.world.trace.map((e) => (e.bytes ? Array.from(e.bytes).join(',') : '')),
    };
  };

  test.each(['trust-referral', 'kvno-mismatch'])('%s: same seed, same events and the same bytes', (id) => {
    expect(fingerprint(id)).toEqual(fingerprint(id));
  });

  test('another seed: the same story with other nonces and keys', () => {
    const a = fingerprint('trust-referral', 1);
    const b = fingerprint('trust-referral', 2);
    expect(b.json).toBe(a.json); // the events (times, types, results) do not depend on the randomness
    expect(b.bytes).not.toEqual(a.bytes);
  });
});

describe('--until', () => {
  // a scenario whose timeline spans hours
  const long = (): Scenario => {
    const s = structuredClone(scenario('kerberos-101'));
    s.timeline = [
      { id: 'logon', do: 'logon', host: 'ws1' },
      { id: 'wait', do: 'advance', by: '4h' },
      { id: 'mount', do: 'net-use', host: 'ws1', unc: '\\\\fs1.corp.contoso.com\\share' },
      { id: 'later', do: 'net-use', host: 'ws1', unc: '\\\\fs1.corp.contoso.com\\share', at: '+11h' },
    ];
    s.outcomes = [
      { id: 'signed-in', description: 'signed in', expect: [{ action: 'logon', ok: true }] },
      { id: 'mounted', description: 'mounted', expect: [{ action: 'mount', ok: true }] },
      { id: 'later', description: 'mounted after the TGT expired', expect: [{ action: 'later', ok: true }] },
      {
        id: 'tickets',
        description: 'the cifs ticket',
        expect: [{ klist: { host: 'ws1', server: 'cifs/fs1.corp.contoso.com@CORP.CONTOSO.COM' } }],
      },
    ];
    return validateScenario(JSON.parse(JSON.stringify(s))) as Scenario;
  };

  test('without it the whole timeline plays; the LSA gets a new TGT when the first has expired', () => {
    const run = runScenario(long());
    expect(run.complete).toBe(true);
    expect(run.outcomes.map((o) => o.ok)).toEqual([true, true, true, true]);
    expect(run.world.now).toBeGreaterThan(START + 11 * HOUR);
    expect(run.json.events.some((e) => e.action === 'lsa')).toBe(true);
  });

  test('in the middle of an advance: the clock stops at the time, later actions are not played', () => {
    const run = runScenario(long(), { until: START + 2 * HOUR });
    expect(run.complete).toBe(false);
    expect(run.world.now).toBe(START + 2 * HOUR);
    expect(run.json.stoppedAt).toBe('2026-03-02T10:00:00.000Z');
    expect(run.actions.map((a) => a.id)).toEqual(['logon', 'wait']);
    expect(run.world.trace.every((e) => e.t <= START + 2 * HOUR)).toBe(true);
    expect(run.json.outcomes).toEqual([
      { id: 'signed-in', description: 'signed in', ok: true },
      {
        id: 'mounted',
        description: 'mounted',
        ok: false,
        reached: false,
        detail: 'not reached: the run stopped before mount',
      },
      {
        id: 'later',
        description: 'mounted after the TGT expired',
        ok: false,
        reached: false,
        detail: 'not reached: the run stopped before later',
      },
      {
        id: 'tickets',
        description: 'the cifs ticket',
        ok: false,
        reached: false,
        detail: 'not reached: it speaks of the whole run, which stopped early',
      },
    ]);
  });

  test('before an action with a later "at": the clock moves to the stop time and no further', () => {
    const run = runScenario(long(), { until: START + 9 * HOUR });
    expect(run.actions.map((a) => a.id)).toEqual(['logon', 'wait', 'mount']);
    expect(run.world.now).toBe(START + 9 * HOUR);
    const last = run.json.events.at(-1)!;
    expect(last).toMatchObject({ type: 'ACTION', action: 'advance', t: '2026-03-02T17:00:00.000Z' });
    expect(last.result).toMatch(/--until/);
  });

  test('after the last action: the run is complete, nothing is cut', () => {
    const run = runScenario(long(), { until: START + 24 * HOUR });
    expect(run.complete).toBe(true);
    expect(run.json.stoppedAt).toBeUndefined();
  });
});

describe('an outcome that does not hold says why', () => {
  test('wrong expectations on an action, a klist, a message and a sequence', () => {
    const s = structuredClone(scenario('kerberos-101'));
    s.outcomes = [
      { id: 'a', description: 'a', expect: [{ action: 'mount', ok: false, windowsError: 53 }] },
      {
        id: 'b',
        description: 'b',
        expect: [{ klist: { host: 'ws1', server: 'cifs/fs9.corp.contoso.com@CORP.CONTOSO.COM' } }],
      },
      { id: 'c', description: 'c', expect: [{ message: { type: 'KRB-ERROR', errorCode: 37 } }] },
      {
        id: 'd',
        description: 'd',
        expect: [{ messages: { types: ['AS-REQ', 'AS-REP'], during: ['logon'] } }],
      },
      {
        id: 'e',
        description: 'e',
        expect: [{ klist: { host: 'ws1', server: 'krbtgt/CORP.CONTOSO.COM@CORP.CONTOSO.COM', etype: 17 } }],
      },
    ];
    const run = runScenario(validateScenario(JSON.parse(JSON.stringify(s))) as Scenario);
    expect(run.outcomes.map((o) => o.detail)).toEqual([
      'action mount: it succeeded; Windows error none, expected 53 (Drive S: is now connected to \\\\fs1.corp.contoso.com\\share. The command completed successfully.)',
      "ws1's klist has no ticket for cifs/fs9.corp.contoso.com@CORP.CONTOSO.COM",
      'no KRB-ERROR KRB_AP_ERR_SKEW (37) in the trace',
      'messages were [AS-REQ, KRB-ERROR 25, AS-REQ, AS-REP], expected [AS-REQ, AS-REP]',
      'the ticket for krbtgt/CORP.CONTOSO.COM@CORP.CONTOSO.COM is etype 18, expected 17',
    ]);
  });
});

describe('exports of a run (src/world/export.ts)', () => {
  test('pcapng and keytab of trust-referral: Kerberos frames, the modelled SMB steps left out', () => {
    const run = runScenario(scenario('trust-referral'));
    const pcap = exportPcapng(run.world);
    expect(Array.from(pcap.slice(0, 4))).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);
    const keytab = exportKeytab(run.world);
    expect(Array.from(keytab.slice(0, 2))).toEqual([0x05, 0x02]);
  });
});

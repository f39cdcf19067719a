// The scenario player behind the picker: one step per timeline action, each a snapshot; outcomes as the
// run reaches them; a fault from the panel goes into the timeline at the current step and is played.
import { beforeAll, describe, expect, test } from 'vitest';
import { Engine, EngineError } from '../../../src/ui/engine/engine';
import type { Summary } from '../../../src/ui/engine/protocol';

const label = (r: { type: string; errorCode?: number }) =>
  r.errorCode !== undefined ? `${r.type} ${r.errorCode}` : r.type;
const kerberos = (s: Summary) => s.trace.filter((r) => r.kind === 'message' && !r.modelled).map(label);
const states = (s: Summary) => Object.fromEntries((s.outcomes ?? []).map((o) => [o.id, o.state]));

let engine: Engine;
beforeAll(() => {
  engine = new Engine({ scope: 'test', script: 'player.test.ts' });
});

describe('kerberos-101, step by step', () => {
  let start: Summary;
  beforeAll(() => {
    const r = engine.load({ kind: 'catalogue', id: 'kerberos-101' });
    if (!r.ok) throw new Error(r.problem.reason);
    start = r.summary;
  });

  test('it opens before anything happened: two steps, every outcome pending', () => {
    expect(start.scenario).toMatchObject({ id: 'kerberos-101', source: 'catalogue' });
    expect(start.step).toBe(0);
    expect(start.steps.map((s) => [s.actionId, s.title])).toEqual([
      ['logon', 'alice signs in on ws1'],
      ['mount', 'ws1> net use S: \\\\fs1.corp.contoso.com\\share'],
    ]);
    expect(start.trace).toEqual([]);
    expect(new Set(Object.values(states(start)))).toEqual(new Set(['pending']));
  });

  test('the sign-in: the AS exchange with pre-authentication; its outcome holds, the rest wait', () => {
    const s = engine.goto(1);
    expect(kerberos(s)).toEqual(['AS-REQ', 'KRB-ERROR 25', 'AS-REQ', 'AS-REP']);
    expect(s.steps[0]).toMatchObject({ result: 'ok' });
    expect(states(s)).toMatchObject({
      'as-with-preauth': 'ok',
      'tgs-then-ap': 'pending',
      'eight-messages': 'pending',
    });
    expect(s.tickets.map((t) => [t.kind, t.server, t.held])).toEqual([
      ['tgt', 'krbtgt/CORP.CONTOSO.COM@CORP.CONTOSO.COM', true],
    ]);
    const t = s.tickets[0]!;
    expect(t.end - t.start).toBe(10 * 3600_000);
  });

  test('the mount: TGS and AP over SMB, the modelled SMB steps labelled; every outcome holds', () => {
    const s = engine.goto(2);
    expect(kerberos(s)).toEqual([
      'AS-REQ',
      'KRB-ERROR 25',
      'AS-REQ',
      'AS-REP',
      'TGS-REQ',
      'TGS-REP',
      'AP-REQ',
      'AP-REP',
    ]);
    const smb = s.trace.filter((r) => r.type.startsWith('SMB2'));
    expect(smb.length).toBeGreaterThan(0);
    expect(smb.every((r) => r.modelled)).toBe(true);
    expect(new Set(Object.values(states(s)))).toEqual(new Set(['ok']));
    const ws1 = s.consoles.find((c) => c.host === 'ws1')!;
    // the sign-in is typed at the console too (logon), then the mount
    expect(ws1.lines.filter((l) => l.kind === 'command').map((l) => l.text)).toEqual([
      'logon',
      'net use S: \\\\fs1.corp.contoso.com\\share',
    ]);
    expect(ws1.lines.at(-1)!.text).toMatch(/The command completed successfully/);
  });

  test('stepping back is a restore: the same summary as before', () => {
    const one = engine.goto(1);
    engine.goto(2);
    expect(engine.goto(1)).toEqual(one);
  });

  test('a 6-minute skew put in before the sign-in: KRB_AP_ERR_SKEW, the mount fails with 1326, outcomes fail', () => {
    engine.goto(0);
    const s = engine.fault({ do: 'set-skew', host: 'ws1', offsetMs: 6 * 60_000 });
    expect(s.step).toBe(1);
    expect(s.faults).toBe(1);
    expect(s.steps).toHaveLength(3);
    expect(s.steps[0]).toMatchObject({ injected: true, title: "ws1's clock is set to +6m" });
    expect(s.world.hosts.find((h) => h.id === 'ws1')!.clockOffset).toBe(6 * 60_000);
    expect(s.trace[0]).toMatchObject({ kind: 'action', type: 'fault' });
    const end = engine.goto(3);
    expect(kerberos(end)).toContain('KRB-ERROR 37');
    expect(end.steps.map((x) => x.result)).toEqual(['ok', 'failed', 'failed']);
    expect(states(end)).toMatchObject({ 'as-with-preauth': 'failed', 'mount-succeeds': 'failed' });
    const ws1 = end.consoles[0]!;
    const err = ws1.lines.find((l) => l.windowsError === 1326)!;
    expect(err.explain).toMatch(/fell back to NTLM/);
    expect(end.trace.some((r) => r.windowsError === 1326)).toBe(true);
  });

  test('faults the world cannot take are refused with a sentence', () => {
    expect(() => engine.fault({ do: 'host-down', host: 'nowhere' })).toThrow(EngineError);
    // read by the action table's own fields, as a scenario file's are
    expect(() => engine.fault({ do: 'block-port', host: 'fs1', port: 70000 })).toThrow(
      /must be at most 65535, not 70000/,
    );
    expect(() => engine.fault({ do: 'link-down', a: 'ws1', b: 'ws1' })).toThrow(/two different hosts/);
    expect(() => engine.fault({ do: 'advance', by: 'soon' })).toThrow(/not a duration/);
  });

  test('a skew or an advance that takes a clock past 2037-09-12 is refused, as in a scenario file', () => {
    engine.goto(0);
    const before = engine.goto(0);
    expect(() => engine.fault({ do: 'set-skew', host: 'ws1', offsetMs: 99999999999 * 60_000 })).toThrow(
      /ws1's clock at a time on or after 2037-09-13/,
    );
    expect(() => engine.fault({ do: 'advance', by: '99999d' })).toThrow(
      /takes ws1's clock to a time on or after 2037-09-13/,
    );
    expect(() => engine.fault({ do: 'set-skew', host: 'ws1', offsetMs: -99999999999 * 60_000 })).toThrow(
      /before 1970-01-01/,
    );
    expect(engine.goto(0)).toEqual(before);
  });

  test("any inserted action is held to the same clocks, not only the panel's faults", () => {
    const before = engine.goto(0);
    expect(() => engine.insert({ do: 'advance', by: '99999d' }, 'clock', false)).toThrow(
      /takes ws1's clock to a time on or after 2037-09-13/,
    );
    expect(() => engine.insert({ do: 'set-skew', host: 'ws1', offset: '-99999d' }, 'typed', false)).toThrow(
      /puts ws1's clock at a time before 1970-01-01/,
    );
    expect(() =>
      engine.insert({ do: 'klist', host: 'ws1', at: '2040-01-01T00:00:00Z' }, 'typed', false),
    ).toThrow(/takes the clock to a time on or after 2037-09-13/);
    expect(engine.goto(0)).toEqual(before);
  });
});

describe('what the user puts into the timeline: insert, replace the later steps, undo', () => {
  let start: Summary;
  beforeAll(() => {
    const r = engine.load({ kind: 'catalogue', id: 'kerberos-101' });
    if (!r.ok) throw new Error(r.problem.reason);
    start = r.summary;
  });

  test('an action typed after the last step is played at once, checked as a scenario file checks it', () => {
    const end = engine.goto(2);
    expect(end.later).toBe(0);
    const s = engine.insert(
      { do: 'klist-get', host: 'ws1', spn: 'cifs/fs1.corp.contoso.com' },
      'typed',
      false,
    );
    expect(s.step).toBe(3);
    expect(s.steps[2]).toMatchObject({ injected: true, source: 'typed', result: 'ok' });
    expect(s.undoable).toBe(s.steps[2]!.title);
    // a typed command's own console line says what happened: no extra line as a fault has
    expect(s.trace.some((r) => r.kind === 'action' && r.type === 'typed')).toBe(false);
    expect(() => engine.insert({ do: 'klist-get', host: 'nowhere', spn: 'x/y' }, 'typed', false)).toThrow(
      /action\.host/,
    );
    expect(() => engine.insert({ do: 'fly' }, 'typed', false)).toThrow(/action\.do: must be one of logon, /);
    // a refused insert leaves the run where it was
    expect(engine.summary()).toEqual(s);
  });

  test('undo takes it back: the same summary as before the insert', () => {
    const before = engine.goto(2);
    engine.insert({ do: 'klist-purge', host: 'ws1' }, 'typed', false);
    const undone = engine.handle({ id: 1, kind: 'undo' }) as Summary;
    expect(undone.steps).toEqual(before.steps.map((x) => x));
    expect(undone.step).toBe(before.step);
    expect(undone.trace).toEqual(before.trace);
  });

  test('at an earlier step: kept after it, or replaced; the clock moved by the user has a line of its own', () => {
    const reset = engine.load({ kind: 'catalogue', id: 'kerberos-101' });
    if (!reset.ok) throw new Error(reset.problem.reason);
    engine.goto(1);
    const kept = engine.insert({ do: 'advance', by: '11h' }, 'clock', false);
    expect(kept.step).toBe(2);
    expect(kept.steps.map((x) => x.source ?? 'scenario')).toEqual(['scenario', 'clock', 'scenario']);
    expect(kept.trace.find((r) => r.kind === 'action' && r.type === 'clock')?.result).toMatch(
      /^you moved the clock: /,
    );
    // the mount after eleven hours: the TGT has expired, so the client signs in again or fails; either way it ran
    expect(engine.goto(3).steps[2]!.result).toBeDefined();
    engine.handle({ id: 2, kind: 'undo' });
    engine.goto(1);
    const replaced = engine.insert({ do: 'advance', by: '1h' }, 'clock', true);
    expect(replaced.steps).toHaveLength(2);
    expect(replaced.later).toBe(0);
    // the outcome about the mount, which is gone, is not reached (and does not throw)
    expect(replaced.outcomes?.find((o) => o.id === 'tgs-then-ap')?.state).toBe('pending');
    const back = engine.handle({ id: 3, kind: 'undo' }) as Summary;
    expect(back.steps.map((x) => x.actionId)).toEqual(start.steps.map((x) => x.actionId));
    expect(back.step).toBe(1);
  });
});

describe('clock-skew', () => {
  test('refused at the skewed sign-in, fixed by the clock; every outcome holds at the end', () => {
    const r = engine.load({ kind: 'catalogue', id: 'clock-skew' });
    expect(r.ok).toBe(true);
    const s2 = engine.goto(2);
    expect(kerberos(s2)).toEqual(['AS-REQ', 'KRB-ERROR 25', 'AS-REQ', 'KRB-ERROR 37']);
    expect(states(s2)).toMatchObject({ 'skew-refused': 'ok', 'fixed-clock-fixes-it': 'pending' });
    const end = engine.goto(6);
    expect(new Set(end.outcomes!.map((o) => o.state))).toEqual(new Set(['ok']));
  });
});

describe('exports and sources', () => {
  test('pcapng starts with the section header block; keytab 0x0502; ccache 0x0504; JSON parses', () => {
    engine.load({ kind: 'catalogue', id: 'kerberos-101' });
    engine.goto(2);
    const pcap = engine.export('pcapng');
    expect(Array.from(pcap.bytes.slice(0, 4))).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);
    expect(pcap.name).toBe('kerberos-101.pcapng');
    expect(Array.from(engine.export('keytab').bytes.slice(0, 2))).toEqual([5, 2]);
    expect(Array.from(engine.export('ccache', 'ws1').bytes.slice(0, 2))).toEqual([5, 4]);
    const json = JSON.parse(new TextDecoder().decode(engine.export('trace-json').bytes)) as {
      scenario: string;
      events: unknown[];
    };
    expect(json.scenario).toBe('kerberos-101');
    expect(json.events.length).toBeGreaterThan(8);
  });

  test('kkdcp.lua and the SMB session keys ship with the capture; the capture says how to open them', () => {
    const r = engine.load({ kind: 'catalogue', id: 'happy-path' });
    if (!r.ok) throw new Error(r.problem.reason);
    expect(new TextDecoder().decode(engine.export('smb-keys').bytes)).toBe('');
    expect(engine.export('smb-keys').about).toMatch(/no SMB session was set up/);
    engine.goto(r.summary.steps.length);
    const keys = engine.export('smb-keys');
    expect(keys.name).toBe('smb2_seskey_list');
    expect(new TextDecoder().decode(keys.bytes)).toMatch(/^[0-9a-f]{16},[0-9a-f]{32},"",""\n$/);
    const lua = engine.export('kkdcp-lua');
    expect(lua.name).toBe('kkdcp.lua');
    expect(new TextDecoder().decode(lua.bytes)).toContain(
      'DissectorTable.get("media_type"):add("application/kerberos", kkdcp)',
    );
    const pcap = engine.export('pcapng');
    expect(pcap.about).toMatch(/SMB2 messages on TCP 445/);
    expect(pcap.about).toContain('tshark -2 -r happy-path.pcapng -X lua_script:kkdcp.lua');
  });

  test('a scenario the user wrote: validated, the field named; a good one plays', () => {
    const bad = JSON.parse(engine.source('kerberos-101')) as { timeline: { do: string }[] };
    bad.timeline[1]!.do = 'mount-everything';
    const r = engine.load({ kind: 'json', text: JSON.stringify(bad) });
    expect(r).toMatchObject({ ok: false, problem: { field: 'timeline[1].do' } });
    expect(engine.load({ kind: 'json', text: '{ "id": ' })).toMatchObject({
      ok: false,
      problem: { field: '(file)' },
    });
    const good = engine.load({ kind: 'json', text: engine.source('kerberos-101') });
    expect(good.ok && good.summary.scenario.source).toBe('user');
  });

  test('the catalogue lists every scenario, each one playable; an id it lacks is refused; the first story is one of them', () => {
    const list = engine.catalogue();
    const playable = list.filter((e) => e.available).map((e) => e.id);
    expect(playable).toEqual(
      expect.arrayContaining(['kerberos-101', 'trust-referral', 'clock-skew', 'cloud-only-identity']),
    );
    // every catalogue id runs now (cloud-only-identity was the last one listed as not available)
    expect(list.filter((e) => !e.available)).toEqual([]);
    expect(() => engine.load({ kind: 'catalogue', id: 'no-such-scenario' })).toThrow(
      /no scenario "no-such-scenario"/,
    );
    // the page's first story is an ordinary catalogue entry now, under the id its links used
    expect(list.at(-1)).toEqual({
      id: 'two-forests',
      title: 'Two forests: a referral, then a skewed clock',
      summary: expect.stringMatching(/referral/),
      teaches: expect.stringMatching(/RFC 6806/),
      available: true,
    });
    expect(list.filter((e) => e.id === 'two-forests')).toHaveLength(1);
  });

  test('every available scenario plays to its end with every outcome holding, and every part opens', () => {
    for (const e of engine.catalogue().filter((x) => x.available)) {
      const r = engine.load({ kind: 'catalogue', id: e.id });
      expect(r.ok, e.id).toBe(true);
      const end = engine.goto(r.ok ? r.summary.steps.length : 0);
      expect(
        end.outcomes!.filter((o) => o.state !== 'ok'),
        e.id,
      ).toEqual([]);
      const closed = end.trace
        .filter((row) => row.inspectable)
        .flatMap((row) =>
          engine
            .detail(row.seq)
            .parts.filter((p) => !p.decrypted)
            .map((p) => `${e.id} #${row.seq} ${p.path}: ${p.reason}`),
        );
      expect(closed, e.id).toEqual([]);
    }
  });
});

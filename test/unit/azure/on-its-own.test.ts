// What the hosts do on their own while the clock moves (src/azure/on-its-own.ts), on the real
// cached-logon-4h-gap world: the clock moved past the cloud TGT's end by an `advance` plays every ticket
// expiry, the mapped drive's SMB session re-authenticating each time its cifs ticket ends (real TGS and
// AP exchanges) until the cloud TGT is gone and it fails, and the PRT turning 4 hours old — each a trace
// line at its own time. A move with nothing due writes what it always wrote.
import { describe, expect, test } from 'vitest';
import { clockMarks } from '../../../src/azure';
import {
  findScenario,
  runScenario,
  validateScenario,
  type ActionRecord,
  type Scenario,
  type ScenarioRun,
} from '../../../src/scenarios';
import type { TraceEvent } from '../../../src/world';

const at = (iso: string) => Date.parse(`2026-03-02T${iso}Z`);
const MOUNT = { do: 'net-use', host: 'ws1', unc: '\\\\contosofiles.file.core.windows.net\\profiles' };

/** cached-logon-4h-gap (it ends at 10:30 with Z: mapped through a cloud TGT), then `more`. */
function gap(more: Record<string, unknown>[], change?: (s: Record<string, unknown>) => void): ScenarioRun {
  const s = structuredClone(findScenario('cached-logon-4h-gap')!) as unknown as Record<string, unknown>;
  s.timeline = [...(s.timeline as unknown[]), ...more];
  change?.(s);
  return runScenario(validateScenario(s) as Scenario);
}

const step = (run: ScenarioRun, id: string): ActionRecord => run.actions.find((a) => a.id === id)!;
const during = (run: ScenarioRun, id: string): TraceEvent[] => {
  const r = step(run, id);
  return run.trace.filter((e) => e.seq >= r.fromSeq && e.seq <= r.toSeq);
};
const lines = (events: TraceEvent[], type: string) =>
  events.filter((e) => e.kind === 'action' && e.type === type);

describe('a clock move plays what the hosts do on their own', () => {
  const run = gap([
    { id: 'later', do: 'advance', by: '11h' },
    { id: 'mount', ...MOUNT },
  ]);
  const moved = during(run, 'later');

  test('each ticket that ends on the way expires at its end time, the cloud TGT at 20:30', () => {
    const expired = lines(moved, 'expired');
    const cloud = expired.find((e) => /the cloud TGT krbtgt\/KERBEROS\.MICROSOFTONLINE\.COM/.test(e.result));
    expect(cloud?.t).toBe(at('20:30:00'));
    const onPrem = expired.find((e) => /the TGT krbtgt\/CORP\.CONTOSO\.COM/.test(e.result));
    expect(onPrem?.t).toBe(at('18:00:00'));
    expect(onPrem?.result).toMatch(/renewed until 2026-03-09T08:00:00Z, but nothing renewed it/);
    // in time order, and the clock's own line closes the move at 21:30
    const times = moved.map((e) => e.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(moved.at(-1)).toMatchObject({ type: 'advance', result: 'the clock moves forward 11h' });
    expect(moved.at(-1)!.t).toBe(at('21:30:00') + 132);
  });

  test("the drive's SMB session re-authenticates with a new cifs ticket each time its ticket ends", () => {
    const smb = lines(moved, 'smb');
    const again = smb.filter((e) => /the session is set up again with a ticket/.test(e.result));
    // 11:30 … 19:30: nine new tickets from the cloud KDC, through the KDC proxy
    expect(again.map((e) => new Date(e.t).toISOString().slice(11, 16))).toEqual([
      '11:30',
      '12:30',
      '13:30',
      '14:30',
      '15:30',
      '16:30',
      '17:30',
      '18:30',
      '19:30',
    ]);
    const tgsToEntra = moved.filter(
      (e) => e.type === 'TGS-REQ' && e.to === 'entra' && e.transport === 'kkdcp',
    );
    expect(tgsToEntra).toHaveLength(9);
    // the LSA signs in at the DC again for the on-prem TGT that ended at 18:00
    expect(moved.some((e) => e.type === 'AS-REQ' && e.t >= at('18:30:00') && e.t < at('18:31:00'))).toBe(
      true,
    );
  });

  test('when the cloud TGT is gone the re-authentication fails (NTLM refused, 1326), and so does the next mount', () => {
    const failed = lines(moved, 'smb').find((e) => /could not be set up again/.test(e.result))!;
    expect(failed.t).toBeGreaterThanOrEqual(at('20:30:00'));
    expect(failed.result).toMatch(/System error 1326/);
    expect(run.world.noteOf(failed.seq)).toEqual({ windowsError: 1326 });
    expect(step(run, 'later')).toMatchObject({
      ok: true,
      output: 'advanced 11h (23 things happened on the way)',
    });
    expect(step(run, 'mount')).toMatchObject({ ok: false, windowsError: 1326 });
  });

  test('the PRT turning 4 hours old is a line: the next sign-in refreshes it, CloudAP does not by itself', () => {
    const cloudap = lines(moved, 'cloudap');
    expect(cloudap).toHaveLength(1);
    expect(cloudap[0]!.t).toBeGreaterThanOrEqual(at('14:30:00'));
    expect(cloudap[0]!.result).toMatch(/now 4h old: the next sign-in .* CloudAP does not ask by itself/);
  });

  test('the same world and the same move give the same lines', () => {
    const again = gap([{ id: 'later', do: 'advance', by: '11h' }]);
    const text = (events: TraceEvent[]) => events.map((e) => `${e.t} ${e.type} ${e.result}`);
    expect(text(during(again, 'later'))).toEqual(text(moved));
  });
});

describe('what is due, and when', () => {
  test('a move with nothing due writes only the clock line, as World.elapse does', () => {
    const run = gap([{ id: 'later', do: 'advance', by: '20m' }]);
    const events = during(run, 'later');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      kind: 'action',
      type: 'advance',
      result: 'the clock moves forward 20m',
    });
    expect(step(run, 'later').output).toBe('advanced 20m');
  });

  test("times are the host's own clock: 4 minutes fast, its TGT expires 4 minutes early in true time", () => {
    const run = gap([{ id: 'later', do: 'advance', by: '8h' }], (s) => {
      (s.hosts as { id: string; clockOffset?: string }[]).find((h) => h.id === 'ws1')!.clockOffset = '+4m';
    });
    const onPrem = lines(during(run, 'later'), 'expired').find((e) =>
      /krbtgt\/CORP\.CONTOSO\.COM/.test(e.result),
    );
    expect(onPrem?.t).toBe(at('17:56:00'));
  });

  test('the clock marks: each TGT’s end and renew-till (none for the cloud TGT: Entra refuses it), the PRT’s refresh and expiry, in time order', () => {
    const run = gap([]);
    const marks = clockMarks(run.world);
    const of = (kind: string) => marks.filter((m) => m.kind === kind).map((m) => new Date(m.t).toISOString());
    expect(of('tgt-end')).toEqual(['2026-03-02T18:00:00.000Z', '2026-03-02T20:30:00.000Z']);
    expect(of('renew-till')).toEqual(['2026-03-09T08:00:00.000Z']);
    expect(of('prt-refresh')).toEqual(['2026-03-02T14:30:00.015Z']);
    expect(of('prt-expiry')).toEqual(['2026-03-16T10:30:00.015Z']);
    expect(marks.map((m) => m.t)).toEqual([...marks.map((m) => m.t)].sort((a, b) => a - b));
    expect(marks.find((m) => m.kind === 'tgt-end' && m.t === at('20:30:00'))?.label).toBe(
      'ws1: the cloud TGT ends',
    );
  });
});

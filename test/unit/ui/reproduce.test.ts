// What the engine tells the inspector so it can offer "reproduce it yourself" commands: the key that
// opened each part and, for a long-term key, the scenario password it came from; and for each step, how
// `krbplay scenario run --until` stops after it. The --until line is checked against the runner itself:
// played in-process, it must give the page's messages up to that step (or, when the note says so, up to
// the next one, which starts at the same instant).
import { beforeAll, describe, expect, test } from 'vitest';
import { stringToKey } from '../../../src/crypto';
import { catalogue, findScenario, runScenario, type Scenario } from '../../../src/scenarios';
import { fromHex, fromUtf8, toHex } from '../../../src/util/bytes';
import { Engine } from '../../../src/ui/engine/engine';
import type { EventDetail, RerunView, Summary } from '../../../src/ui/engine/protocol';

let engine: Engine;
beforeAll(() => {
  engine = new Engine({ scope: 'test', script: 'reproduce.test.ts' });
});

const messagesOf = (events: readonly { kind: string; type: string; t: number }[]) =>
  events.filter((e) => e.kind === 'message').map((e) => `${new Date(e.t).toISOString()} ${e.type}`);

/** For each step that has a row, the rerun its last row's detail offers. */
function reruns(stepCount: number): { step: number; summary: Summary; rerun: RerunView }[] {
  const out = [];
  for (let step = 1; step <= stepCount; step++) {
    const summary = engine.goto(step);
    const row = summary.trace.findLast((r) => r.step === step);
    if (!row) continue;
    out.push({ step, summary, rerun: engine.detail(row.seq).rerun! });
  }
  return out;
}

function expectRunnerAgrees(scenario: Scenario, stepCount: number): void {
  for (const { step, summary, rerun } of reruns(stepCount)) {
    if (!('scenario' in rerun)) throw new Error(`step ${step}: ${rerun.why}`);
    expect(rerun.scenario.replace(/\.json$/, '')).toBe(scenario.id);
    const run = runScenario(scenario, rerun.until !== undefined ? { until: rerun.until } : {});
    // played up to this step; or, as the note then says, up to a later step M whose steps all start at
    // the instant this one ends
    const played = run.actions.length;
    expect({ step, note: played > step }).toEqual({
      step,
      note: rerun.note !== undefined && /also plays/.test(rerun.note),
    });
    expect(played).toBeGreaterThanOrEqual(step);
    const page = played > step ? engine.goto(played) : summary;
    expect({ step, messages: messagesOf(run.trace) }).toEqual({ step, messages: messagesOf(page.trace) });
    if (step === stepCount) expect(rerun.until).toBeUndefined();
  }
}

describe('the krbplay scenario run line of each step', () => {
  for (const id of ['kerberos-101', 'cached-logon-4h-gap', 'clock-skew', 'tgt-expiry-10h']) {
    test(`${id}: --until plays exactly the page's messages up to the step`, () => {
      const scenario = findScenario(id);
      if (!scenario?.available) throw new Error(`${id} is not available`);
      const loaded = engine.load({ kind: 'catalogue', id });
      if (!loaded.ok) throw new Error(loaded.problem.reason);
      expectRunnerAgrees(scenario, loaded.summary.steps.length);
    }, 120_000);
  }

  test('a step that sets something at the very instant the next starts says the run plays both', () => {
    const loaded = engine.load({ kind: 'catalogue', id: 'clock-skew' });
    if (!loaded.ok) throw new Error(loaded.problem.reason);
    const first = reruns(1)[0]!;
    expect(first.rerun).toMatchObject({
      scenario: 'clock-skew',
      note: expect.stringMatching(/also plays step 2/),
    });
  }, 60_000);

  test('an advance followed at once by the next step stops 1 ms before the advance ends', () => {
    const base = findScenario('kerberos-101') as Scenario;
    const json = JSON.parse(JSON.stringify(base)) as Record<string, unknown> & { timeline: unknown[] };
    json.id = 'my-own';
    json.timeline.splice(1, 0, { do: 'advance', by: '1h' });
    const loaded = engine.load({ kind: 'json', text: JSON.stringify(json) });
    if (!loaded.ok) throw new Error(loaded.problem.reason);
    const scenario = {
      ...base,
      id: 'my-own',
      timeline: [base.timeline[0]!, { do: 'advance', by: '1h' } as never, base.timeline[1]!],
    };
    const signedIn = engine.goto(1).now;
    const advance = reruns(3).find((r) => r.step === 2)!;
    expect(advance.rerun).toMatchObject({
      scenario: 'my-own.json',
      file: true,
      until: signedIn + 3_600_000 - 1,
      note: expect.stringMatching(/1 ms before this advance ends/),
    });
    expectRunnerAgrees(scenario as Scenario, 3);
  }, 120_000);

  test('the first story is a catalogue scenario with its line; no line once a fault is put in', () => {
    engine.load({ kind: 'catalogue', id: 'two-forests' });
    const s = engine.goto(1);
    expect(engine.detail(s.trace[0]!.seq).rerun).toMatchObject({ scenario: 'two-forests' });
    engine.load({ kind: 'catalogue', id: 'kerberos-101' });
    engine.goto(1);
    const f = engine.fault({ do: 'advance', by: '1h' });
    const row = f.trace.at(-1)!;
    expect(engine.detail(row.seq).rerun).toEqual({
      why: expect.stringMatching(/faults put in from the panel/),
    });
  }, 60_000);
});

describe('the keys behind opened parts', () => {
  let details: EventDetail[];
  beforeAll(() => {
    engine.load({ kind: 'catalogue', id: 'kerberos-101' });
    details = engine.goto(2).trace.map((r) => engine.detail(r.seq));
  }, 60_000);

  test('every opened part carries the key that opened it; a password key names its password and salt', () => {
    const opened = details.flatMap((d) => d.parts.filter((p) => p.decrypted));
    expect(opened.length).toBe(10);
    for (const p of opened) {
      expect(p.keyHex).toMatch(/^[0-9a-f]{64}$/);
      expect(p.etypeNumber).toBe(18);
    }
    const asRep = details.find((d) => d.row.type === 'AS-REP')!;
    const enc = asRep.parts.find((p) => p.path === 'enc-part')!;
    expect(enc.passwordKey).toEqual({
      principal: 'alice@CORP.CONTOSO.COM',
      kvno: 1,
      etype: 18,
      password: 'Contoso-Alice-2026!',
      saltHex: toHex(new TextEncoder().encode('CORP.CONTOSO.COMalice')),
    });
    // the password really makes that key
    const made = stringToKey(18, enc.passwordKey!.password, fromUtf8(fromHex(enc.passwordKey!.saltHex)));
    expect(toHex(made.bytes)).toBe(enc.keyHex);
  });

  test('a random key (kerberos-101 gives krbtgt no password) and session keys name no password', () => {
    const asRep = details.find((d) => d.row.type === 'AS-REP')!;
    expect(asRep.parts.find((p) => p.path === 'ticket.enc-part')!.passwordKey).toBeUndefined();
    const tgsRep = details.find((d) => d.row.type === 'TGS-REP')!;
    expect(tgsRep.parts.find((p) => p.path === 'enc-part')!.passwordKey).toBeUndefined();
  });

  test('after a password change, the new key (kvno 2) is matched to the new password', () => {
    const entry = catalogue().find((s) => s.id === 'rc4-disabled');
    if (!entry?.available) throw new Error('rc4-disabled is missing');
    const change = entry.timeline.find((a) => a.do === 'change-password') as {
      password: string;
      principal: string;
    };
    const loaded = engine.load({ kind: 'catalogue', id: 'rc4-disabled' });
    if (!loaded.ok) throw new Error(loaded.problem.reason);
    const end = engine.goto(loaded.summary.steps.length);
    const views = end.trace
      .filter((r) => r.step > 2)
      .flatMap((r) => engine.detail(r.seq).parts.flatMap((p) => (p.passwordKey ? [p.passwordKey] : [])));
    const after = views.filter((v) => v.principal.startsWith(change.principal.split('@')[0]!));
    expect(after.length).toBeGreaterThan(0);
    for (const v of after) expect(v).toMatchObject({ kvno: 2, password: change.password });
  }, 120_000);
});

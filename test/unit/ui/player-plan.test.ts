// A run given out as data (the plan and the current step) and built again from it, as a saved run or a
// share link does; a plan that no longer validates opens the base scenario and says which entry and why.
import { describe, expect, test } from 'vitest';
import { findScenario, type Scenario } from '../../../src/scenarios';
import { Engine } from '../../../src/ui/engine/engine';
import { Player } from '../../../src/ui/engine/player';
import type { RunPlan } from '../../../src/ui/engine/protocol';

const base = () => findScenario('kerberos-101') as Scenario;

describe('a run as a plan', () => {
  test('plan out, plan in: same steps, sources, current step and trace', () => {
    const a = Player.forScenario(base(), 'catalogue');
    a.goto(1);
    a.insert({ do: 'klist-purge', host: 'ws1' }, 'typed');
    a.insert({ do: 'advance', by: '11h' }, 'clock');
    const plan = JSON.parse(JSON.stringify(a.plan())) as unknown[];
    expect(plan.map((p) => (p as { source: string }).source)).toEqual([
      'scenario',
      'typed',
      'clock',
      'scenario',
    ]);
    const { player: b, problem } = Player.fromPlan(base(), 'catalogue', plan, a.step);
    expect(problem).toBeUndefined();
    expect(b.step).toBe(a.step);
    expect(b.steps()).toEqual(a.steps());
    expect(b.world.trace.length).toBe(a.world.trace.length);
  });

  test('an entry that does not validate: the base scenario, and which entry and why', () => {
    const plan = [
      { action: base().timeline[0], source: 'scenario' },
      { action: { do: 'fly' }, source: 'typed' },
    ];
    const { player, problem } = Player.fromPlan(base(), 'catalogue', plan, 2);
    expect(problem?.entry).toBe(1);
    expect(problem?.message).toMatch(/must be one of logon/);
    expect(player.step).toBe(0);
    expect(player.stepCount).toBe(base().timeline.length);
    const bad = Player.fromPlan(base(), 'catalogue', [{ action: {}, source: 'hacker' }], 0);
    expect(bad.problem?.entry).toBe(0);
    expect(bad.problem?.message).toMatch(/source must be/);
  });
});

describe('the engine: plan out, run in', () => {
  test('a run given out by one engine opens in another at the same step', () => {
    const a = new Engine({ scope: 'test', script: 'player-plan.test.ts' });
    a.load({ kind: 'catalogue', id: 'kerberos-101' });
    a.goto(1);
    a.insert({ do: 'advance', by: '11h' }, 'clock', false);
    const out = a.handle({ id: 1, kind: 'plan' }) as RunPlan;
    const b = new Engine({ scope: 'test', script: 'player-plan.test.ts' });
    const r = b.loadRun(
      { kind: 'catalogue', id: 'kerberos-101' },
      JSON.parse(JSON.stringify(out.plan)),
      out.step,
    );
    expect(r.ok).toBe(true);
    expect(r.ok ? r.planProblem : 'not loaded').toBeUndefined();
    expect(r.ok && r.summary.steps).toEqual(a.summary().steps);
    const bad = b.loadRun(
      { kind: 'catalogue', id: 'kerberos-101' },
      [{ action: { do: 'fly' }, source: 'typed' }],
      1,
    );
    expect(bad.ok && bad.planProblem?.entry).toBe(0);
    expect(bad.ok && bad.summary.step).toBe(0);
  });
});

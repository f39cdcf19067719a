// The training mode's questions come from the trace the engine really made: one per real Kerberos
// message of the step just played (the type, the realm asked, or the error code), with choices from the
// registries and the answer among them; the score per scenario is kept in the work store and survives a
// reload, and a damaged score is said, never used.
import { beforeAll, describe, expect, test } from 'vitest';
import { errorCodes, messageTypes } from '../../../src/asn1/registry';
import { Engine } from '../../../src/ui/engine/engine';
import type { Summary, TraceRow } from '../../../src/ui/engine/protocol';
import {
  CHOICES,
  drawChoices,
  questionFor,
  questionsForStep,
  scored,
  TRAINING_SCORE,
} from '../../../src/ui/lib/training';
import { TrainingMode } from '../../../src/ui/state/training.svelte';

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    key: (i: number) => [...map.keys()][i] ?? null,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    clear: () => map.clear(),
  };
}

let engine: Engine;
const play = (id: string): Summary[] => {
  const r = engine.load({ kind: 'catalogue', id });
  if (!r.ok) throw new Error(r.problem.reason);
  const out = [r.summary];
  for (let s = 1; s <= r.summary.steps.length; s++) out.push(engine.goto(s));
  return out;
};
let k101: Summary[];
let forests: Summary[];

beforeAll(() => {
  engine = new Engine({ scope: 'test', script: 'training.test.ts' });
  k101 = play('kerberos-101');
  forests = play('two-forests');
});

describe('the questions of a step', () => {
  test('kerberos-101, step 1: the AS exchange, one question per Kerberos message, in order', () => {
    const qs = questionsForStep(k101[1]!);
    expect(qs.map((q) => [q.seq, q.kind, q.answer])).toEqual([
      [3, 'type', 'AS-REQ'],
      [4, 'error', '25'],
      [5, 'type', 'AS-REQ'],
      [6, 'type', 'AS-REP'],
    ]);
    const err = qs[1]!;
    expect(err.prompt).toBe('ws1 gets a KRB-ERROR back from dc1. Which error code does it carry?');
    expect(err.choices.find((c) => c.value === '25')?.label).toBe('KDC_ERR_PREAUTH_REQUIRED (25)');
    expect(err.about).toBe(errorCodes.byValue(25)!.summary);
    expect(err.narration).toMatch(/^pre-authentication required/);
    expect(qs[0]!.prompt).toBe('What does ws1 send to dc1 next?');
    expect(qs[0]!.about).toBe(messageTypes.byName('AS-REQ')!.summary);
  });

  test('every choice is a registry entry, four of them, the answer among them, no repeats', () => {
    for (const s of [...k101, ...forests]) {
      for (const q of questionsForStep(s)) {
        expect(q.choices).toHaveLength(
          q.kind === 'realm' ? Math.min(CHOICES, s.world.realms.length) : CHOICES,
        );
        expect(new Set(q.choices.map((c) => c.value)).size).toBe(q.choices.length);
        expect(q.choices.map((c) => c.value)).toContain(q.answer);
        for (const c of q.choices) {
          if (q.kind === 'type') expect(messageTypes.byName(c.value)?.name).toBe(c.value);
          if (q.kind === 'error') expect(errorCodes.byValue(Number(c.value))).toBeDefined();
          if (q.kind === 'realm') expect(s.world.realms.map((r) => r.name)).toContain(c.value);
        }
      }
    }
  });

  test('two realms: a KDC request asks which realm, and the answer is the realm of the KDC it went to', () => {
    const all = forests.slice(1).flatMap((s) => questionsForStep(s));
    const realmQs = all.filter((q) => q.kind === 'realm');
    expect(realmQs.length).toBeGreaterThan(0);
    const end = forests.at(-1)!;
    for (const q of realmQs) {
      const row = end.trace.find((r) => r.seq === q.seq)!;
      expect(['AS-REQ', 'TGS-REQ']).toContain(row.type);
      // an AS-REQ, a TGS-REQ: the article is the one the letters are read with
      expect(q.prompt).toContain(`sends ${row.type === 'AS-REQ' ? 'an' : 'a'} ${row.type} next`);
      expect(end.world.realms.find((r) => r.kdcHost === row.to)?.name).toBe(q.answer);
    }
    // the cross-realm TGS-REQs go to both forests' KDCs: the answers are not all one realm
    expect(new Set(realmQs.map((q) => q.answer)).size).toBe(2);
    expect(all.filter((q) => q.kind === 'error').map((q) => q.answer)).toEqual(['25', '25', '37']);
  });

  test('what is not a real Kerberos message is not asked about', () => {
    const end = k101.at(-1)!;
    const skipped = end.trace.filter((r) => !questionFor(r, end.world.realms));
    expect(skipped.every((r) => r.kind !== 'message' || r.modelled)).toBe(true);
    const unknown: TraceRow = { ...end.trace.find((r) => r.type === 'AS-REQ')!, type: 'SMB2 NEGOTIATE' };
    expect(questionFor(unknown, end.world.realms)).toBeUndefined();
  });

  test('the same row gives the same choices; the answer sits where the pool puts it', () => {
    expect(drawChoices(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 'c', 5)).toEqual(
      drawChoices(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 'c', 5),
    );
    const seen = new Set<number>();
    for (let seed = 0; seed < 20; seed++)
      seen.add(drawChoices(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 'd', seed).indexOf('d'));
    expect(seen.size).toBeGreaterThan(1);
    expect(drawChoices(['x', 'y'], 'y', 9)).toEqual(['x', 'y']);
    expect(drawChoices([1, 2, 3], 99, 0)).toEqual([99, 1, 2, 3]);
  });
});

describe('the score', () => {
  test('the mode asks only after one step forward, scores right and wrong, and keeps the score', () => {
    const storage = memoryStorage();
    const t = new TrainingMode(storage, () => 0);
    t.toggle(k101[0]);
    t.observe(k101[0]);
    expect(t.current).toBeUndefined();
    t.observe(k101[1]);
    expect(t.questions).toHaveLength(4);
    expect(t.hideAfter).toBe(2); // the logon action (#1) shows; the AS-REQ (#3) and after are held back
    t.answer('AS-REQ');
    expect(t.hideAfter).toBe(3);
    t.next();
    t.answer('24'); // wrong: it is 25
    t.next();
    t.answer('AS-REQ');
    t.answer('TGS-REQ'); // a second pick of the same question does not count
    t.next();
    t.answer('not-a-choice'); // nothing the question offers: ignored
    expect(t.picked).toBeUndefined();
    t.answer('AS-REP');
    expect(t.score).toEqual({ right: 3, asked: 4 });
    t.next();
    expect(t.hideAfter).toBeUndefined();
    // back a step, then a jump: nothing "next" to ask about
    t.observe(k101[0]);
    t.observe(k101[2]);
    expect(t.questions).toEqual([]);

    const again = new TrainingMode(storage, () => 0);
    again.toggle(k101[0]);
    expect(again.score).toEqual({ right: 3, asked: 4 });
    expect(again.storeProblem).toBeUndefined();
  });

  test('a damaged stored score is said and not used; the page still counts', () => {
    const storage = memoryStorage();
    storage.setItem('kerberos-playground:doc:training-score:kerberos-101', '{"not": "a document"}');
    const t = new TrainingMode(storage, () => 0);
    t.toggle(k101[0]);
    expect(t.score).toEqual({ right: 0, asked: 0 });
    expect(t.storeProblem).toBeDefined();
    t.observe(k101[1]);
    t.answer('AS-REQ');
    expect(t.score).toEqual({ right: 1, asked: 1 });
    expect(storage.getItem('kerberos-playground:doc:training-score:kerberos-101')).toBe(
      '{"not": "a document"}',
    );
  });

  test('a stored score must be a score', () => {
    expect(TRAINING_SCORE.is({ right: 1, asked: 2 })).toBe(true);
    for (const bad of [
      null,
      {},
      { right: 3, asked: 2 },
      { right: -1, asked: 2 },
      { right: 1.5, asked: 2 },
      { right: 1, asked: 2, x: 1 },
      { right: 1, asked: 2e6 },
    ])
      expect(TRAINING_SCORE.is(bad)).toBe(false);
    expect(scored({ right: 0, asked: 0 }, false)).toEqual({ right: 0, asked: 1 });
  });
});

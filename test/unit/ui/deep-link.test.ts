// Deep links are input from anyone: every part is bounded and checked before the page acts on it, a part
// that cannot be read says why and the parts before it still open; once the scenario plays, the page goes
// to the step, message and field the link names, or opens what it can and says what it could not.
import { beforeAll, describe, expect, test } from 'vitest';
import { Engine } from '../../../src/ui/engine/engine';
import type { EngineClient } from '../../../src/ui/engine/engine-client';
import type { EngineRequest, ViewNode } from '../../../src/ui/engine/protocol';
import {
  deepLinkHash,
  fieldByPath,
  fieldPathOf,
  MAX_DEEP_CHARS,
  readDeepLink,
} from '../../../src/ui/lib/deep-link';
import { readShareHash } from '../../../src/ui/lib/share';
import { Playground } from '../../../src/ui/state/playground.svelte';

describe('reading a deep link', () => {
  test('the share link, the step, the message and the field path', () => {
    expect(readDeepLink('#/s/kerberos-101/step/2/msg/12/field/req-body.sname')).toEqual({
      base: '#/s/kerberos-101',
      step: 2,
      seq: 12,
      field: ['req-body', 'sname'],
      problems: [],
    });
    expect(readDeepLink('#/s/kerberos-101/step/0/')).toEqual({
      base: '#/s/kerberos-101',
      step: 0,
      problems: [],
    });
  });

  test('what is not a deep link comes back whole, with nothing to follow', () => {
    for (const h of ['', '#/', '#/crypto', '#/s/kerberos-101', '#/r2/abc/step/3'])
      expect(readDeepLink(h)).toEqual({ base: h, problems: [] });
  });

  test('a JSON share link keeps its payload as the base (base64url holds no "/")', async () => {
    const d = readDeepLink('#/j/q1YqSy0qzszPU7JSUErOz0ktLlGqBQA/step/1');
    expect(d.base).toBe('#/j/q1YqSy0qzszPU7JSUErOz0ktLlGqBQA');
    expect(d.step).toBe(1);
    expect(await readShareHash(d.base)).toMatchObject({ kind: 'json' });
  });

  test('field names with dots, spaces and brackets survive the round trip', () => {
    const field = ['authorization-data', 'Logon information (KERB_VALIDATION_INFO)', 'a.b', 'Buffers[6]'];
    const hash = deepLinkHash('#/s/two-forests', { step: 4, seq: 31, field });
    expect(hash).not.toMatch(/ /);
    expect(readDeepLink(hash)).toEqual({ base: '#/s/two-forests', step: 4, seq: 31, field, problems: [] });
    expect(deepLinkHash('#/s/x', { step: 3 })).toBe('#/s/x/step/3');
  });

  test('a bad part says why; what came before it still opens', () => {
    const cases: [string, object, RegExp][] = [
      ['/step/three', {}, /step "three" is not a number/],
      ['/step/-1', {}, /step "-1" is not a number/],
      ['/step/2/msg/0', { step: 2 }, /message 0: the trace counts from 1/],
      ['/step/2/frame/7', { step: 2 }, /part "frame" is not one the playground knows/],
      ['/step/2/msg', { step: 2 }, /names a msg but gives no value/],
      ['/msg/12', {}, /names a message but not the step/],
      ['/step/2/field/req-body', { step: 2 }, /names a field but not the message/],
      ['/step/2/step/3', { step: 2 }, /names the step twice/],
      ['/step/2/msg/12/field/req-body..sname', { step: 2, seq: 12 }, /empty name in it/],
      ['/step/2/msg/12/field/%E0%A4%A', { step: 2, seq: 12 }, /is damaged/],
    ];
    for (const [tail, opened, why] of cases) {
      const d = readDeepLink(`#/s/kerberos-101${tail}`);
      expect(d.base).toBe('#/s/kerberos-101');
      expect(d.problems).toHaveLength(1);
      expect(d.problems[0]).toMatch(why);
      expect({ step: d.step, seq: d.seq, field: d.field }).toEqual({
        step: undefined,
        seq: undefined,
        field: undefined,
        ...opened,
      });
    }
  });

  test('hostile: too long, too deep, numbers too large, control characters; quoted text is cut short', () => {
    const long = readDeepLink(`#/s/kerberos-101/step/1/msg/3/field/${'a.'.repeat(MAX_DEEP_CHARS)}a`);
    expect(long).toMatchObject({
      base: '#/s/kerberos-101',
      problems: [expect.stringMatching(/only the scenario was opened/)],
    });
    expect(long.step).toBeUndefined();
    const deep = readDeepLink(`#/s/k/step/1/msg/3/field/${Array(41).fill('x').join('.')}`);
    expect(deep.problems[0]).toMatch(/41 names deep/);
    expect(readDeepLink('#/s/k/step/99999999999').problems[0]).toMatch(/not a number/);
    expect(readDeepLink('#/s/k/step/10000').problems[0]).toMatch(/step 10000 is beyond any scenario/);
    expect(readDeepLink('#/s/k/step/1/msg/1000000').problems[0]).toMatch(/beyond any scenario/);
    expect(readDeepLink('#/s/k/step/1/msg/2/field/a%00b').problems[0]).toMatch(/not a field name/);
    const junk = readDeepLink(`#/s/k/${'x'.repeat(1000)}/1`);
    expect(junk.problems[0]!.length).toBeLessThan(160);
  });
});

describe('field paths in a tree', () => {
  const leaf = (id: string, name: string): ViewNode => ({
    id,
    name,
    tag: '',
    space: 0,
    offset: 0,
    length: 1,
  });
  const tree: ViewNode = {
    ...leaf('0', 'TGS-REQ'),
    children: [
      {
        ...leaf('0.0', 'req-body'),
        children: [leaf('0.0.0', 'sname'), leaf('0.0.1', 'x'), leaf('0.0.2', 'x')],
      },
    ],
  };

  test('a node and its path name each other; a repeated name is told apart', () => {
    expect(fieldPathOf(tree, '0.0.0')).toEqual(['req-body', 'sname']);
    expect(fieldPathOf(tree, '0.0.2')).toEqual(['req-body', 'x~2']);
    expect(fieldPathOf(tree, '0')).toEqual([]);
    expect(fieldPathOf(tree, '9')).toBeUndefined();
    expect(fieldByPath(tree, ['req-body', 'x~2']).node.id).toBe('0.0.2');
    expect(fieldByPath(tree, ['req-body', 'nope', 'deeper'])).toMatchObject({
      node: { id: '0.0' },
      missing: 'nope',
    });
  });
});

describe('following a deep link in the page', () => {
  let engine: Engine;
  beforeAll(() => {
    engine = new Engine({ scope: 'test', script: 'deep-link.test.ts' });
  });
  const client = () =>
    ({
      ask: (kind: string, body: object) =>
        Promise.resolve().then(() => engine.handle({ id: 0, kind, ...body } as EngineRequest)),
    }) as unknown as EngineClient;

  test('kerberos-101 at step 2, the TGS-REQ #12, its req-body.sname selected', async () => {
    const pg = new Playground(client(), undefined);
    await pg.start('#/s/kerberos-101/step/2/msg/12/field/req-body.sname');
    expect(pg.notice).toBeUndefined();
    expect([pg.scenario?.id, pg.step, pg.selectedSeq, pg.selectedRow?.type]).toEqual([
      'kerberos-101',
      2,
      12,
      'TGS-REQ',
    ]);
    expect(pg.selectedNode?.name).toBe('sname');
    expect(fieldPathOf(pg.detail?.tree, pg.selectedNodeId!)).toEqual(['req-body', 'sname']);
    // the field's ancestors are open, so it is in sight
    expect(pg.open.has(pg.detail!.tree!.children!.find((c) => c.name === 'req-body')!.id)).toBe(true);
  });

  test('a step past the end opens the last step and says so', async () => {
    const pg = new Playground(client(), undefined);
    await pg.start('#/s/kerberos-101/step/7/msg/12');
    expect(pg.step).toBe(2);
    expect(pg.notice).toMatch(
      /asks for step 7, but "kerberos-101" has 2 steps: it opened at its last step, so the message/,
    );
  });

  test('a message not yet in the trace at that step: the step opens, the message is said missing', async () => {
    const pg = new Playground(client(), undefined);
    await pg.start('#/s/kerberos-101/step/1/msg/12');
    expect(pg.step).toBe(1);
    expect(pg.notice).toMatch(/no message #12 at step 1 of "kerberos-101" \(its trace holds events #1–#7\)/);
  });

  test('a field the message lacks: the deepest that exists is selected, the rest said', async () => {
    const pg = new Playground(client(), undefined);
    await pg.start('#/s/kerberos-101/step/2/msg/12/field/req-body.nothing-here');
    expect(pg.selectedNode?.name).toBe('req-body');
    expect(pg.notice).toMatch(/#12 \(TGS-REQ\) has no field "nothing-here" under req-body/);
  });

  test('a part that cannot be read is said with the rest, over the scenario it names', async () => {
    const pg = new Playground(client(), undefined);
    await pg.start('#/s/kerberos-101/step/1/msg/x');
    expect([pg.scenario?.id, pg.step]).toEqual(['kerberos-101', 1]);
    expect(pg.notice).toMatch(
      /^Part of this link could not be followed: the link's message "x" is not a number/,
    );
  });
});

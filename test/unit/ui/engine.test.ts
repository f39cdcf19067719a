// The engine the page's Worker runs, driven directly on two-forests (the page's first story, a catalogue
// scenario like the others): its trace, every encrypted part opened with the key that belongs to it,
// stepping by snapshot, klist, and answers small enough to post.
import { beforeAll, describe, expect, test } from 'vitest';
import { decodeKerberos } from '../../../src/asn1';
import { Engine, EngineError } from '../../../src/ui/engine/engine';
import type { EventDetail, Summary, ViewNode } from '../../../src/ui/engine/protocol';

const START = Date.parse('2026-03-02T08:00:00Z');
/** The Kerberos messages of the whole story, in order (the modelled SMB steps around them left out). */
const STORY = [
  'AS-REQ', 'KRB-ERROR 25', 'AS-REQ', 'AS-REP',
  'TGS-REQ', 'TGS-REP', 'TGS-REQ', 'TGS-REP',
  'AP-REQ', 'AP-REP',
  'AS-REQ', 'KRB-ERROR 25', 'AS-REQ', 'KRB-ERROR 37',
]; // prettier-ignore

const messages = (s: Summary) => s.trace.filter((r) => r.kind === 'message' && !r.modelled);
const label = (r: { type: string; errorCode?: number }) =>
  r.errorCode !== undefined ? `${r.type} ${r.errorCode}` : r.type;

let engine: Engine;
let opened: Summary;
let end: Summary;

beforeAll(() => {
  engine = new Engine({ scope: 'test', script: 'engine.test.ts' });
  const r = engine.load({ kind: 'catalogue', id: 'two-forests' });
  if (!r.ok) throw new Error(r.problem.reason);
  opened = r.summary;
  end = engine.goto(r.summary.steps.length);
});

describe('the story', () => {
  test('a catalogue scenario: it opens at its start; five steps; at its end every message in order', () => {
    expect(opened.scenario).toMatchObject({ id: 'two-forests', source: 'catalogue' });
    expect([opened.step, opened.trace.length]).toEqual([0, 0]);
    expect(end.step).toBe(5);
    expect(end.steps.map((s) => s.fails)).toEqual([false, false, false, false, true]);
    expect(messages(end).map(label)).toEqual(STORY);
    expect(messages(end).map((r) => r.step)).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 5, 5, 5, 5]);
  });

  test('dc1 refers ws1 to FABRIKAM.COM; dc2 issues the ticket; the file server answers over SMB', () => {
    const [toDc1, referral, toDc2, ticket, apReq, apRep] = messages(end).slice(4, 10);
    expect([toDc1!.to, referral!.from, toDc2!.to, ticket!.from]).toEqual(['dc1', 'dc1', 'dc2', 'dc2']);
    expect(referral!.referral).toBe(true);
    expect(referral!.headline).toMatch(
      /refers the client with a cross-realm TGT krbtgt\/FABRIKAM.COM@CORP.CONTOSO.COM/,
    );
    expect(ticket!.referral).toBeUndefined();
    expect(apReq).toMatchObject({ to: 'files', transport: 'smb', port: 445, tone: 'request' });
    expect(apRep).toMatchObject({ from: 'files', tone: 'reply' });
  });

  test('the failure: KRB_AP_ERR_SKEW from dc1, and the sign-in marked failed', () => {
    const last = messages(end).at(-1)!;
    expect(last).toMatchObject({ errorCode: 37, errorName: 'KRB_AP_ERR_SKEW', tone: 'error' });
    expect(last.headline).toMatch(/clock skew too great/);
    const failures = end.trace.filter((r) => r.tone === 'failure');
    expect(failures.at(-1)).toMatchObject({ kind: 'action', step: 5 });
    expect(failures.at(-1)!.result).toMatch(/^ws1: sign in failed: .*KRB_AP_ERR_SKEW/);
    expect(end.world.hosts.find((h) => h.id === 'ws1')).toMatchObject({ clockOffset: 6 * 60_000 });
    expect(end.world.realms.map((r) => [r.name, r.kdcHost, r.trustedBy])).toEqual([
      ['CORP.CONTOSO.COM', 'dc1', ['FABRIKAM.COM']],
      ['FABRIKAM.COM', 'dc2', ['CORP.CONTOSO.COM']],
    ]);
  });
});

describe('the inspector', () => {
  let details: EventDetail[];
  beforeAll(() => {
    details = messages(end).map((r) => engine.detail(r.seq));
  });
  const bySeq = (seq: number) => details.find((d) => d.row.seq === seq)!;
  const partsOf = (seq: number) => bySeq(seq).parts.map((p) => `${p.keyUsage} ${p.key}`);

  test('every encrypted part of every message opens', () => {
    const parts = details.flatMap((d) => d.parts);
    expect(parts).toHaveLength(15);
    expect(parts.filter((p) => !p.decrypted)).toEqual([]);
  });

  test('each part says which key opened it and with which key usage', () => {
    const [, , preauth, asRep, tgsReq, referral, tgsReq2, tgsRep, apReq, apRep] = messages(end).map(
      (r) => r.seq,
    );
    expect(partsOf(preauth!)).toEqual(['1 the alice@CORP.CONTOSO.COM key (kvno 1)']);
    expect(partsOf(asRep!).sort()).toEqual([
      '2 the krbtgt/CORP.CONTOSO.COM@CORP.CONTOSO.COM key (kvno 1)',
      '3 the alice@CORP.CONTOSO.COM key (kvno 1)',
    ]);
    expect(partsOf(tgsReq!)).toEqual([
      '2 the krbtgt/CORP.CONTOSO.COM@CORP.CONTOSO.COM key (kvno 1)',
      `7 the session key from #${asRep} (AS-REP)`,
    ]);
    expect(partsOf(referral!).sort()).toEqual([
      '2 the krbtgt/FABRIKAM.COM@CORP.CONTOSO.COM key (kvno 1)',
      `9 the authenticator subkey from #${tgsReq} (TGS-REQ)`,
    ]);
    expect(partsOf(tgsReq2!)[0]).toBe('2 the krbtgt/FABRIKAM.COM@CORP.CONTOSO.COM key (kvno 1)');
    expect(partsOf(tgsRep!).sort()[0]).toBe('2 the cifs/files.fabrikam.com@FABRIKAM.COM key (kvno 1)');
    expect(partsOf(apReq!)).toEqual([
      '2 the cifs/files.fabrikam.com@FABRIKAM.COM key (kvno 1)',
      `11 the session key from #${tgsRep} (TGS-REP)`,
    ]);
    expect(partsOf(apRep!)).toEqual([`12 the session key from #${tgsRep} (TGS-REP)`]);
  });

  test('each opened part carries its plaintext, which decodes as the tree under its EncryptedData says', () => {
    for (const d of details) {
      d.parts.forEach((p, i) => {
        const root = findId(d.tree!, `p${i + 1}`)!;
        expect(root, `${d.row.seq} ${p.path}`).toBeDefined();
        expect(p.plain!.length).toBe(root.offset + root.length);
        // PA-ENC-TS-ENC is a bare SEQUENCE; the rest carry their [APPLICATION n] tag
        if (root.tag.startsWith('[APPLICATION')) expect(decodeKerberos(p.plain!).type).toBe(root.name);
      });
    }
  });

  test('every field’s bytes lie inside the bytes of its space; ids are unique', () => {
    for (const d of details) {
      const ids = new Set<string>();
      walk(d.tree!, (n) => {
        expect(ids.has(n.id)).toBe(false);
        ids.add(n.id);
        const size = n.space === 0 ? d.bytes!.length : d.parts[n.space - 1]!.plain!.length;
        expect(n.offset + n.length, `${d.row.seq} ${n.id} ${n.name}`).toBeLessThanOrEqual(size);
      });
    }
  });

  test('a reply shows what was said about its request; an action has no bytes', () => {
    const referral = bySeq(messages(end)[5]!.seq);
    expect(referral.narration.some((n) => n.stage === 'referral' && /RFC 6806/.test(n.text))).toBe(true);
    const action = engine.detail(end.trace[0]!.seq);
    expect(action.bytes).toBeUndefined();
    expect(action.tree).toBeUndefined();
  });
});

describe('stepping', () => {
  test('each step is a restored snapshot: the clock, the trace and the cache are the step’s', () => {
    const atStart = engine.goto(0);
    expect(atStart.now).toBe(START);
    expect(atStart.trace).toEqual([]);
    expect(engine.klist('ws1', 'windows').text).toMatch(/Cached Tickets: \(0\)/);

    const signedIn = engine.goto(1);
    expect(messages(signedIn).map(label)).toEqual(STORY.slice(0, 4));
    expect(signedIn.now).toBeGreaterThan(START);
    expect(engine.klist('ws1', 'mit').text).toMatch(/krbtgt\/CORP.CONTOSO.COM@CORP.CONTOSO.COM/);

    const skewed = engine.goto(4);
    expect(skewed.now - START).toBeGreaterThanOrEqual(2 * 3600_000);
    expect(skewed.world.hosts.find((h) => h.id === 'ws1')!.clock - skewed.now).toBe(6 * 60_000);
    expect(engine.klist('ws1', 'windows').text).toMatch(/cifs\/files.fabrikam.com @ FABRIKAM.COM/);

    // back to the end: the very same picture as at first
    expect(engine.goto(5)).toEqual(end);
  });

  test('a detail asked at an earlier step is the same message, decoded the same', () => {
    const seq = messages(end)[5]!.seq;
    const late = engine.detail(seq);
    engine.goto(2);
    expect(engine.detail(seq)).toEqual(late);
    engine.goto(5);
  });

  test('bad requests are refused with a sentence', () => {
    expect(() => engine.goto(6)).toThrow(EngineError);
    expect(() => engine.goto(-1)).toThrow(/no step -1/);
    expect(() => engine.detail(999)).toThrow(/no event #999/);
    expect(() => engine.klist('dc1', 'mit')).toThrow(/no Kerberos client/);
    engine.goto(1);
    expect(() => engine.detail(20)).toThrow(/no event #20 at step 1/);
    engine.goto(5);
  });
});

test('answers stay small: the summary holds no bytes; a detail holds only its message and plaintexts', () => {
  const arrays: string[] = [];
  const find = (v: unknown, path: string) => {
    if (v instanceof Uint8Array) arrays.push(path);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) find(x, `${path}.${k}`);
  };
  find(end, 'summary');
  expect(arrays).toEqual([]);
  expect(JSON.stringify(end).length).toBeLessThan(20_000);
  const seq = messages(end)[3]!.seq;
  find(engine.detail(seq), 'detail');
  expect(arrays).toEqual(['detail.bytes', 'detail.parts.0.plain', 'detail.parts.1.plain']);
});

function walk(n: ViewNode, f: (n: ViewNode) => void): void {
  f(n);
  for (const c of n.children ?? []) walk(c, f);
}

function findId(n: ViewNode, id: string): ViewNode | undefined {
  let hit: ViewNode | undefined;
  walk(n, (x) => {
    if (x.id === id) hit = x;
  });
  return hit;
}

describe('klist in the page', () => {
  test('a signed-in Windows user’s klist names the logon session of that sign-in, as the console’s klist does', () => {
    const own = new Engine({ scope: 'test', script: 'engine.test.ts' });
    own.load({ kind: 'catalogue', id: 'kerberos-101' });
    own.goto(1);
    const text = own.klist('ws1', 'windows').text;
    const logonId = text.match(/Current LogonId is (0:0x[0-9a-f]+)/)?.[1];
    expect(logonId).toBeDefined();
    expect(logonId).not.toBe('0:0x3e7'); // SYSTEM's session, not a user's
  });
});

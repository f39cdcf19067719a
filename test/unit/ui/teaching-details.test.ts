// The teaching details a new engineer reads off every scenario: what is badged modelled, what is called a
// referral, how a modelled message describes itself, the narration's own words. Every catalogue scenario is
// played to its end and every row of its trace is read, so a detail wrong anywhere fails here.
import { beforeAll, describe, expect, test } from 'vitest';
import { catalogue } from '../../../src/scenarios/catalogue';
import { Engine } from '../../../src/ui/engine/engine';
import type { EventDetail, Summary } from '../../../src/ui/engine/protocol';
import { modelledNote } from '../../../src/ui/lib/modelled-note';

interface Played {
  id: string;
  end: Summary;
  details: EventDetail[];
}

const played: Played[] = [];
beforeAll(() => {
  const engine = new Engine({ scope: 'test', script: 'teaching-details.test.ts' });
  for (const s of catalogue()) {
    if (!('timeline' in s)) continue;
    const r = engine.load({ kind: 'catalogue', id: s.id });
    if (!r.ok) throw new Error(`${s.id}: ${r.problem.reason}`);
    const end = engine.goto(r.summary.steps.length);
    played.push({ id: s.id, end, details: end.trace.map((row) => engine.detail(row.seq)) });
  }
});

describe('every catalogue scenario, every row', () => {
  test('a message with real bytes is never badged modelled, even to or from a modelled host', () => {
    const wrong = played.flatMap((p) =>
      p.details
        .filter((d) => d.row.kind === 'message' && d.bytes !== undefined && d.row.modelled)
        .map((d) => `${p.id} #${d.row.seq} ${d.row.type} ${d.row.from}→${d.row.to}`),
    );
    expect(wrong).toEqual([]);
    // and the Kerberos that Entra's KDC answers through the proxy is there to be seen as real
    const happy = played.find((p) => p.id === 'happy-path')!;
    expect(happy.end.trace.some((r) => r.to === 'entra' && r.type === 'TGS-REQ' && !r.modelled)).toBe(true);
  });

  test('a modelled step without bytes is still badged modelled', () => {
    const happy = played.find((p) => p.id === 'happy-path')!;
    const bare = happy.details.filter((d) => d.row.kind === 'message' && d.bytes === undefined);
    expect(bare.length).toBeGreaterThan(0);
    expect(bare.every((d) => d.row.modelled)).toBe(true);
  });

  test('only a ticket is a referral: no KRB-ERROR carries the referral badge', () => {
    const wrong = played.flatMap((p) =>
      p.end.trace
        .filter((r) => r.referral && (r.errorCode !== undefined || r.type === 'KRB-ERROR'))
        .map((r) => `${p.id} #${r.seq} ${r.type} ${r.errorCode ?? ''}`),
    );
    expect(wrong).toEqual([]);
    expect(played.some((p) => p.end.trace.some((r) => r.referral))).toBe(true);
  });

  test('no narration line names its speaker twice ("entra: entra: …")', () => {
    const doubled = /(^|\s)([A-Za-z0-9.-]+):\s*\2:/;
    const wrong = played.flatMap((p) => [
      ...p.end.trace
        .filter((r) => doubled.test(r.result) || doubled.test(r.headline ?? ''))
        .map((r) => `${p.id} #${r.seq}: ${r.headline ?? r.result}`),
      ...p.details.flatMap((d) =>
        d.narration
          .filter((n) => doubled.test(n.text) || doubled.test(`${n.actor}: ${n.text}`))
          .map((n) => `${p.id} #${d.row.seq} ${n.actor}: ${n.text}`),
      ),
    ]);
    expect(wrong).toEqual([]);
  });

  test('durations of an hour or more are written in hours ("9h 40m", never "580m")', () => {
    const minutesOnly = /\b(\d{2,})\s?(m|min|minutes)\b/;
    const texts = played.flatMap((p) => [
      ...p.end.trace.map((r) => `${p.id} #${r.seq}: ${r.headline ?? ''} ${r.result}`),
      ...p.details.flatMap((d) => d.narration.map((n) => `${p.id} #${d.row.seq}: ${n.text}`)),
      ...p.end.steps.map((s) => `${p.id} step ${s.index}: ${s.title}`),
    ]);
    const wrong = texts.filter((t) => {
      const m = minutesOnly.exec(t);
      return m !== null && Number(m[1]) >= 60;
    });
    expect(wrong).toEqual([]);
  });
});

describe('what the inspector says of a modelled message', () => {
  const rowsOf = (type: string) =>
    played.flatMap((p) => p.end.trace.filter((r) => r.modelled && r.kind === 'message' && r.type === type));

  test("Entra's PRT exchange does not claim to carry AP-REQ or AP-REP; it points at the real cloud TGT", () => {
    const prt = [...rowsOf('PRT-REQUEST'), ...rowsOf('PRT-RESPONSE')];
    expect(prt.length).toBeGreaterThan(0);
    for (const r of prt) {
      const note = modelledNote(r);
      expect(note).not.toMatch(/AP-REQ|AP-REP/);
      expect(note).toMatch(/cloud TGT .* real Kerberos ticket/);
    }
  });

  test('an NTLM fallback says it is NTLM and that no ticket went in it', () => {
    const ntlm = rowsOf('SMB2 SESSION_SETUP').filter((r) => /NTLM fallback/.test(r.result));
    expect(ntlm.length).toBeGreaterThan(0);
    for (const r of ntlm) expect(modelledNote(r)).toMatch(/NTLM fallback .* no Kerberos ticket was sent/);
  });

  test('a sign-in with the storage account key says its NTLMSSP is real in the export, not that it is a fallback', () => {
    const key = rowsOf('SMB2 SESSION_SETUP').filter((r) => /^NTLMSSP /.test(r.result));
    expect(key.length).toBeGreaterThan(0);
    for (const r of key) {
      const note = modelledNote(r);
      expect(note).toMatch(/storage account key over NTLMv2 .* exported capture carries its real NTLMSSP/);
      expect(note).not.toMatch(/fallback|without making its NTLMSSP/);
    }
  });

  test('a file request says the exported capture carries it as real SMB 3.1.1, never that it is not on the wire', () => {
    const files = ['CREATE', 'READ', 'WRITE', 'CLOSE', 'QUERY_DIRECTORY', 'QUERY_INFO', 'SET_INFO'].flatMap(
      (op) => rowsOf(`SMB2 ${op}`),
    );
    expect(files.length).toBeGreaterThan(0);
    for (const r of files) {
      const note = modelledNote(r);
      expect(note).toMatch(/exported capture carries it as real SMB 3\.1\.1/);
      expect(note).not.toMatch(/file requests are not/);
    }
  });

  test("SMB2's framing says where the mount's real Kerberos is", () => {
    const framing = [...rowsOf('SMB2 NEGOTIATE'), ...rowsOf('SMB2 TREE_CONNECT')];
    expect(framing.length).toBeGreaterThan(0);
    for (const r of framing) expect(modelledNote(r)).toMatch(/AP-REQ and AP-REP that SESSION_SETUP carries/);
  });
});

describe('a clock move typed in minutes', () => {
  test('its step says it in hours and minutes: "580m" is 9h 40m', () => {
    const engine = new Engine({ scope: 'test', script: 'teaching-details.test.ts' });
    const r = engine.load({ kind: 'catalogue', id: 'kerberos-101' });
    if (!r.ok) throw new Error(r.problem.reason);
    const s = engine.insert({ do: 'advance', by: '580m' }, 'clock', false);
    const step = s.steps.find((x) => x.source === 'clock')!;
    expect(step.title).toBe('the clock moves forward 9h 40m');
    expect(step.title).not.toMatch(/580/);
  });
});

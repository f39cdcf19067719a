import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { KeyRing, decodeCapture } from '../../../src/formats/decoder';
import { decodeKeytab } from '../../../src/formats/keytab';
import { readCapture } from '../../../src/formats/pcap';
import { CaptureRun } from '../../../src/ui/engine/capture-run';

const dir = new URL('../../fixtures/captures/', import.meta.url);
const pcap = new Uint8Array(readFileSync(new URL('mit-kinit-kvno.pcapng', dir)));
const keytab = decodeKeytab(new Uint8Array(readFileSync(new URL('mit-kinit-kvno.keytab', dir))));
const origin = { scope: 'test', script: 'test' };

describe('CaptureRun: a capture as a read-only run', () => {
  const messages = readCapture(pcap);
  const cli = decodeCapture(messages, new KeyRing().addKeytab(keytab));
  const run = new CaptureRun('mit-kinit-kvno.pcapng', messages, { keytab: keytab.entries, passwords: [] });
  const summary = run.summary(origin);

  test('one row per message the decoder reads, in frame order, typed as the decoder types them', () => {
    expect(summary.trace.map((r) => r.type)).toEqual(cli.map((m) => m.type));
    expect(summary.trace.map((r) => r.result.split(':')[0])).toEqual(cli.map((m) => `frame ${m.frame}`));
    expect(summary.readOnly).toBe(true);
  });

  test('the inspector opens exactly the parts the CLI decoder opens', () => {
    const opened = summary.trace.flatMap((r) =>
      run
        .detail(r.seq)
        .parts.filter((p) => p.decrypted)
        .map((p) => `${r.seq} ${p.path}`),
    );
    const expected = cli.flatMap((m, i) =>
      m.encParts.filter((p) => p.decrypted).map((p) => `${i + 1} ${p.path}`),
    );
    expect(opened).toEqual(expected);
    expect(opened.length).toBeGreaterThan(0);
  });

  test('lanes from the capture’s hosts; every reply points at its request', () => {
    const lanes = summary.world.hosts.map((h) => h.id);
    for (const r of summary.trace) {
      expect(lanes).toContain(r.from);
      expect(lanes).toContain(r.to);
    }
    const replies = summary.trace.filter((r) => r.tone !== 'request');
    for (const r of replies) {
      const req = summary.trace.find((q) => q.seq === r.replyTo);
      expect(req?.from).toBe(r.to);
    }
  });

  test('ticket lifetimes from the opened replies, at the capture’s own times', () => {
    const reps = cli.filter(
      (m) => /-REP$/.test(m.type) && m.encParts.some((p) => p.path === 'enc-part' && p.decrypted),
    );
    expect(summary.tickets.length).toBe(reps.length);
    expect(summary.tickets.length).toBeGreaterThan(0);
    const first = Date.parse(cli[0]!.time!);
    for (const t of summary.tickets) {
      expect(t.end).toBeGreaterThan(t.start);
      expect(Math.abs(t.authtime - first)).toBeLessThan(24 * 3600_000);
    }
    expect(summary.tickets.some((t) => t.kind === 'tgt')).toBe(true);
  });

  test('without keys the parts stay sealed, and no ticket is drawn', () => {
    const bare = new CaptureRun('x.pcapng', messages, { keytab: [], passwords: [] });
    const s = bare.summary(origin);
    expect(s.tickets).toEqual([]);
    expect(s.trace.every((r) => bare.detail(r.seq).parts.every((p) => !p.decrypted))).toBe(true);
  });

  test('decoded a slice at a time, to the same rows; a capture with more messages than kept says so', () => {
    const sliced = new CaptureRun(
      'x.pcapng',
      messages,
      { keytab: keytab.entries, passwords: [] },
      messages.length + 5,
    );
    expect(sliced.decodeNext(10)).toBe(false);
    expect(sliced.decodedCount).toBe(10);
    while (!sliced.decodeNext(7));
    const s = sliced.summary(origin);
    expect(s.trace).toEqual(summary.trace);
    expect(sliced.dropped).toBe(5);
    expect(s.scenario.summary).toContain(`the first ${messages.length}; 5 more left out`);
  });
});

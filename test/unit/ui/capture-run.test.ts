import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { KeyRing, decodeCapture } from '../../../src/formats/decoder';
import { decodeKeytab } from '../../../src/formats/keytab';
import { readCapture } from '../../../src/formats/pcap';
import { CaptureRun } from '../../../src/ui/engine/capture-run';
import { findScenario, runScenario, type Scenario } from '../../../src/scenarios';
import { exportKeytab, exportPcapng } from '../../../src/world';

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

describe('CaptureRun: SMB2 in a capture (the ntfs-deny run, NTLMSSP then Kerberos through the KDC proxy)', () => {
  const world = runScenario(findScenario('ntfs-deny') as Scenario).world;
  const smbKeytab = decodeKeytab(exportKeytab(world));
  const messages = readCapture(exportPcapng(world), { smb2Rows: true });
  const run = new CaptureRun('ntfs-deny.pcapng', messages, { keytab: smbKeytab.entries, passwords: [] });
  const trace = run.summary(origin).trace;
  const smb = trace.filter((r) => r.transport === 'smb');

  test('the AP-REQ inside SESSION_SETUP is a row to the file server, and its ticket and authenticator open', () => {
    const apReq = smb.find((r) => r.type === 'AP-REQ')!;
    expect(apReq.tone).toBe('request');
    expect(apReq.port).toBe(445);
    expect(apReq.headline).toMatch(/AP-REQ in SMB2 SESSION_SETUP/);
    const parts = run.detail(apReq.seq).parts;
    expect(parts.map((p) => [p.path, p.decrypted])).toEqual([
      ['ticket.enc-part', true],
      ['authenticator', true],
    ]);
    const apRep = smb.find((r) => r.type === 'AP-REP')!;
    expect(apRep.replyTo).toBe(apReq.seq);
    expect(run.detail(apRep.seq).parts.every((p) => p.decrypted)).toBe(true);
  });

  test('NTLMSSP named by type; the CHALLENGE says MORE_PROCESSING_REQUIRED and is no error', () => {
    const ntlm = smb.filter((r) => r.type.startsWith('NTLMSSP '));
    expect(ntlm.map((r) => [r.type, r.tone])).toEqual([
      ['NTLMSSP NEGOTIATE', 'request'],
      ['NTLMSSP CHALLENGE', 'reply'],
      ['NTLMSSP AUTHENTICATE', 'request'],
    ]);
    expect(ntlm[1]!.result).toMatch(/STATUS_MORE_PROCESSING_REQUIRED \(0xC0000016\)$/);
    expect(run.detail(ntlm[0]!.seq).problem).toBeUndefined();
  });

  test('the other commands are rows with no bytes to inspect; sealed ones are shown as encrypted, not failed', () => {
    const sealed = smb.filter((r) => r.type === 'SMB2 encrypted');
    expect(sealed.length).toBeGreaterThan(0);
    expect(sealed.every((r) => !r.inspectable && r.tone !== 'error')).toBe(true);
    // a sealed request goes to the server's port, its answer comes back
    expect(sealed.filter((r) => r.tone === 'request').length).toBe(sealed.length / 2);
    const detail = run.detail(sealed[0]!.seq);
    expect(detail.narration.map((n) => n.text).join('\n')).toMatch(/inside the ciphertext/);
    expect(smb.filter((r) => r.type === 'SMB2 NEGOTIATE')).toHaveLength(4);
  });
});

describe('CaptureRun: SMB2 responses answer their own requests', () => {
  test('two requests pipelined on one connection: each response points at the request of its MessageId', () => {
    const at = (frame: number) => new Date(Date.UTC(2026, 2, 2, 8, 0, frame));
    const client = '10.0.0.5:50123';
    const server = '10.0.0.9:445';
    const row = (frame: number, name: string, command: number, messageId: number, response: boolean) => ({
      frame,
      time: at(frame),
      src: response ? server : client,
      dst: response ? client : server,
      transport: 'smb' as const,
      bytes: new Uint8Array(0),
      smb2: { command, name, response, status: 0, sessionId: '0x0000000000000001', messageId },
    });
    const messages = [
      row(1, 'TREE_CONNECT', 3, 7, false),
      row(2, 'CREATE', 5, 8, false),
      row(3, 'TREE_CONNECT', 3, 7, true),
      row(4, 'CREATE', 5, 8, true),
    ];
    const trace = new CaptureRun('pipelined.pcap', messages, { keytab: [], passwords: [] }).summary(
      origin,
    ).trace;
    expect(trace.map((r) => [r.seq, r.replyTo])).toEqual([
      [1, undefined],
      [2, undefined],
      [3, 1],
      [4, 2],
    ]);
  });
});

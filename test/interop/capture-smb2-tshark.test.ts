// The capture reader's SMB2 beside Wireshark's: `krbplay scenario run ntfs-deny --pcap --keytab` writes
// a run with an NTLMSSP sign-in, a Kerberos one (AP-REQ and AP-REP in SESSION_SETUP) and sealed SMB 3.1.1
// requests after each; every SMB2 message tshark sees (frame, command or TRANSFORM_HEADER, response flag,
// status, session) is a row of ours, and `krbplay decode --pcap` lists each SESSION_SETUP token tshark
// dissects, with the NTLMSSP message type or Kerberos message it carries.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readCapture } from '../../src/formats/pcap';
import { hasPackages } from '../setup/needs';
import { ensureCliBuilt, krbplay } from '../unit/cli/krbplay';
import { runOk } from './harness';

interface SmbRow {
  frame: number;
  command: string;
  response: string;
  status: string;
  session: string;
}

interface Decoded {
  frame: number;
  transport: string | null;
  type: string;
  ntlmssp?: string;
  smb2?: { command: string; response?: boolean; status: number; sessionId: string };
  encParts: { path: string; decrypted: boolean }[];
}

const KRB_TYPE: Record<string, string> = { '14': 'AP-REQ', '15': 'AP-REP', '30': 'KRB-ERROR' };
const NTLM_TYPE: Record<string, string> = { '1': 'NEGOTIATE', '2': 'CHALLENGE', '3': 'AUTHENTICATE' };

describe.runIf(hasPackages('tshark'))('SMB2 in a capture: our reader beside tshark (ntfs-deny)', () => {
  let dir: string;
  let pcap: string;
  let keytab: string;
  let tshark: string[][];

  beforeAll(async () => {
    ensureCliBuilt();
    dir = mkdtempSync(join(tmpdir(), 'krbplay-smb2-capture-'));
    pcap = join(dir, 'ntfs-deny.pcapng');
    keytab = join(dir, 'ntfs-deny.keytab');
    const r = krbplay('scenario', 'run', 'ntfs-deny', '--pcap', pcap, '--keytab', keytab);
    expect(r.status).toBe(0);
    const fields = ['frame.number', 'smb2.cmd', 'smb2.flags.response', 'smb2.nt_status', 'smb2.sesid'];
    const more = ['smb2.header.transform.msg_size', 'ntlmssp.messagetype', 'kerberos.msg_type'];
    const out = await runOk('tshark', [
      '-r',
      pcap,
      '-n',
      '-Y',
      'smb2',
      '-T',
      'fields',
      '-E',
      'occurrence=f',
      ...[...fields, ...more].flatMap((f) => ['-e', f]),
    ]);
    tshark = out.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t'));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('every SMB2 frame tshark sees is a row: command (or sealed), response flag, status, session', () => {
    expect(tshark.length).toBeGreaterThan(20);
    const theirs: SmbRow[] = tshark.map(([frame, cmd, response, status, session, transform]) => ({
      frame: Number(frame),
      command: transform ? 'encrypted' : `0x${Number(cmd).toString(16)}`,
      response: transform ? '' : response === '1' ? 'response' : 'request',
      status: transform || response !== '1' ? '0' : String(Number(status)),
      session: session!,
    }));
    const ours: SmbRow[] = readCapture(readFileSync(pcap), { smb2Rows: true })
      .filter((m) => m.transport === 'smb')
      .map((m) => ({
        frame: m.frame,
        command: m.smb2!.command < 0 ? m.smb2!.name : `0x${m.smb2!.command.toString(16)}`,
        response: m.smb2!.response === undefined ? '' : m.smb2!.response ? 'response' : 'request',
        status: String(m.smb2!.status),
        session: m.smb2!.sessionId,
      }));
    expect(ours).toEqual(theirs);
  });

  test('krbplay decode --pcap lists each SESSION_SETUP token as tshark dissects it, the Kerberos opened', () => {
    const r = krbplay('decode', '--pcap', pcap, '--keytab', keytab, '--json');
    expect(r.stderr).toBe('');
    const ours = (JSON.parse(r.stdout) as { messages: Decoded[] }).messages.filter(
      (m) => m.transport === 'smb',
    );
    const setups = tshark.filter(([, cmd, , , , transform]) => cmd === '1' && !transform);
    const theirs = setups
      .filter(([, , , , , , ntlm, krb]) => ntlm || krb)
      .map(([frame, , , , , , ntlm, krb]) => ({
        frame: Number(frame),
        what: ntlm ? `NTLMSSP ${NTLM_TYPE[String(Number(ntlm))]}` : KRB_TYPE[krb!],
      }));
    expect(theirs.length).toBeGreaterThanOrEqual(5); // NTLMSSP's three, the AP-REQ and the AP-REP
    const what = (m: Decoded) => (m.ntlmssp ? `NTLMSSP ${m.ntlmssp}` : m.type);
    expect(
      ours.filter((m) => m.type !== 'SPNEGO' || m.ntlmssp).map((m) => ({ frame: m.frame, what: what(m) })),
    ).toEqual(theirs);
    // the frames with a token and nothing tshark names in it: SPNEGO's last word (accept-completed)
    const bare = ours.filter((m) => m.type === 'SPNEGO' && !m.ntlmssp).map((m) => m.frame);
    expect(bare.every((f) => setups.some(([frame]) => Number(frame) === f))).toBe(true);
    for (const m of ours.filter((x) => /^AP-RE[QP]$/.test(x.type))) {
      expect(m.encParts.length).toBeGreaterThan(0);
      expect(m.encParts.every((p) => p.decrypted)).toBe(true);
    }
  });
});

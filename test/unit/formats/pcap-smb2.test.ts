// SMB2 in a capture: SESSION_SETUP's security buffer read out of Direct TCP (MS-SMB2 §2.1), decoded as
// the GSS-API/SPNEGO token it is and opened with the keys given; the other commands, compounds, sealed
// messages and messages too large to hold as rows. The run the project writes itself (ntfs-deny: NTLMSSP
// for the admin, Kerberos through the KDC proxy for alice) is the real case; hand-built frames the edges.
import { describe, expect, test } from 'vitest';
import { KeyRing, decodeCapture, type DecodedMessage } from '../../../src/formats/decoder';
import { decodeKeytab } from '../../../src/formats/keytab';
import { LINKTYPE, readCapture, readSmb2, type CapturedMessage } from '../../../src/formats/pcap';
import { findScenario, runScenario, type Scenario } from '../../../src/scenarios';
import {
  Command,
  HeaderFlag,
  NtStatus,
  encodeHeader,
  ntlmNegotiate,
  sessionSetupRequest,
  sessionSetupResponse,
  treeConnectRequest,
  type Smb2Header,
} from '../../../src/smb2';
import { exportKeytab, exportPcapng } from '../../../src/world';
import { readCaptureFile } from '../../../src/ui/engine/capture-read';
import { ACK, PSH, SYN, ethernet, ip4Packet, ipv4, join, pcapFile, tcp, type Rec } from './pcap-helpers';

const run = runScenario(findScenario('ntfs-deny') as Scenario);
const capture = exportPcapng(run.world);
const keytab = decodeKeytab(exportKeytab(run.world));

function decodeAll(messages: CapturedMessage[]): DecodedMessage[] {
  return decodeCapture(messages, new KeyRing().addKeytab(keytab.entries));
}

describe('SESSION_SETUP in the capture of a run (ntfs-deny)', () => {
  const messages = readCapture(capture);
  const smb = messages.filter((m) => m.transport === 'smb');
  const decoded = decodeAll(messages).filter((m) => m.transport === 'smb');

  test('every SMB2 message the reader keeps without rows asked for is a SESSION_SETUP with a token', () => {
    expect(smb.length).toBeGreaterThan(0);
    for (const m of smb) {
      expect(m.smb2?.name).toBe('SESSION_SETUP');
      expect(m.bytes.length).toBeGreaterThan(0);
      expect(m.dst.endsWith(':445') || m.src.endsWith(':445')).toBe(true);
      expect(m.smb2?.response).toBe(m.src.endsWith(':445'));
    }
  });

  test("the admin's NTLMSSP sign-in is listed by message type, in order", () => {
    const ntlm = decoded.filter((m) => m.ntlmssp);
    expect(ntlm.map((m) => m.ntlmssp)).toEqual(['NEGOTIATE', 'CHALLENGE', 'AUTHENTICATE']);
    expect(ntlm.every((m) => m.type === 'SPNEGO')).toBe(true);
    expect(ntlm[1]!.smb2).toMatchObject({ response: true, status: NtStatus.MORE_PROCESSING_REQUIRED });
  });

  test("alice's AP-REQ opens with the keytab (ticket, then authenticator), and the AP-REP with what it taught", () => {
    const apReq = decoded.find((m) => m.type === 'AP-REQ')!;
    const apRep = decoded.find((m) => m.type === 'AP-REP')!;
    expect(apReq.smb2).toMatchObject({ command: 'SESSION_SETUP', response: false, status: 0 });
    expect(apReq.encParts.map((p) => [p.path, p.decrypted])).toEqual([
      ['ticket.enc-part', true],
      ['authenticator', true],
    ]);
    expect(apReq.encParts[0]!.key).toMatch(/^keytab cifs\//);
    expect(apRep.encParts.map((p) => [p.path, p.decrypted])).toEqual([['enc-part', true]]);
    // the request comes before the session has an id; the response gives it one (MS-SMB2 §3.3.5.5)
    expect(apReq.smb2?.sessionId).toBe('0x0000000000000000');
    expect(apRep.smb2?.sessionId).not.toBe('0x0000000000000000');
  });

  test('without the keytab the tokens are still decoded, nothing opened', () => {
    const bare = decodeCapture(smb, new KeyRing());
    expect(bare.map((m) => m.type)).toEqual(decoded.map((m) => m.type));
    expect(bare.flatMap((m) => m.encParts).some((p) => p.decrypted)).toBe(false);
  });

  test('asked for rows, the sealed SMB 3.1.1 requests after SESSION_SETUP show as encrypted, not failed', () => {
    const rows = readCapture(capture, { smb2Rows: true }).filter((m) => m.transport === 'smb');
    const sealed = rows.filter((m) => m.smb2?.name === 'encrypted');
    expect(sealed.length).toBeGreaterThan(4);
    // the session the admin's NTLM sign-in made seals what follows it
    const session = decoded.find((m) => m.ntlmssp === 'AUTHENTICATE')!.smb2!.sessionId;
    expect(sealed.some((m) => m.smb2?.sessionId === session)).toBe(true);
    expect(rows.filter((m) => m.smb2?.name === 'NEGOTIATE').length).toBe(4);
    expect(rows.length).toBeGreaterThan(smb.length);
  });
});

// ---- hand-built SMB2 ----------------------------------------------------------------------------

const CLIENT = ipv4('192.0.2.10');
const SERVER = ipv4('192.0.2.20');

function smb2(h: Partial<Smb2Header> & { command: number }, body: Uint8Array, next = 0): Uint8Array {
  const header = encodeHeader({
    status: 0,
    credits: 1,
    creditCharge: 1,
    flags: 0,
    messageId: 7n,
    treeId: 0,
    sessionId: 0x1122334455667788n,
    ...h,
  });
  const out = join([header, body]);
  new DataView(out.buffer).setUint32(20, next, true);
  return out;
}

/** Direct TCP (MS-SMB2 §2.1): type 0 and a 24-bit length. */
function direct(message: Uint8Array, type = 0): Uint8Array {
  return join([
    Uint8Array.of(type, message.length >> 16, (message.length >> 8) & 0xff, message.length & 0xff),
    message,
  ]);
}

/** A connection's frames: SYN, then `payloads` cut into segments of `mss` bytes, client to server. */
function connection(payloads: Uint8Array[], mss = 1460, fromServer = false): Rec[] {
  const [src, dst, sport, dport] = fromServer ? [SERVER, CLIENT, 445, 50000] : [CLIENT, SERVER, 50000, 445];
  const recs: Rec[] = [
    { data: ethernet(ip4Packet(src, dst, 6, tcp(sport, dport, 999, SYN, new Uint8Array(0)))), ms: 0 },
  ];
  const stream = join(payloads);
  for (let at = 0; at < stream.length; at += mss) {
    const piece = stream.subarray(at, Math.min(stream.length, at + mss));
    recs.push({
      data: ethernet(ip4Packet(src, dst, 6, tcp(sport, dport, 1000 + at, ACK | PSH, piece))),
      ms: recs.length,
    });
  }
  return recs;
}

const spnegoNtlm = Uint8Array.from([
  0x60, 0x0e, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02, 0xa0, 0x04, 0x30, 0x02, 0xa0, 0x00,
]);

describe('SMB2 framing', () => {
  test('a SESSION_SETUP cut over many segments, after a keep-alive, gives its token once, at the last frame', () => {
    const token = ntlmNegotiate();
    const recs = connection(
      [
        direct(new Uint8Array(0), 0x85),
        direct(smb2({ command: Command.SESSION_SETUP }, sessionSetupRequest(token))),
      ],
      7,
    );
    const got = readCapture(pcapFile(LINKTYPE.ETHERNET, recs));
    expect(got).toHaveLength(1);
    expect(got[0]!.bytes).toEqual(token);
    expect(got[0]!.frame).toBe(recs.length);
    expect(got[0]!.smb2).toMatchObject({
      name: 'SESSION_SETUP',
      response: false,
      sessionId: '0x1122334455667788',
      messageId: 7,
    });
  });

  test('NTLMSSP without SPNEGO around it is an NTLMSSP message, not a malformed one', () => {
    const recs = connection([
      direct(smb2({ command: Command.SESSION_SETUP }, sessionSetupRequest(ntlmNegotiate()))),
    ]);
    const [m] = decodeAll(readCapture(pcapFile(LINKTYPE.ETHERNET, recs)));
    expect(m).toMatchObject({ type: 'NTLMSSP', ntlmssp: 'NEGOTIATE', transport: 'smb' });
    expect(m!.error).toBeUndefined();
  });

  test('a compound request (NextCommand) gives a row per message', () => {
    const first = smb2({ command: Command.TREE_CONNECT }, treeConnectRequest('\\\\fs\\share'));
    const padded = join([first, new Uint8Array((8 - (first.length % 8)) % 8)]);
    const chained = join([
      smb2({ command: Command.TREE_CONNECT }, treeConnectRequest('\\\\fs\\share'), padded.length).subarray(
        0,
        first.length,
      ),
      new Uint8Array(padded.length - first.length),
      smb2({ command: Command.SESSION_SETUP }, sessionSetupRequest(spnegoNtlm)),
    ]);
    const rows = readSmb2(chained);
    expect(rows.map((r) => r.name)).toEqual(['TREE_CONNECT', 'SESSION_SETUP']);
    expect(rows[1]!.token).toEqual(spnegoNtlm);
  });

  test('a NextCommand that points inside the header (1 to 63, or unaligned) ends the chain; nothing throws', () => {
    for (let next = 1; next < 72; next++) {
      const m = smb2({ command: Command.SESSION_SETUP }, sessionSetupRequest(spnegoNtlm), next);
      for (const whole of [true, false]) {
        const rows = readSmb2(m, whole);
        expect(rows.length, `NextCommand ${next}`).toBeGreaterThanOrEqual(1);
        expect(rows[0]!.name).toBe('SESSION_SETUP');
      }
    }
  });

  test('a response with an error status carries the ERROR body, not a token', () => {
    const failed = smb2(
      { command: Command.SESSION_SETUP, flags: HeaderFlag.SERVER_TO_REDIR, status: NtStatus.LOGON_FAILURE },
      Uint8Array.from([9, 0, 0, 0, 0, 0, 0, 0, 0]),
    );
    const [row] = readSmb2(failed);
    expect(row).toMatchObject({ name: 'SESSION_SETUP', response: true, status: NtStatus.LOGON_FAILURE });
    expect(row!.token).toBeUndefined();
    const ok = smb2(
      {
        command: Command.SESSION_SETUP,
        flags: HeaderFlag.SERVER_TO_REDIR,
        status: NtStatus.MORE_PROCESSING_REQUIRED,
      },
      sessionSetupResponse(0, spnegoNtlm),
    );
    expect(readSmb2(ok)[0]!.token).toEqual(spnegoNtlm);
  });

  test('a sealed message (TRANSFORM_HEADER) is a row named encrypted, with its session', () => {
    const sealed = new Uint8Array(52 + 40);
    sealed.set([0xfd, 0x53, 0x4d, 0x42]);
    sealed.set([0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11], 44);
    const recs = connection([direct(sealed)]);
    expect(readCapture(pcapFile(LINKTYPE.ETHERNET, recs))).toEqual([]);
    const [row] = readCapture(pcapFile(LINKTYPE.ETHERNET, recs), { smb2Rows: true });
    expect(row!.smb2).toMatchObject({ name: 'encrypted', command: -1, sessionId: '0x1122334455667788' });
    expect(row!.bytes).toHaveLength(0);
  });

  test('a WRITE larger than a record is a row and passed over: the SESSION_SETUP after it is still found', () => {
    const write = smb2({ command: Command.WRITE }, new Uint8Array(3 * 1024 * 1024).fill(0x41));
    const setup = smb2({ command: Command.SESSION_SETUP }, sessionSetupRequest(spnegoNtlm));
    const recs = connection([direct(write), direct(setup)], 65_000);
    const rows = readCapture(pcapFile(LINKTYPE.ETHERNET, recs), { smb2Rows: true });
    expect(rows.map((r) => r.smb2?.name)).toEqual(['WRITE', 'SESSION_SETUP']);
    expect(rows[0]!.frame).toBe(2);
    expect(rows[1]!.bytes).toEqual(spnegoNtlm);
    expect(rows[1]!.frame).toBe(recs.length);
  });

  test('rows without a token are bounded; those past the bound are counted, tokens never dropped', () => {
    const tree = direct(smb2({ command: Command.TREE_CONNECT }, treeConnectRequest('\\\\fs\\share')));
    const setup = direct(smb2({ command: Command.SESSION_SETUP }, sessionSetupRequest(spnegoNtlm)));
    const file = pcapFile(LINKTYPE.ETHERNET, connection([tree, tree, tree, setup, tree, tree]));
    const rows = readCapture(file, { smb2Rows: true, maxSmb2Rows: 2 });
    expect(rows.map((r) => r.smb2?.name)).toEqual(['TREE_CONNECT', 'TREE_CONNECT', 'SESSION_SETUP']);
  });

  test('read in the worker, the SMB2 rows past the bound count in the capture’s total', async () => {
    const all = readCapture(capture, { smb2Rows: true, maxSmb2Rows: Number.MAX_SAFE_INTEGER });
    const rows = all.filter((m) => m.transport === 'smb' && m.bytes.length === 0).length;
    expect(rows).toBeGreaterThan(3);
    const hooks = { progress: () => undefined, stopped: () => undefined };
    const read = await readCaptureFile(new Blob([capture.slice()]), hooks, 4096, 3);
    expect(read.messages.length).toBe(all.length - rows + 3);
    expect(read.total).toBe(all.length);
  });

  test('the server side of a connection is read as well', () => {
    const reply = smb2(
      {
        command: Command.SESSION_SETUP,
        flags: HeaderFlag.SERVER_TO_REDIR,
        status: NtStatus.MORE_PROCESSING_REQUIRED,
      },
      sessionSetupResponse(0, spnegoNtlm),
    );
    const [m] = readCapture(pcapFile(LINKTYPE.ETHERNET, connection([direct(reply)], 1460, true)));
    expect(m).toMatchObject({ src: '192.0.2.20:445', dst: '192.0.2.10:50000', transport: 'smb' });
    expect(m!.smb2).toMatchObject({ response: true, status: NtStatus.MORE_PROCESSING_REQUIRED });
  });
});

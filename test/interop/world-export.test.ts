// The world's exports in the tools engineers use: tshark dissects the pcapng as Kerberos (and HTTP
// carrying MS-KKDCP), with nothing malformed, and decrypts tickets and enc-parts with the exported
// keytab; MIT klist lists the exported ccache.
//
// The run: alice signs in over TCP (PREAUTH_REQUIRED, then the AS-REP), opens a share in THIRD.TEST
// (a referral from CORP.TEST over TCP, one from OTHER.TEST over UDP, the last TGS exchange through the
// KDC proxy), and a second workstation signs in with the wrong password (PREAUTH_FAILED).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ErrorCode } from '../../src/asn1/registry';
import { buildKdcState, type KdcConfig } from '../../src/kdc';
import {
  accessService,
  addClient,
  exportCcache,
  exportKeytab,
  exportPcapng,
  planPcapExport,
  runOperation,
  serviceStateFromKdc,
  World,
  type TraceEvent,
} from '../../src/world';
import { seededRandom, T0 } from '../unit/kdc/helper';
import { hasPackages } from '../setup/needs';
import {
  runOk,
  tsharkExpertWarnings,
  tsharkKerberos,
  tsharkMalformedFrames,
  type TsharkKerberosFrame,
  type TsharkOptions,
} from './harness';

const kdcConfig: KdcConfig = {
  realms: [
    {
      name: 'CORP.TEST',
      principals: [
        { name: 'alice', password: 'alice-pw', sid: 'S-1-5-21-1-2-3-1104' },
        { name: 'cifs/fs1.corp.test', password: 'fs1-pw' },
      ],
      hostRealm: { '.other.test': 'OTHER.TEST', '.third.test': 'THIRD.TEST' },
    },
    {
      name: 'OTHER.TEST',
      principals: [{ name: 'cifs/fs2.other.test', password: 'fs2-pw' }],
      hostRealm: { '.third.test': 'THIRD.TEST' },
    },
    { name: 'THIRD.TEST', principals: [{ name: 'cifs/fs3.third.test', password: 'fs3-pw' }] },
  ],
  trusts: [
    { from: 'CORP.TEST', to: 'OTHER.TEST', password: 't1' },
    { from: 'OTHER.TEST', to: 'THIRD.TEST', password: 't2' },
  ],
};

function runWorld(): World {
  const kdcState = buildKdcState(kdcConfig, seededRandom(7));
  const host = (id: string, name: string) => ({ id, name, clockOffset: 0, up: true });
  const w = World.create({
    seed: 7,
    now: T0,
    hosts: [
      host('ws1', 'ws1.corp.test'),
      host('ws2', 'ws2.corp.test'),
      host('dc1', 'dc1.corp.test'),
      host('fs3', 'fs3.third.test'),
    ],
    network: { latency: 1, links: [], blocked: [] },
    locator: {
      'CORP.TEST': { host: 'dc1', transport: 'tcp' },
      'OTHER.TEST': { host: 'dc1', transport: 'udp' },
      'THIRD.TEST': { host: 'dc1', transport: 'kkdcp', proxyPath: '/third/kerberos' },
    },
    kdcs: [{ id: 'kdc', host: 'dc1', state: kdcState }],
    services: [
      {
        id: 'fs3',
        host: 'fs3',
        port: 445,
        transport: 'smb',
        state: serviceStateFromKdc(kdcState, 'THIRD.TEST', 'cifs/fs3.third.test'),
      },
    ],
  });
  addClient(w, 'ws1', { principal: 'alice@CORP.TEST' });
  addClient(w, 'ws2', { principal: 'alice@CORP.TEST' });
  expect(runOperation(w, 'ws1', { kind: 'sign-in', password: 'alice-pw' }).ok).toBe(true);
  expect(accessService(w, 'ws1', 'fs3', 'cifs/fs3.third.test').ok).toBe(true);
  const wrong = runOperation(w, 'ws2', { kind: 'sign-in', password: 'not-it' });
  expect(!wrong.ok && wrong.error.code).toBe(ErrorCode.KDC_ERR_PREAUTH_FAILED);
  return w;
}

/**
 * A small Wireshark Lua dissector for MS-KKDCP bodies (Wireshark 4.0 has none): it finds the
 * kerb-message of the KDC-PROXY-MESSAGE (DER: SEQUENCE { [0] OCTET STRING, [1] realm, ... }), skips the
 * 4-byte length, and hands the Kerberos message to Wireshark's own Kerberos dissector.
 */
const KKDCP_LUA = `
local kkdcp = Proto("krbplay_kkdcp", "MS-KKDCP KDC-PROXY-MESSAGE")
local f_msg = ProtoField.bytes("krbplay_kkdcp.kerb_message", "kerb-message")
local f_realm = ProtoField.string("krbplay_kkdcp.target_domain", "target-domain")
kkdcp.fields = { f_msg, f_realm }
local kerberos = DissectorTable.get("udp.port"):get_dissector(88)

local function header(tvb, off)
  local tag = tvb(off, 1):uint()
  local len = tvb(off + 1, 1):uint()
  off = off + 2
  if len >= 0x80 then
    local n = len - 0x80
    len = 0
    for _ = 1, n do
      len = len * 256 + tvb(off, 1):uint()
      off = off + 1
    end
  end
  return tag, len, off
end

function kkdcp.dissector(tvb, pinfo, tree)
  local tag, len, off = header(tvb, 0)
  if tag ~= 0x30 then return 0 end
  local t = tree:add(kkdcp, tvb())
  local stop = off + len
  while off < stop do
    local ctag, clen, coff = header(tvb, off)
    if ctag == 0xa0 then
      local _, olen, ooff = header(tvb, coff)
      t:add(f_msg, tvb(ooff, olen))
      kerberos:call(tvb(ooff + 4, olen - 4):tvb(), pinfo, tree)
    elseif ctag == 0xa1 then
      local _, slen, soff = header(tvb, coff)
      t:add(f_realm, tvb(soff, slen))
    end
    off = coff + clen
  end
  return tvb:len()
end

DissectorTable.get("media_type"):add("application/kerberos", kkdcp)
`;

interface Decryption {
  frame: number;
  /** The trace seq named in the frame comment. */
  seq: number;
  msgType: number;
  /** Key usages of the parts tshark decrypted (one per part, whichever key opened it). */
  decrypted: number[];
  /** Key usages tshark tried and found no key for. */
  missing: number[];
}

/** What tshark decrypted in each Kerberos frame, from its expert items ("Decrypted keytype 18 usage 2 …"). */
async function tsharkDecryptions(file: string, keytab: string, lua?: string): Promise<Decryption[]> {
  const args = ['-r', file, '-n', '-o', 'kerberos.decrypt:TRUE', '-o', `kerberos.file:${keytab}`];
  if (lua) args.push('-X', `lua_script:${lua}`);
  args.push('-Y', 'kerberos.msg_type', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a');
  args.push('-E', 'aggregator=|', '-e', 'frame.number', '-e', 'frame.comment', '-e', 'kerberos.msg_type');
  args.push('-e', '_ws.expert.message');
  const { stdout } = await runOk('tshark', args);
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const [frame, comment, types, expert] = line.split('\t');
      const messages = (expert ?? '').split('|');
      const usages = (re: RegExp) =>
        [...new Set(messages.flatMap((m) => (re.exec(m) ? [Number(re.exec(m)![1])] : [])))].sort(
          (a, b) => a - b,
        );
      return {
        frame: Number(frame),
        seq: Number(/^seq (\d+) /.exec(comment ?? '')?.[1] ?? NaN),
        msgType: Number((types ?? '').split('|')[0]),
        decrypted: usages(/^Decrypted keytype \d+ usage (\d+) /),
        missing: usages(/^Missing keytype \d+ usage (\d+) \(/),
      };
    });
}

/**
 * The parts of each message a keytab with every KDC key opens (RFC 4120 §7.5.1 key usages): the
 * PA-ENC-TIMESTAMP (1) of a right password, tickets (2), the AS-REP enc-part (3), the TGS-REQ's
 * authenticator (7), the TGS-REP enc-part under the authenticator's subkey (9).
 */
function expectedUsages(e: TraceEvent, trace: readonly TraceEvent[]): number[] {
  switch (e.type) {
    case 'AS-REQ': {
      const reply = trace.find((x) => x.replyTo === e.seq);
      return /PA-ENC-TIMESTAMP/.test(e.result) && reply?.type === 'AS-REP' ? [1] : [];
    }
    case 'AS-REP':
      return [2, 3];
    case 'TGS-REQ':
      return [2, 7];
    case 'TGS-REP':
      return [2, 9];
    default:
      return [];
  }
}

const MSG_TYPE: Record<string, number> = {
  'AS-REQ': 10,
  'AS-REP': 11,
  'TGS-REQ': 12,
  'TGS-REP': 13,
  'KRB-ERROR': 30,
};

describe.runIf(hasPackages('tshark', 'krb5-user'))('world exports vs tshark and MIT klist', () => {
  let dir: string;
  let w: World;
  let kerberosEvents: TraceEvent[];
  const files = { pcap: '', unwrapped: '', keytab: '', ccache: '', lua: '' };
  let opts: TsharkOptions;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'krbplay-export-'));
    w = runWorld();
    kerberosEvents = w.trace.filter(
      (e) => e.kind === 'message' && ['udp', 'tcp', 'kkdcp'].includes(e.transport),
    );
    files.pcap = join(dir, 'run.pcapng');
    files.unwrapped = join(dir, 'run-unwrapped.pcapng');
    files.keytab = join(dir, 'run.keytab');
    files.ccache = join(dir, 'ws1.ccache');
    files.lua = join(dir, 'kkdcp.lua');
    writeFileSync(files.pcap, exportPcapng(w));
    writeFileSync(files.unwrapped, exportPcapng(w, undefined, { kkdcp: 'unwrap' }));
    writeFileSync(files.keytab, exportKeytab(w));
    writeFileSync(files.ccache, exportCcache(w, 'ws1'));
    writeFileSync(files.lua, KKDCP_LUA);
    opts = { keytab: files.keytab };
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the run has everything: a sign-in, referrals, UDP, TCP, KKDCP and a failure', () => {
    const kinds = kerberosEvents.map(
      (e) => `${e.transport} ${e.type}${e.errorCode ? ` ${e.errorCode}` : ''}`,
    );
    expect(kinds).toContain('tcp AS-REP');
    expect(kinds).toContain('udp TGS-REP');
    expect(kinds).toContain('kkdcp TGS-REP');
    expect(kinds).toContain(`tcp KRB-ERROR ${ErrorCode.KDC_ERR_PREAUTH_FAILED}`);
    expect(kerberosEvents.filter((e) => /referral/.test(e.result))).toHaveLength(2);
  });

  test('tshark sees every UDP/TCP message as Kerberos on port 88, and each KKDCP message as an HTTP POST or 200 of application/kerberos on port 80', async () => {
    const plan = planPcapExport(w);
    const direct = kerberosEvents.filter((e) => e.transport !== 'kkdcp');
    const frames: TsharkKerberosFrame[] = await tsharkKerberos(files.pcap, opts);
    expect(frames.map((f) => f.msgTypes[0])).toEqual(direct.map((e) => MSG_TYPE[e.type]));
    expect(frames.map((f) => f.transport)).toEqual(direct.map((e) => e.transport));
    frames.forEach((f, i) => {
      const e = direct[i]!;
      const request = e.replyTo === undefined;
      expect(request ? f.dst : f.src).toBe(`${plan.addresses.dc1}:88`);
      expect(f.errorCodes).toEqual(e.errorCode !== undefined ? [e.errorCode] : []);
    });
    const { stdout } = await runOk('tshark', [
      '-r',
      files.pcap,
      '-n',
      '-Y',
      'http',
      '-T',
      'fields',
      '-E',
      'separator=\t',
      '-e',
      'tcp.dstport',
      '-e',
      'http.request.method',
      '-e',
      'http.request.uri',
      '-e',
      'http.response.code',
      '-e',
      'http.content_type',
      '-e',
      'frame.comment',
    ]);
    const http = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t'));
    const proxied = kerberosEvents.filter((e) => e.transport === 'kkdcp');
    expect(http).toHaveLength(proxied.length);
    http.forEach(([port, method, uri, code, type, comment], i) => {
      const request = proxied[i]!.replyTo === undefined;
      expect([method, uri, code]).toEqual(request ? ['POST', '/third/kerberos', ''] : ['', '', '200']);
      if (request) expect(port).toBe('80');
      expect(type).toBe('application/kerberos');
      expect(comment).toMatch(new RegExp(`^seq ${proxied[i]!.seq} .*MS-KKDCP: sent as HTTPS`));
    });
  });

  test('nothing malformed; without a keytab no warnings at all; with it only the misses explained here', async () => {
    expect(await tsharkMalformedFrames(files.pcap, opts)).toEqual([]);
    expect(await tsharkMalformedFrames(files.unwrapped, opts)).toEqual([]);
    expect(await tsharkExpertWarnings(files.pcap)).toEqual([]);
    expect(await tsharkExpertWarnings(files.unwrapped)).toEqual([]);
    const warnings = await tsharkExpertWarnings(files.pcap, opts);
    // - "Missing keytype 18 usage 8": Wireshark tries a TGS-REP's enc-part with the TGT session key
    //   (usage 8) before the authenticator subkey (usage 9) that RFC 4120 §5.4.2 says it is under; the
    //   next try succeeds (see the decryption test);
    // - "Missing keytype 18 usage 1": the wrong password's PA-ENC-TIMESTAMP, which no key in the
    //   keytab opens (that is why the KDC said PREAUTH_FAILED);
    // - "Used keymap=…": the summary Wireshark adds to each of those misses.
    const unexplained = warnings.filter(
      (l) => !/Decryption\s+KRB5\s+(Missing keytype 18 usage [18] \(id=missing\.1\)|Used keymap=)/.test(l),
    );
    expect(unexplained).toEqual([]);
    expect(warnings.some((l) => /Missing keytype 18 usage 1 /.test(l) && /^1\s/.test(l))).toBe(true);
  });

  test('tshark decrypts every ticket and enc-part with the exported keytab (KKDCP too, with a Lua dissector for its body)', async () => {
    const seen = await tsharkDecryptions(files.pcap, files.keytab, files.lua);
    expect(seen.map((d) => d.seq)).toEqual(kerberosEvents.map((e) => e.seq));
    seen.forEach((d, i) => {
      const e = kerberosEvents[i]!;
      expect(d.msgType).toBe(MSG_TYPE[e.type]);
      expect({ seq: d.seq, decrypted: d.decrypted }).toEqual({
        seq: e.seq,
        decrypted: expectedUsages(e, w.trace),
      });
      // the misses explained in the warnings test: a TGS-REP's usage 8 before its 9, the wrong password
      const wrongPassword =
        w.trace.find((x) => x.replyTo === e.seq)?.errorCode === ErrorCode.KDC_ERR_PREAUTH_FAILED;
      const allowedMisses = e.type === 'TGS-REP' ? [8] : wrongPassword ? [1] : [];
      expect(d.missing).toEqual(allowedMisses);
    });
    const parts = seen.reduce((n, d) => n + d.decrypted.length, 0);
    const kkdcpParts = seen
      .filter((d) => kerberosEvents.find((e) => e.seq === d.seq)!.transport === 'kkdcp')
      .reduce((n, d) => n + d.decrypted.length, 0);
    // the stock view (no Lua) opens all but the KKDCP parts, and lists keytypes for them
    const stock = await tsharkKerberos(files.pcap, opts);
    const keytypes = stock.reduce((n, f) => n + f.decryptedKeytypes.length, 0);
    const unwrapped = await tsharkDecryptions(files.unwrapped, files.keytab);
    const unwrappedParts = unwrapped.reduce((n, d) => n + d.decrypted.length, 0);
    console.log(
      `tshark decrypted ${parts} parts in ${seen.length} messages (${kkdcpParts} inside KKDCP); ` +
        `stock tshark: ${keytypes} kerberos.keytype fields in ${stock.length} frames; KKDCP unwrapped: ${unwrappedParts} parts`,
    );
    expect(parts).toBe(15);
    expect(kkdcpParts).toBe(4);
    expect(unwrappedParts).toBe(parts);
    expect(keytypes).toBeGreaterThan(0);
  });

  test('IPv6: the same Kerberos, nothing malformed, the same parts decrypted', async () => {
    const file = join(dir, 'run-v6.pcapng');
    writeFileSync(file, exportPcapng(w, undefined, { ipv6: true }));
    expect(await tsharkMalformedFrames(file, opts)).toEqual([]);
    const v4 = await tsharkKerberos(files.pcap, opts);
    const v6 = await tsharkKerberos(file, opts);
    expect(v6.map((f) => [f.msgTypes, f.decryptedKeytypes])).toEqual(
      v4.map((f) => [f.msgTypes, f.decryptedKeytypes]),
    );
    expect(v6[0]!.src).toMatch(/^\[fd6b:7262:706c:6179::/);
    const seen = await tsharkDecryptions(file, files.keytab, files.lua);
    expect(seen.reduce((n, d) => n + d.decrypted.length, 0)).toBe(15);
  });

  test('MIT klist lists the exported ccache (and the keytab)', async () => {
    const env = { ...process.env, TZ: 'UTC' };
    const { stdout } = await runOk('klist', ['-c', '-e', '-f', files.ccache], { env });
    expect(stdout).toMatch(/Default principal: alice@CORP\.TEST/);
    for (const s of [
      'krbtgt/CORP.TEST@CORP.TEST',
      'krbtgt/OTHER.TEST@CORP.TEST',
      'krbtgt/THIRD.TEST@OTHER.TEST',
      'cifs/fs3.third.test@THIRD.TEST',
    ]) {
      expect(stdout).toMatch(
        new RegExp(`03/02/(20)?26 08:00:00\\s+03/02/(20)?26 18:00:00\\s+${s.replace(/\./g, '\\.')}\\n`),
      );
    }
    expect(stdout).toMatch(/Flags: FRIA/);
    expect(stdout).toMatch(/Etype \(skey, tkt\): aes256-cts-hmac-sha1-96, aes256-cts-hmac-sha1-96/);
    const kt = await runOk('klist', ['-k', '-e', files.keytab], { env });
    expect(kt.stdout).toMatch(/krbtgt\/THIRD\.TEST@OTHER\.TEST \(aes256-cts-hmac-sha1-96\)/);
    expect(kt.stdout).toMatch(/alice@CORP\.TEST \(aes128-cts-hmac-sha1-96\)/);
  });
});

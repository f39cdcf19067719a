// SMB2 in the exported capture, as Wireshark reads it: for every catalogue scenario that mounts a share,
// tshark opens the pcapng with only what the export gives (the keytab, the SMB session keys, kkdcp.lua)
// and finds nothing malformed; SESSION_SETUP carries the Kerberos AP-REQ and AP-REP, whose ticket,
// authenticator and AP-REP part it decrypts; the final SESSION_SETUP response's signature verifies; no
// TRANSFORM_HEADER stays sealed; and the TGS exchange through the KDC proxy is decrypted too.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KKDCP_LUA, writePcapng } from '../../src/formats/pcap';
import {
  Access,
  closeRequest,
  closeResponse,
  Command,
  CreateOption,
  createRequest,
  createResponse,
  Disposition,
  exchange,
  nextFileId,
  NtStatus,
  queryDirectoryRequest,
  queryDirectoryResponse,
  readRequest,
  readResponse,
  writeRequest,
  writeResponse,
  type Smb2ConnectionState,
} from '../../src/smb2';
import { catalogue, runScenario, type Scenario } from '../../src/scenarios';
import { effectiveAcl } from '../../src/azure/files-authz';
import { aceMask } from '../../src/azure/smb-wire';
import {
  exportKeytab,
  exportPcapng,
  exportSmbSessionKeys,
  planPcapExport,
  smbSessionKeys,
  type TraceEvent,
} from '../../src/world';
import { hasPackages } from '../setup/needs';
import { runOk } from './harness';
import { toHex } from '../../src/util';

interface Exported {
  id: string;
  trace: readonly TraceEvent[];
  pcap: string;
  keytab: string;
  keys: string;
}

interface Frame {
  frame: number;
  seq: number;
  commands: number[];
  response: boolean;
  msgTypes: number[];
  decrypted: number[];
  signed: boolean;
  sealed: boolean;
  transform: boolean;
  malformed: boolean;
  ntlm: number[];
}

let dir: string;
let lua: string;

/** The options that make tshark use the export: keytab, session keys, kkdcp.lua, signatures checked. */
function tsharkArgs(x: Exported): string[] {
  const args = ['-2', '-r', x.pcap, '-n', '-X', `lua_script:${lua}`];
  args.push('-o', 'kerberos.decrypt:TRUE', '-o', `kerberos.file:${x.keytab}`);
  args.push('-o', 'smb2.verify_signatures:TRUE');
  for (const line of x.keys.split('\n').filter(Boolean)) args.push('-o', `uat:smb2_seskey_list:${line}`);
  return args;
}

const FIELDS = [
  'frame.number',
  'frame.comment',
  'smb2.cmd',
  'smb2.flags.response',
  'kerberos.msg_type',
  '_ws.expert.message',
  'smb2.header.transform.enc_data',
  'smb2.header.transform.flags',
  '_ws.malformed',
  'smb2.flags.signature',
  'ntlmssp.messagetype',
];

async function frames(x: Exported): Promise<Frame[]> {
  const args = [...tsharkArgs(x), '-Y', 'smb2 || kerberos || _ws.malformed', '-T', 'fields'];
  args.push('-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=|');
  for (const f of FIELDS) args.push('-e', f);
  const { stdout } = await runOk('tshark', args);
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const [n, comment, cmd, resp, types, expert, enc, tf, malformed, signed, ntlm] = line.split('\t');
      const nums = (s: string | undefined) => (s ? s.split('|').filter(Boolean).map(Number) : []);
      const expertLines = (expert ?? '').split('|');
      const decrypted = expertLines.flatMap((m) => {
        const hit = /^Decrypted keytype \d+ usage (\d+) /.exec(m);
        return hit ? [Number(hit[1])] : [];
      });
      return {
        frame: Number(n),
        seq: Number(/^seq (\d+) /.exec(comment ?? '')?.[1] ?? NaN),
        commands: nums(cmd),
        response: (resp ?? '').split('|').includes('1') || (resp ?? '').includes('True'),
        msgTypes: nums(types),
        decrypted: [...new Set(decrypted)].sort((a, b) => a - b),
        signed: /1|True/.test(signed ?? ''),
        sealed: (enc ?? '') !== '',
        transform: (tf ?? '') !== '',
        malformed: (malformed ?? '') !== '',
        ntlm: nums(ntlm),
      };
    });
}

async function framesMatching(x: Exported, filter: string): Promise<number[]> {
  const { stdout } = await runOk('tshark', [
    ...tsharkArgs(x),
    '-Y',
    filter,
    '-T',
    'fields',
    '-e',
    'frame.number',
  ]);
  return stdout.split('\n').filter(Boolean).map(Number);
}

const mounting: Exported[] = [];
/** happy-path's world, kept for the file operations test. */
let happy: ReturnType<typeof runScenario> | undefined;

/** dir, type, echo > file and a refused open, as SMB2 does them on the session happy-path opened. */
function fileOperations(c: Smb2ConnectionState, t: number): { request: Uint8Array; response: Uint8Array }[] {
  const ok = NtStatus.SUCCESS;
  const dirId = nextFileId(c);
  const fileId = nextFileId(c);
  const facts = { time: t, size: 5, directory: false };
  const text = new TextEncoder().encode('hello');
  const open = (name: string, access: number, dir: boolean) =>
    createRequest({
      name,
      desiredAccess: access,
      disposition: dir ? Disposition.OPEN : Disposition.OPEN_IF,
      createOptions: dir ? CreateOption.DIRECTORY_FILE : CreateOption.NON_DIRECTORY_FILE,
    });
  return [
    exchange(c, Command.CREATE, open('', Access.GENERIC_READ, true), {
      status: ok,
      body: createResponse(dirId, { ...facts, size: 0, directory: true }, false),
    }),
    exchange(c, Command.QUERY_DIRECTORY, queryDirectoryRequest(dirId, '*'), {
      status: ok,
      body: queryDirectoryResponse([
        { name: '.', time: t, size: 0, directory: true },
        { name: 'notes.txt', ...facts },
      ]),
    }),
    exchange(c, Command.CLOSE, closeRequest(dirId), { status: ok, body: closeResponse() }),
    exchange(c, Command.CREATE, open('notes.txt', Access.GENERIC_READ | Access.GENERIC_WRITE, false), {
      status: ok,
      body: createResponse(fileId, facts, false),
    }),
    exchange(c, Command.WRITE, writeRequest(fileId, text, 0), { status: ok, body: writeResponse(5) }),
    exchange(c, Command.READ, readRequest(fileId, 5, 0), { status: ok, body: readResponse(text) }),
    exchange(c, Command.CLOSE, closeRequest(fileId), { status: ok, body: closeResponse() }),
    exchange(c, Command.CREATE, open('secret.txt', Access.GENERIC_READ, false), {
      status: NtStatus.ACCESS_DENIED,
    }),
  ];
}
let sealedTotal = 0;
/** Every scenario's run, for the model's side of a comparison. */
const runs = new Map<string, ReturnType<typeof runScenario>>();

/** The ACL the model holds for the object a QUERY_INFO or SET_INFO request named, as type, SID, mask. */
function modelAcl(run: ReturnType<typeof runScenario>, request: TraceEvent): string[] {
  const path = /^\\([^:]*):/.exec(request.result)![1]!;
  const svc = run.world.services.find((s) => s.host === request.to && s.smb)!;
  for (const nodes of Object.values(svc.smb!.files ?? {})) {
    const node = nodes.find((n) => n.path.toLowerCase() === path.toLowerCase());
    if (node)
      return effectiveAcl(nodes, node).map(
        (a) => `${a.type === 'deny' ? 1 : 0} ${a.sid} 0x${aceMask(a.mask).toString(16).padStart(8, '0')}`,
      );
  }
  throw new Error(`no ${path} on ${request.to}`);
}

/** What tshark dissects in the security descriptors of the frames `filter` picks: per trace seq, each ACE. */
async function dissectedAcls(x: Exported, filter: string): Promise<Map<number, string[]>> {
  const args = [...tsharkArgs(x), '-Y', filter, '-T', 'fields', '-E', 'separator=\t'];
  args.push('-E', 'occurrence=a', '-E', 'aggregator=|');
  for (const f of ['frame.comment', 'nt.ace.type', 'nt.sid', 'nt.access_mask', '_ws.malformed'])
    args.push('-e', f);
  const { stdout } = await runOk('tshark', args);
  const out = new Map<number, string[]>();
  for (const line of stdout.split('\n').filter((l) => l.trim() !== '')) {
    const [comment, types, sids, masks, malformed] = line.split('\t');
    expect(malformed ?? '').toBe('');
    const t = types!.split('|');
    const m = masks!.split('|');
    const seq = Number(/^seq (\d+) /.exec(comment ?? '')![1]);
    out.set(
      seq,
      sids!.split('|').map((sid, i) => `${t[i]} ${sid} ${m[i]}`),
    );
  }
  return out;
}

describe.runIf(hasPackages('tshark'))('SMB2 in the capture export vs tshark', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'krbplay-smb2-'));
    lua = join(dir, 'kkdcp.lua');
    writeFileSync(lua, KKDCP_LUA);
    for (const s of catalogue().filter((x): x is Scenario => x.available)) {
      const run = runScenario(s);
      if (smbSessionKeys(run.world).length === 0) continue;
      if (s.id === 'happy-path') happy = run;
      runs.set(s.id, run);
      const x: Exported = {
        id: s.id,
        trace: run.world.trace,
        pcap: join(dir, `${s.id}.pcapng`),
        keytab: join(dir, `${s.id}.keytab`),
        keys: exportSmbSessionKeys(run.world),
      };
      writeFileSync(x.pcap, exportPcapng(run.world));
      writeFileSync(x.keytab, exportKeytab(run.world));
      mounting.push(x);
    }
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  afterAll(() => {
    console.log(
      `${mounting.length} scenarios; ${sealedTotal} TRANSFORM_HEADER frames, every one opened by tshark`,
    );
  });

  test('the catalogue mounts shares: happy-path among them', () => {
    expect(mounting.map((x) => x.id)).toContain('happy-path');
    console.log(`scenarios that set up an SMB session: ${mounting.map((x) => x.id).join(', ')}`);
  });

  test('every one: nothing malformed, AP-REQ and AP-REP in SESSION_SETUP decrypted, the final response signed, nothing left sealed', async () => {
    for (const x of mounting) {
      const all = await frames(x);
      const smb = all.filter((f) => f.commands.length > 0);
      expect({ id: x.id, malformed: all.filter((f) => f.malformed).map((f) => f.frame) }).toEqual({
        id: x.id,
        malformed: [],
      });
      const setups = smb.filter((f) => f.commands[0] === 1);
      // the storage account key's sign-in carries NTLMSSP, not Kerberos (its own test is below)
      const requests = setups.filter((f) => !f.response && f.ntlm.length === 0);
      expect(requests.length).toBeGreaterThan(0);
      for (const r of requests) {
        expect({ id: x.id, frame: r.frame, types: r.msgTypes[0], decrypted: r.decrypted }).toEqual({
          id: x.id,
          frame: r.frame,
          types: 14,
          decrypted: [2, 11],
        });
      }
      const opened = x.trace.filter((e) => e.smbSession && !e.result.startsWith('NTLMv2'));
      const finals = setups.filter((f) => f.response && opened.some((e) => e.seq === f.seq));
      expect(finals).toHaveLength(opened.length);
      for (const f of finals)
        expect({ id: x.id, types: f.msgTypes[0], decrypted: f.decrypted }).toEqual({
          id: x.id,
          types: 15,
          decrypted: [12],
        });
      // every signed message verifies (the final SESSION_SETUP responses, and a share on-prem's messages,
      // which are signed rather than sealed); none is bad
      const good = await framesMatching(x, 'smb2.good_signature');
      const signed = all.filter((f) => f.signed).map((f) => f.frame);
      expect({ id: x.id, good, bad: await framesMatching(x, 'smb2.bad_signature') }).toEqual({
        id: x.id,
        good: signed,
        bad: [],
      });
      expect(finals.every((f) => good.includes(f.frame))).toBe(true);
      expect({ id: x.id, sealed: all.filter((f) => f.sealed).map((f) => f.frame) }).toEqual({
        id: x.id,
        sealed: [],
      });
      // after SESSION_SETUP, each message is sealed (Azure Files) or signed (on-prem)
      const transformed = all.filter((f) => f.transform).map((f) => f.frame);
      const treeConnects = smb.filter((f) => f.commands.includes(3)).map((f) => f.frame);
      expect(treeConnects.length).toBeGreaterThan(0);
      expect(treeConnects.every((n) => transformed.includes(n) || good.includes(n))).toBe(true);
      sealedTotal += transformed.length;
    }
  }, 600_000);

  test('happy-path: the TGS exchange through the KDC proxy is decrypted with kkdcp.lua, and only with it', async () => {
    const x = mounting.find((m) => m.id === 'happy-path')!;
    const proxied = x.trace.filter((e) => e.transport === 'kkdcp' && e.kind === 'message');
    expect(proxied.map((e) => e.type)).toEqual(['TGS-REQ', 'TGS-REP']);
    const all = await frames(x);
    const seen = proxied.map((e) => all.find((f) => f.seq === e.seq && f.msgTypes.length > 0)?.decrypted);
    expect(seen).toEqual([
      [2, 7],
      [2, 9],
    ]);
    const parts = all.reduce((n, f) => n + f.decrypted.length, 0);
    const { stdout } = await runOk('tshark', [
      ...tsharkArgs(x).filter((a, i, arr) => a !== `lua_script:${lua}` && arr[i + 1] !== `lua_script:${lua}`),
      '-Y',
      'kerberos.msg_type == 12 || kerberos.msg_type == 13',
    ]);
    console.log(
      `happy-path: tshark decrypted ${parts} Kerberos parts; the KKDCP frames without kkdcp.lua: ${stdout.trim() || 'no Kerberos seen'}`,
    );
    expect(stdout.trim()).toBe('');
  }, 120_000);

  test('the scenarios’ own file steps are in their exports: tshark dissects CREATE, QUERY_DIRECTORY, READ, WRITE and CLOSE, and ntfs-deny’s refused CREATE shows STATUS_ACCESS_DENIED', async () => {
    const seen: Record<string, number[]> = {};
    for (const x of mounting) {
      // the clients whose session has keys on the wire (Kerberos: their TREE_CONNECT has bytes; the
      // storage-account-key sign-in with NTLMSSP is still modelled without them)
      const keyed = new Set(
        x.trace
          .filter((e) => e.type === 'SMB2 TREE_CONNECT' && e.smb2 && e.replyTo === undefined)
          .map((e) => e.from),
      );
      const fileSteps = x.trace.filter(
        (e) =>
          e.kind === 'message' &&
          (keyed.has(e.from) || keyed.has(e.to)) &&
          /^SMB2 (CREATE|READ|WRITE|CLOSE|QUERY_DIRECTORY)$/.test(e.type),
      );
      if (fileSteps.length === 0) continue;
      const all = await frames(x);
      const cmds = all.flatMap((f) => f.commands).filter((c) => [5, 6, 8, 9, 14].includes(c));
      // one frame per file step, each dissected after the TRANSFORM_HEADER was opened
      expect({ id: x.id, files: cmds.length }).toEqual({ id: x.id, files: fileSteps.length });
      seen[x.id] = [...new Set(cmds)].sort((a, b) => a - b);
    }
    console.log(`file commands dissected per scenario: ${JSON.stringify(seen)}`);
    expect(Object.keys(seen)).toEqual(expect.arrayContaining(['ntfs-deny', 'share-reader-cannot-write']));
    const deny = mounting.find((m) => m.id === 'ntfs-deny')!;
    const denied = await framesMatching(
      deny,
      'smb2.cmd == 5 && smb2.flags.response == 1 && smb2.nt_status == 0xc0000022',
    );
    expect(denied.length).toBeGreaterThan(0);
  }, 600_000);

  test('icacls on the wire: each QUERY_INFO response and SET_INFO request carries a security descriptor whose ACEs tshark dissects as the model holds them', async () => {
    let compared = 0;
    for (const x of mounting) {
      const run = runs.get(x.id)!;
      const withBytes = x.trace.filter((e) => e.smb2 && /^SMB2 (QUERY|SET)_INFO$/.test(e.type));
      if (withBytes.length === 0) continue;
      const queried = await dissectedAcls(x, 'smb2.cmd == 16 && smb2.flags.response == 1');
      const set = await dissectedAcls(x, 'smb2.cmd == 17 && smb2.flags.response == 0');
      // the QUERY_INFO responses and SET_INFO requests; the catalogue changes no ACL after its last icacls,
      // so the model's ACL at the end of the run is the one each carried
      const carrying = withBytes.filter((e) => (e.type === 'SMB2 QUERY_INFO') === (e.replyTo !== undefined));
      for (const e of carrying) {
        const request = e.replyTo === undefined ? e : x.trace.find((r) => r.seq === e.replyTo)!;
        const seen = e.type === 'SMB2 QUERY_INFO' ? queried : set;
        expect({ id: x.id, seq: e.seq, aces: seen.get(e.seq) }).toEqual({
          id: x.id,
          seq: e.seq,
          aces: modelAcl(run, request),
        });
        compared++;
      }
    }
    console.log(`security descriptors dissected and compared with the model: ${compared}`);
    expect(compared).toBeGreaterThan(0);
  }, 600_000);

  test('the storage account key on the wire: NTLMSSP NEGOTIATE, CHALLENGE and AUTHENTICATE in SESSION_SETUP; Wireshark, given only the key, checks the NTLMv2 response and derives the session key we export; the final response verifies', async () => {
    const x = mounting.find((m) => m.id === 'ntfs-deny')!;
    const azure = runs.get(x.id)!.world.services.find((s) => s.smb?.azure)!.smb!.azure!;
    const all = await frames(x);
    expect(all.filter((f) => f.malformed)).toEqual([]);
    const ntlm = all.filter((f) => f.ntlm.length > 0);
    expect(ntlm.map((f) => [f.commands[0], f.ntlm[0], f.response])).toEqual([
      [1, 1, false],
      [1, 2, true],
      [1, 3, false],
    ]);
    // without the exported session keys: Wireshark's own NTLMv2 from the key as the NT password
    const { stdout } = await runOk('tshark', [
      ...tsharkArgs({ ...x, keys: '' }),
      '-o',
      `ntlmssp.nt_password:${azure.accountKey}`,
      '-Y',
      'ntlmssp.messagetype == 3',
      '-T',
      'fields',
      '-E',
      'separator=\t',
      '-e',
      'ntlmssp.auth.domain',
      '-e',
      'ntlmssp.auth.username',
      '-e',
      'ntlmssp.ntlmv2_response.ntproofstr',
      '-e',
      '_ws.expert.message',
    ]);
    const [domain, user, proof, expert] = stdout.trim().split('\t');
    expect([domain, user]).toEqual(['localhost', azure.account]);
    expect(proof).toMatch(/^[0-9a-f]{32}$/);
    expect(expert).toContain('NTLMv2 authenticated using <Global NT Password>');
    const session = x.trace.find((e) => e.smbSession && e.result.startsWith('NTLMv2'))!.smbSession!;
    expect(expert).toContain(`NTLMSSP SessionKey (${toHex(session.key)})`);
    // with the exported key, the final SESSION_SETUP response's signature is good
    const final = all.find((f) => f.seq === x.trace.find((e) => e.smbSession === session)!.seq)!;
    expect(await framesMatching(x, 'smb2.good_signature')).toContain(final.frame);
    console.log(
      `ntfs-deny: NTLMSSP in frames ${ntlm.map((f) => f.frame).join(', ')}; NTProofStr ${proof}; ${expert!.split(',').slice(-3).join('; ')}`,
    );
  }, 300_000);

  test('the file operations’ bytes (CREATE, QUERY_DIRECTORY, READ, WRITE, CLOSE, an ACCESS_DENIED) on the session: tshark opens and dissects each', async () => {
    const w = happy!.world;
    const svc = w.services.find((x) => x.smb)!;
    const c = structuredClone(w.smbConnection('ws1', svc.id)!);
    const plan = planPcapExport(w);
    const last = plan.messages.filter((m) => m.transport === 'smb').at(-1)!;
    const [client, server] = last.src.endsWith(':445') ? [last.dst, last.src] : [last.src, last.dst];
    const ops = fileOperations(c, w.now);
    const messages = [...plan.messages];
    ops.forEach((o, i) => {
      const time = new Date(w.now + i);
      messages.push({ time, src: client, dst: server, transport: 'smb', bytes: o.request });
      messages.push({ time, src: server, dst: client, transport: 'smb', bytes: o.response });
    });
    const x: Exported = { ...mounting.find((m) => m.id === 'happy-path')!, pcap: join(dir, 'files.pcapng') };
    writeFileSync(x.pcap, writePcapng(messages));
    const all = await frames(x);
    expect(all.filter((f) => f.malformed || f.sealed)).toEqual([]);
    const after = all
      .filter((f) => f.transform && !f.commands.includes(3))
      .map((f) => [f.commands[0], f.response]);
    expect(after).toEqual(
      [5, 14, 6, 5, 9, 8, 6, 5].flatMap((cmd) => [
        [cmd, false],
        [cmd, true],
      ]),
    );
    const { stdout } = await runOk('tshark', [
      ...tsharkArgs(x),
      '-Y',
      'smb2.cmd == 5 || smb2.cmd == 14 || smb2.cmd == 8',
      '-T',
      'fields',
      '-e',
      'smb2.nt_status',
      '-e',
      'smb2.filename',
      '-e',
      'smb2.read_length',
    ]);
    expect(stdout).toContain('notes.txt');
    expect(stdout).toMatch(/0xc0000022/);
  }, 120_000);
});

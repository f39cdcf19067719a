// The `krbplay kinit` and `krbplay kvno` command lines as docs/cli.md promises them, without a KDC:
// usage errors (exit 2), a password that cannot be asked for (stdin not a terminal), enctypes, KDC
// addresses, caches that cannot be used, and "Cannot contact any KDC" for a port nobody listens on
// (exit 1). The exchanges with real KDCs are in test/interop/kinit-mit.test.ts.
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeAsReq, encodeEtypeInfo2, encodeKrbError, encodeMethodData, PA_TYPE } from '../../../src/asn1';
import { s2kparamsOf } from '../../../src/crypto';
import { encodeCcache } from '../../../src/formats';
import { ensureCliBuilt, krbplay, projectRoot, type Run } from './krbplay';

let dir: string;
beforeAll(() => {
  ensureCliBuilt();
  dir = mkdtempSync(join(tmpdir(), 'krbplay-kinit-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** krbplay with `input` on stdin (a pipe, never a terminal). */
function withInput(input: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(projectRoot, 'bin', 'krbplay.js'), ...args], {
    cwd: projectRoot,
    encoding: 'utf8',
    input,
    env: { ...process.env, KRBPLAY_DEBUG: '', KRBPLAY_VERBOSE: '' },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A loopback port nobody listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('krbplay kinit: the command line', () => {
  test.each([
    [['kinit', '--kdc', '127.0.0.1:88'], 'missing NAME@REALM'],
    [['kinit', 'alice@EXAMPLE.TEST'], 'missing --kdc'],
    [['kinit', 'alice', '--kdc', '127.0.0.1:88'], 'NAME@REALM: principal "alice" has no realm'],
    [
      ['kinit', 'alice@EXAMPLE.TEST', '--kdc', 'nowhere:99999'],
      "--kdc: 'nowhere:99999' is not a KDC address",
    ],
    [
      ['kinit', 'alice@EXAMPLE.TEST', '--kdc', '127.0.0.1:88', '--lifetime', 'forever'],
      "--lifetime: 'forever'",
    ],
    [['kinit', 'alice@EXAMPLE.TEST', '--kdc', '127.0.0.1:88', '--renewable', '0'], "--renewable: '0'"],
    [
      ['kinit', 'alice@EXAMPLE.TEST', '--kdc', '127.0.0.1:88', '--etypes', '18,,17'],
      '--etypes: an empty enctype',
    ],
    [['kinit', 'alice@EXAMPLE.TEST', '--kdc', '127.0.0.1:88', '--password'], "unknown option '--password'"],
    [
      ['kinit', 'alice@EXAMPLE.TEST', '--kdc', '127.0.0.1:88', '--time-offset', 'soon'],
      "--time-offset: 'soon'",
    ],
  ])('%j: usage error, exit 2', (args, says) => {
    const r = krbplay(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`krbplay kinit: ${says}`);
    expect(r.stderr).toContain("Try 'krbplay kinit --help'.");
  });

  test('without --password-stdin and without a terminal: exit 1, and it says what to do', () => {
    const r = withInput('secret\n', 'kinit', 'alice@EXAMPLE.TEST', '--kdc', '127.0.0.1:88');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'krbplay kinit: cannot ask for the password: stdin is not a terminal (give it on stdin with --password-stdin)\n',
    );
  });

  test('--password-stdin with nothing on stdin: exit 1', () => {
    const r = withInput('', 'kinit', 'alice@EXAMPLE.TEST', '--kdc', '127.0.0.1:88', '--password-stdin');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no password on stdin');
  });

  test('an unknown enctype: exit 1, listing the known ones', () => {
    const r = krbplay('kinit', 'alice@EXAMPLE.TEST', '--kdc', '127.0.0.1:88', '--etypes', '18,aes512');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^krbplay kinit: unknown enctype 'aes512' \(known: .*18 aes256-cts-hmac-sha1-96/,
    );
  });

  test('an enctype the playground cannot get tickets with: exit 1', () => {
    const r = krbplay('kinit', 'alice@EXAMPLE.TEST', '--kdc', '127.0.0.1:88', '--etypes', 'des-cbc-crc');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('krbplay kinit: --etypes: des-cbc-crc (1) cannot be used to get tickets\n');
  });

  test.each([
    ['udp', (p: number) => `127.0.0.1:${p}`],
    ['tcp', (p: number) => `tcp://127.0.0.1:${p}`],
    ['https', (p: number) => `https://127.0.0.1:${p}/KdcProxy`],
  ])('no KDC on the port (%s): MIT words, exit 1, no cache written', async (_via, addr) => {
    const port = await closedPort();
    const cc = join(dir, `never-${_via}`);
    const r = withInput(
      'pw\n',
      'kinit',
      'alice@EXAMPLE.TEST',
      '--kdc',
      addr(port),
      '--password-stdin',
      '--ccache',
      cc,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      "krbplay kinit: Cannot contact any KDC for realm 'EXAMPLE.TEST' while getting initial credentials\n",
    );
    expect(spawnSync('test', ['-e', cc]).status).toBe(1);
  });

  test('--help shows the options and the address forms', () => {
    const r = krbplay('kinit', '--help');
    expect(r.status).toBe(0);
    for (const word of [
      '--kdc ADDR',
      '--password-stdin',
      '--ccache FILE',
      '--etypes LIST',
      '--lifetime D',
      '--renewable D',
      'tcp://host:port',
      'https://host:port/path',
    ])
      expect(r.stdout).toContain(word);
  });
});

/** krbplay in a child process, without blocking this one (a KDC of the test answers in it meanwhile). */
function krbplayAsync(input: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(projectRoot, 'bin', 'krbplay.js'), ...args], {
      cwd: projectRoot,
      env: { ...process.env, KRBPLAY_DEBUG: '', KRBPLAY_VERBOSE: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

/**
 * A hostile KDC on a UDP port: every AS-REQ gets KDC_ERR_PREAUTH_REQUIRED whose ETYPE-INFO2 asks for
 * `s2kparams` (the iteration count, RFC 3962 section 4). It counts the requests it got.
 */
async function hostileKdc(s2kparams: Uint8Array) {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const kdc = { port: socket.address().port, requests: 0, close: () => socket.close() };
  socket.on('message', (m, peer) => {
    kdc.requests++;
    const req = decodeAsReq(m);
    const realm = req.reqBody.realm;
    const reply = encodeKrbError({
      pvno: 5,
      msgType: 30,
      stime: new Date(Math.floor(Date.now() / 1000) * 1000),
      susec: 0,
      errorCode: 25,
      realm,
      sname: { nameType: 2, nameString: ['krbtgt', realm] },
      ...(req.reqBody.cname ? { cname: req.reqBody.cname, crealm: realm } : {}),
      eData: encodeMethodData([
        // PA-ENC-TIMESTAMP offered (empty), as a KDC does
        { padataType: PA_TYPE.ENC_TIMESTAMP, padataValue: new Uint8Array(0) },
        {
          padataType: PA_TYPE.ETYPE_INFO2,
          padataValue: encodeEtypeInfo2([{ etype: 18, salt: `${realm}alice`, s2kparams }]),
        },
      ]),
    });
    socket.send(reply, peer.port, peer.address);
  });
  return kdc;
}

describe('krbplay kinit against a KDC that asks for too many PBKDF2 iterations', () => {
  test.each([
    ['2^24 (MIT refuses it)', s2kparamsOf(2 ** 24), 16777216],
    ['00 00 00 00, which means 2^32', new Uint8Array(4), 4294967296],
  ])('%s: MIT words, exit 1 at the first reply, nothing sent again, no cache', async (_what, s2k, n) => {
    const kdc = await hostileKdc(s2k);
    try {
      const cc = join(dir, `hostile-${n}`);
      const r = await krbplayAsync(
        'pw\n',
        'kinit',
        'alice@EXAMPLE.TEST',
        '--kdc',
        `127.0.0.1:${kdc.port}`,
        '--password-stdin',
        '--ccache',
        cc,
      );
      expect(r.stderr).toBe(
        'krbplay kinit: Invalid key generation parameters from KDC while getting initial credentials ' +
          `(the KDC of EXAMPLE.TEST asks for ${n} PBKDF2 iterations (ETYPE-INFO2 s2kparams) to make the ` +
          'aes256-cts-hmac-sha1-96 key from the password: refused, since the most a client accepts is ' +
          '16777215 (2^24 - 1), as MIT krb5; so many would take minutes)\n',
      );
      expect(r.status).toBe(1);
      expect(kdc.requests).toBe(1);
      expect(spawnSync('test', ['-e', cc]).status).toBe(1);
    } finally {
      kdc.close();
    }
  });
});

describe('krbplay kvno: the command line', () => {
  test.each([
    [['kvno', '--ccache', 'x', '--kdc', '127.0.0.1:88'], 'missing SPN[@REALM]'],
    [['kvno', 'host/a.test', '--kdc', '127.0.0.1:88'], 'missing --ccache'],
    [['kvno', 'host/a.test', '--ccache', 'x'], 'missing --kdc'],
    [
      ['kvno', 'host/a.test', '--ccache', 'x', '--kdc', '127.0.0.1:88', '--realm-kdc', 'OTHER.TEST'],
      '--realm-kdc must be REALM=ADDR',
    ],
    [
      ['kvno', 'host/a.test', '--ccache', 'x', '--kdc', '127.0.0.1:88', '--realm-kdc', 'O=tcp://'],
      "--realm-kdc: 'tcp://' is not a KDC address",
    ],
  ])('%j: usage error, exit 2', (args, says) => {
    const r = krbplay(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`krbplay kvno: ${says}`);
  });

  test('a cache that does not exist: exit 1', () => {
    const r = krbplay('kvno', 'host/a.test', '--ccache', join(dir, 'missing'), '--kdc', '127.0.0.1:88');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("cannot read credential cache '");
  });

  test('a cache without a TGT for its principal: exit 1, MIT words', () => {
    const file = join(dir, 'empty.cc');
    writeFileSync(
      file,
      encodeCcache({
        defaultPrincipal: { realm: 'EXAMPLE.TEST', name: { nameType: 1, nameString: ['alice'] } },
        credentials: [],
        config: [],
      }),
    );
    const r = krbplay('kvno', 'host/a.test@EXAMPLE.TEST', '--ccache', file, '--kdc', '127.0.0.1:88');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^krbplay kvno: Matching credential not found while getting credentials for host\/a\.test@EXAMPLE\.TEST \(no TGT krbtgt\/EXAMPLE\.TEST@EXAMPLE\.TEST/,
    );
  });
});

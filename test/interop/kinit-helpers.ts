// Helpers for test/interop/kinit-mit.test.ts (`krbplay kinit`/`kvno` against MIT's krb5kdc): run the
// built command, give an MIT KDC a [domain_realm] table so that it refers host-based names, read
// `klist -e -f`, and two small relays in front of an MIT KDC that show which way our client went:
// one that answers every UDP datagram with KRB_ERR_RESPONSE_TOO_BIG and carries TCP records on, and an
// MS-KKDCP proxy over HTTPS that unwraps KDC-PROXY-MESSAGE and asks the KDC over TCP.
import { spawn } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  addTcpPrefix,
  decodeKdcProxyMessage,
  encodeKdcProxyMessage,
  encodeKrbError,
  readTcpLength,
} from '../../src/asn1';
import { Daemon, run, waitFor, type MitLab, type RunResult } from './harness';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/krbplay.js');
const BUNDLE = join(ROOT, 'dist-cli/krbplay.js');

export function assertCliBuilt(): void {
  if (!existsSync(BUNDLE)) throw new Error('dist-cli/krbplay.js is missing: run `npm run build:cli` first');
}

/** `node bin/krbplay.js ARGS` with `input` on stdin (a password for --password-stdin). */
export function krbplay(
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return run(process.execPath, [BIN, ...args], {
    env: { ...process.env, KRBPLAY_DEBUG: '', KRBPLAY_VERBOSE: '', ...opts.env },
    input: opts.input ?? '',
    timeoutMs: 90_000,
  });
}

/**
 * `krbplay ARGS` on a terminal (util-linux `script` gives it a pty): waits for the prompt, types the
 * password and Enter, and returns everything the terminal showed.
 */
export function krbplayOnTerminal(args: string[], password: string): Promise<RunResult> {
  const command = [process.execPath, BIN, ...args].map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
      env: { ...process.env, KRBPLAY_DEBUG: '', KRBPLAY_VERBOSE: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let typed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`krbplay on a terminal: no end after 60 s; it showed:\n${stdout}`));
    }, 60_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (!typed && stdout.includes('Password for ')) {
        typed = true;
        child.stdin.write(password + '\r');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.on('error', () => {});
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Adds to one realm's kdc.conf (the KDC's profile only: MIT's client programs do not read it) and
 * restarts that KDC. `domainRealm` is a [domain_realm] table: MIT's KDC refers a host-based name
 * (NT-SRV-HST, canonicalize) to the realm it gives the host. `libdefaults` are [libdefaults] relations
 * for the KDC (allow_rc4: MIT 1.20 makes no rc4 session key without it).
 */
export async function reconfigureKdc(
  lab: MitLab,
  realm: string,
  add: { domainRealm?: Record<string, string>; libdefaults?: Record<string, string> },
): Promise<void> {
  const r = lab.realm(realm);
  await r.kdc?.stop();
  const section = (name: string, table: Record<string, string> | undefined) =>
    table ? ['', `[${name}]`, ...Object.entries(table).map(([k, v]) => `  ${k} = ${v}`)] : [];
  appendFileSync(
    r.kdcConf,
    [...section('libdefaults', add.libdefaults), ...section('domain_realm', add.domainRealm), ''].join('\n'),
  );
  const log = () => (existsSync(r.log) ? readFileSync(r.log, 'utf8') : '');
  const before = log().split('commencing operation').length;
  r.kdc = new Daemon(`krb5kdc ${realm}`, 'krb5kdc', ['-n', '-r', realm], lab.env({ realm }));
  await waitFor(
    `krb5kdc for ${realm} to start again`,
    () => {
      if (!r.kdc!.running) throw new Error(`krb5kdc for ${realm} exited:\n${r.kdc!.output}\n${log()}`);
      return log().split('commencing operation').length > before;
    },
    { timeoutMs: 30_000, explain: () => r.kdc!.output + log() },
  );
}

/** `klist -e -f -c FILE:path` in the C locale. */
export function mitKlist(lab: MitLab, path: string): Promise<RunResult> {
  return run('klist', ['-e', '-f', '-c', `FILE:${path}`], { env: { ...lab.env(), LC_ALL: 'C', TZ: 'UTC' } });
}

export interface KlistTicket {
  server: string;
  flags: string;
  skey: string;
  tkt: string;
  renewUntil?: string;
}

/** The tickets of a `klist -e -f` listing. */
export function klistTickets(out: string): KlistTicket[] {
  const rows: KlistTicket[] = [];
  const lines = out.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m =
      /^\d\d\/\d\d\/\d\d(?:\d\d)? \d\d:\d\d:\d\d\s+\d\d\/\d\d\/\d\d(?:\d\d)? \d\d:\d\d:\d\d\s+(\S+)/.exec(
        lines[i]!,
      );
    if (!m) continue;
    const detail: string[] = [];
    for (let j = i + 1; j < lines.length && /^\s/.test(lines[j]!) && lines[j]!.trim() !== ''; j++)
      detail.push(lines[j]!.trim());
    const text = detail.join(' ');
    const et = /Etype \(skey, tkt\): ([^,]+), (\S+)/.exec(text);
    const renew = /renew until (\S+ \S+),/.exec(text)?.[1];
    rows.push({
      server: m[1]!,
      flags: /Flags: (\w*)/.exec(text)?.[1] ?? '',
      skey: et?.[1] ?? '',
      tkt: et?.[2] ?? '',
      ...(renew ? { renewUntil: renew } : {}),
    });
  }
  return rows;
}

// ---- relays ----------------------------------------------------------------------------------------------

/** Asks a KDC over TCP: one record out, one record back. */
function askKdcOverTcp(port: number, message: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.write(addTcpPrefix(message)));
    let got = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      const n = readTcpLength(got);
      if (n !== undefined && got.length >= 4 + n) {
        s.destroy();
        resolve(new Uint8Array(got.subarray(4, 4 + n)));
      }
    });
    s.on('error', reject);
    s.on('close', () => reject(new Error('the KDC closed the connection')));
  });
}

/** KRB-ERROR KRB_ERR_RESPONSE_TOO_BIG, as a KDC whose UDP reply would not fit sends it. */
function responseTooBig(realm: string): Uint8Array {
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  return encodeKrbError({
    pvno: 5,
    msgType: 30,
    stime: now,
    susec: 0,
    errorCode: 52,
    realm,
    sname: { nameType: 2, nameString: ['krbtgt', realm] },
  });
}

/**
 * A port that answers UDP with KRB_ERR_RESPONSE_TOO_BIG and carries TCP records on to the KDC at
 * `kdcPort`: a client gets tickets through it only by switching to TCP.
 */
export class TooBigRelay {
  udpDatagrams = 0;
  tcpRecords = 0;
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly udp: UdpSocket,
    private readonly tcp: Server,
    readonly port: number,
  ) {}

  static async start(kdcPort: number, realm: string): Promise<TooBigRelay> {
    const tcp = createServer();
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (tcp.address() as { port: number }).port;
    const udp = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(port, '127.0.0.1', () => resolve());
    });
    const relay = new TooBigRelay(udp, tcp, port);
    udp.on('message', (_msg, peer) => {
      relay.udpDatagrams += 1;
      udp.send(responseTooBig(realm), peer.port, peer.address);
    });
    tcp.on('connection', (client: Socket) => {
      relay.sockets.add(client);
      client.on('close', () => relay.sockets.delete(client));
      let got = Buffer.alloc(0);
      client.on('error', () => {});
      client.on('data', (d: Buffer) => {
        got = Buffer.concat([got, d]);
        const n = readTcpLength(got);
        if (n === undefined || got.length < 4 + n) return;
        relay.tcpRecords += 1;
        const request = new Uint8Array(got.subarray(4, 4 + n));
        got = got.subarray(4 + n);
        askKdcOverTcp(kdcPort, request).then(
          (reply) => client.write(addTcpPrefix(reply)),
          () => client.destroy(),
        );
      });
    });
    return relay;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.udp.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.tcp.close(() => resolve()));
  }
}

/**
 * An MS-KKDCP proxy over HTTPS in front of MIT KDCs: it checks the request (POST, application/kerberos,
 * a KDC-PROXY-MESSAGE with a whole record and a target-domain it knows), asks that realm's KDC over TCP,
 * and answers the same way.
 */
export class KkdcpRelay {
  private constructor(
    private readonly server: HttpsServer,
    readonly url: string,
    readonly requests: { contentType: string | undefined; targetDomain: string | undefined }[],
  ) {}

  static async start(
    kdcPorts: Record<string, number>,
    tls: { cert: string; key: string },
  ): Promise<KkdcpRelay> {
    const requests: KkdcpRelay['requests'] = [];
    const server = createHttpsServer(
      { cert: readFileSync(tls.cert), key: readFileSync(tls.key) },
      (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (d: Buffer) => chunks.push(d));
        req.on('end', () => {
          const fail = (status: number) => {
            res.statusCode = status;
            res.end();
          };
          try {
            const msg = decodeKdcProxyMessage(new Uint8Array(Buffer.concat(chunks)));
            requests.push({
              contentType: req.headers['content-type'],
              targetDomain: msg.targetDomain,
            });
            const port = msg.targetDomain !== undefined ? kdcPorts[msg.targetDomain] : undefined;
            const n = readTcpLength(msg.kerbMessage);
            if (req.method !== 'POST' || port === undefined || n !== msg.kerbMessage.length - 4)
              return fail(400);
            askKdcOverTcp(port, msg.kerbMessage.subarray(4)).then(
              (reply) => {
                res.setHeader('Content-Type', 'application/kerberos');
                res.end(encodeKdcProxyMessage({ kerbMessage: addTcpPrefix(reply) }));
              },
              () => fail(503),
            );
          } catch {
            fail(400);
          }
        });
      },
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as { port: number }).port;
    return new KkdcpRelay(server, `https://127.0.0.1:${port}/KdcProxy`, requests);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

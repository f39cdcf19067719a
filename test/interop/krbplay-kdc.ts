// Helpers for the suites that point MIT krb5's clients at `krbplay kdc` (test/interop/kdc-*.test.ts):
// start the built command as a child process and wait until it says it is ready, write a krb5.conf for
// it, run kinit/kvno/klist against it, make a test CA with openssl, read a process's memory.
// The harness beside it (./harness) is another suite's: its process helpers are reused, not edited.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeAsReq } from '../../src/asn1';
import type { KdcConfig } from '../../src/kdc';
import { Daemon, run, runOk, sendUdp, waitFor, type RunResult } from './harness/process';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/krbplay.js');
const BUNDLE = join(ROOT, 'dist-cli/krbplay.js');

/** MIT's names for the enctypes (RFC 3962, RFC 8009, RFC 4757). */
export const MIT_NAMES: Record<number, string> = {
  17: 'aes128-cts-hmac-sha1-96',
  18: 'aes256-cts-hmac-sha1-96',
  19: 'aes128-cts-hmac-sha256-128',
  20: 'aes256-cts-hmac-sha384-192',
  23: 'arcfour-hmac',
};

/** Throws a clear line when `npm run build:cli` has not been run (npm test builds first). */
export function assertBuilt(): void {
  if (!existsSync(BUNDLE)) throw new Error('dist-cli/krbplay.js is missing: run `npm run build:cli` first');
  const built = statSync(BUNDLE).mtimeMs;
  const stale = ['src/node', 'src/kdc', 'src/cli/commands'].some((d) => newestMtime(join(ROOT, d)) > built);
  if (stale)
    console.warn(
      '!!! dist-cli/krbplay.js is older than src/: run `npm run build:cli` to test the current code',
    );
}

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .reduce((newest, f) => Math.max(newest, statSync(join(dir, f)).mtimeMs), 0);
}

export interface StartOptions {
  /** The configuration, written to DIR/kdc.json. */
  config: KdcConfig | string;
  dir: string;
  /** Serve the KDC proxy too: over HTTPS with a self-signed certificate, plain HTTP, or the given files. */
  kkdcp?: 'self-signed' | 'plain' | { cert: string; key: string };
  /** Extra words for the command line (e.g. ['--time-offset', '+10m']). */
  args?: string[];
  /** Options for node itself (e.g. ['--cpu-prof', '--cpu-prof-dir=DIR'] for a profile). */
  nodeArgs?: string[];
}

/** A running `krbplay kdc` child process, with what it printed at start-up. */
export class KrbplayKdc {
  private constructor(
    readonly daemon: Daemon,
    readonly port: number,
    readonly proxyUrl: string | undefined,
    readonly certFile: string | undefined,
  ) {}

  static async start(o: StartOptions): Promise<KrbplayKdc> {
    assertBuilt();
    mkdirSync(o.dir, { recursive: true });
    const configFile = join(o.dir, 'kdc.json');
    writeFileSync(configFile, typeof o.config === 'string' ? o.config : JSON.stringify(o.config, null, 2));
    const args = [
      ...(o.nodeArgs ?? []),
      BIN,
      'kdc',
      '--config',
      configFile,
      '--listen',
      '127.0.0.1:0',
      ...(o.args ?? []),
    ];
    if (o.kkdcp) {
      args.push('--kkdcp', '127.0.0.1:0');
      if (o.kkdcp === 'plain') args.push('--kkdcp-plain');
      else if (typeof o.kkdcp === 'object') args.push('--tls-cert', o.kkdcp.cert, '--tls-key', o.kkdcp.key);
    }
    const daemon = new Daemon('krbplay kdc', process.execPath, args, { ...process.env, KRBPLAY_DEBUG: '1' });
    try {
      await waitFor(
        'krbplay kdc to say it is ready',
        () => {
          if (!daemon.running) throw new Error(`krbplay kdc exited:\n${daemon.output}`);
          return daemon.output.includes('krbplay kdc: ready');
        },
        { timeoutMs: 60_000, explain: () => daemon.output },
      );
    } catch (e) {
      await daemon.stop('SIGKILL');
      throw e;
    }
    const port = Number(/listening on udp\+tcp 127\.0\.0\.1:(\d+)/.exec(daemon.output)?.[1]);
    const proxy = /KDC proxy \(MS-KKDCP\) on (\S+)/.exec(daemon.output)?.[1];
    const cert = /certificate: ([^)]+)\)/.exec(daemon.output)?.[1];
    return new KrbplayKdc(daemon, port, proxy, cert);
  }

  /** The KDC proxy's port (with `kkdcp`). */
  get proxyPort(): number | undefined {
    return this.proxyUrl ? Number(new URL(this.proxyUrl).port) : undefined;
  }

  get pid(): number {
    return this.daemon.child.pid!;
  }

  get output(): string {
    return this.daemon.output;
  }

  /** The log lines (one per request) received so far; see log() for all lines up to now. */
  get logLines(): string[] {
    return this.output
      .split('\n')
      .filter((l) => /^\d{4}-\d\d-\d\dT/.test(l) && !l.includes('krbplay-log-marker'));
  }

  private markers = 0;
  /**
   * Every log line of the requests answered so far. The KDC writes its log a little after it answers
   * (batched, through a pipe), so this sends a marker request over UDP and waits for the marker's line:
   * the lines are written in order, so everything before it has arrived too.
   */
  async log(): Promise<string[]> {
    const marker = `krbplay-log-marker${this.markers++}`;
    await sendUdp(this.port, bareAsReq(marker, 'MARKER.INVALID'));
    await waitFor(`the log line of ${marker}`, () => this.output.includes(`${marker}@`), {
      explain: () => this.output,
    });
    return this.logLines;
  }

  /** Resident memory of the KDC process, in bytes (Linux /proc). */
  rss(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
  }

  /** SIGTERM (or `signal`), then the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    // A generous grace before SIGKILL: on a loaded machine a clean stop can take seconds, and a kill
    // would look like a failure of the command's own shutdown.
    await this.daemon.stop(signal, 120_000);
    const { exitCode, signalCode } = this.daemon.child;
    if (exitCode === null)
      console.warn(
        `krbplay kdc ended by ${signalCode ?? 'an unknown cause'}, not by itself:\n${this.output}`,
      );
    return exitCode;
  }
}

export interface Krb5ConfOptions {
  defaultRealm: string;
  /** realm -> its kdc lines (e.g. '127.0.0.1:8888' or 'https://127.0.0.1:8443/KdcProxy'). */
  realms: Record<string, string[]>;
  /** [capaths] direct trusts: from -> to. */
  capaths?: [string, string][];
  /** Extra [libdefaults] lines (key -> value), overriding the defaults below. */
  libdefaults?: Record<string, string>;
  /** More relations of a realm (e.g. http_anchors, which MIT reads per realm), realm -> key -> value. */
  realmRelations?: Record<string, Record<string, string>>;
  /** [domain_realm] lines. */
  domainRealm?: Record<string, string>;
}

/** A krb5.conf for MIT's clients, all enctypes permitted (rc4 too), no DNS, answers fast. */
export function writeKrb5Conf(path: string, o: Krb5ConfOptions): string {
  const names = [18, 17, 20, 19, 23].map((e) => MIT_NAMES[e]).join(' ');
  const lib: Record<string, string> = {
    default_realm: o.defaultRealm,
    dns_lookup_kdc: 'false',
    dns_lookup_realm: 'false',
    dns_canonicalize_hostname: 'false',
    rdns: 'false',
    allow_weak_crypto: 'true',
    allow_rc4: 'true',
    permitted_enctypes: names,
    default_tkt_enctypes: names,
    default_tgs_enctypes: names,
    max_retries: '2',
    ...o.libdefaults,
  };
  const lines = ['[libdefaults]', ...Object.entries(lib).map(([k, v]) => `  ${k} = ${v}`), '', '[realms]'];
  for (const [realm, kdcs] of Object.entries(o.realms)) {
    const more = Object.entries(o.realmRelations?.[realm] ?? {}).map(([k, v]) => `    ${k} = ${v}`);
    lines.push(`  ${realm} = {`, ...kdcs.map((k) => `    kdc = ${k}`), ...more, '  }');
  }
  if (o.capaths?.length) {
    lines.push('', '[capaths]');
    for (const [from, to] of o.capaths) lines.push(`  ${from} = {`, `    ${to} = .`, '  }');
  }
  if (o.domainRealm) {
    lines.push('', '[domain_realm]', ...Object.entries(o.domainRealm).map(([k, v]) => `  ${k} = ${v}`));
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

export interface ClientRun extends RunResult {
  ok: boolean;
}

/** MIT's client programs with one krb5.conf; KRB5_TRACE goes to stderr when `trace` is set. */
export class MitClient {
  constructor(
    readonly krb5Conf: string,
    private readonly trace = Boolean(process.env.KRBPLAY_TRACE),
  ) {}

  env(ccache: string): NodeJS.ProcessEnv {
    return {
      ...process.env,
      KRB5_CONFIG: this.krb5Conf,
      KRB5CCNAME: `FILE:${ccache}`,
      KRB5_TRACE: this.trace ? '/dev/stderr' : undefined,
    };
  }

  async kinit(principal: string, password: string, ccache: string, args: string[] = []): Promise<ClientRun> {
    const r = await run('kinit', [...args, principal], { env: this.env(ccache), input: password + '\n' });
    return { ...r, ok: r.code === 0 };
  }

  async kvno(service: string[], ccache: string): Promise<ClientRun> {
    const r = await run('kvno', service, { env: this.env(ccache) });
    return { ...r, ok: r.code === 0 };
  }

  async klist(ccache: string): Promise<ClientRun> {
    const r = await run('klist', ['-e', '-f', '-c', `FILE:${ccache}`], { env: this.env(ccache) });
    return { ...r, ok: r.code === 0 };
  }
}

/** A test CA and a server certificate it signed for 127.0.0.1 (subjectAltName IP and DNS). */
export async function makeTestCa(dir: string): Promise<{ caCert: string; cert: string; key: string }> {
  mkdirSync(dir, { recursive: true });
  const p = (f: string) => join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await runOk('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    p('ca-key.pem'),
    '-out',
    p('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=krbplay interop test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await runOk('openssl', [
    'req',
    ...ec,
    '-keyout',
    p('server-key.pem'),
    '-out',
    p('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  writeFileSync(
    p('server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
  );
  await runOk('openssl', [
    'x509',
    '-req',
    '-in',
    p('server.csr'),
    '-CA',
    p('ca.pem'),
    '-CAkey',
    p('ca-key.pem'),
    '-CAcreateserial',
    '-out',
    p('server.pem'),
    '-days',
    '2',
    '-extfile',
    p('server.ext'),
  ]);
  return { caCert: p('ca.pem'), cert: p('server.pem'), key: p('server-key.pem') };
}

/** A bare AS-REQ without pre-authentication (RFC 4120 §5.4.1), as a first kinit sends. */
export function bareAsReq(user: string, realm: string, nonce = 42): Uint8Array {
  return encodeAsReq({
    pvno: 5,
    msgType: 10,
    reqBody: {
      kdcOptions: 0x40810010,
      cname: { nameType: 1, nameString: [user] },
      realm,
      sname: { nameType: 2, nameString: ['krbtgt', realm] },
      till: new Date(Date.UTC(2037, 8, 13, 2, 48, 5)),
      nonce,
      etype: [18, 17],
    },
  });
}

/** The 4-byte big-endian record mark of RFC 4120 §7.2.2, for any 32-bit value. */
export function recordMark(length: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, length >>> 0);
  return b;
}

/** A TCP client that keeps what it receives and when the server closed. */
export class TcpProbe {
  received = Buffer.alloc(0);
  closedAt: number | undefined;
  readonly openedAt = performance.now();
  readonly socket: Socket;
  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => (this.received = Buffer.concat([this.received, d])));
    socket.on('error', () => {});
    socket.on('close', () => (this.closedAt ??= performance.now()));
  }

  /** Connects to 127.0.0.1:port from `localAddress` (another loopback address is another peer). */
  static connect(port: number, localAddress = '127.0.0.1'): Promise<TcpProbe> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port, localAddress }, () => {
        s.off('error', reject);
        resolve(probe);
      });
      const probe = new TcpProbe(s);
      s.once('error', reject);
    });
  }

  get closed(): boolean {
    return this.closedAt !== undefined;
  }

  write(bytes: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** The whole records (without their marks) received so far. */
  records(): Uint8Array[] {
    const out: Uint8Array[] = [];
    let at = 0;
    while (this.received.length - at >= 4) {
      const n = this.received.readUInt32BE(at);
      if (this.received.length - at - 4 < n) break;
      out.push(new Uint8Array(this.received.subarray(at + 4, at + 4 + n)));
      at += 4 + n;
    }
    return out;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export interface SlowHeadersOptions {
  port: number;
  /** Speak TLS first (the proxy over HTTPS); the certificate is not checked. */
  tls: boolean;
  /** How many connections to hold. */
  count: number;
  /** The local addresses to connect from, used in turn (127.0.0.2, 127.0.0.3…: all loopback on Linux). */
  from: string[];
  /** One more header line on every connection this often (ms). */
  everyMs: number;
  /** Open a new connection this long (ms) after each one the server closes or refuses (default: never). */
  reconnectAfterMs?: number;
}

/**
 * A slow-loris flood against an HTTP(S) server: connections that send a request line and then one header
 * line every `everyMs`, never finishing the headers and never reading what the server says. A server
 * that ends such a connection politely (FIN) and waits for the peer leaves it half-open for good; one
 * that destroys it makes the peer's next write fail, and the flood sees it closed.
 */
export class SlowHeaders {
  /** Connections that opened (TLS: finished the handshake). */
  opened = 0;
  /** Of those, how many the server has closed since. */
  closed = 0;
  /** Connections closed before they opened. */
  refused = 0;
  private readonly sockets = new Set<Socket>();
  private readonly timer: NodeJS.Timeout;
  private stopped = false;
  private lines = 0;
  private next = 0;

  private constructor(private readonly o: SlowHeadersOptions) {
    this.timer = setInterval(() => this.tick(), o.everyMs);
  }

  /** Opens the connections (each with its request line sent) and resolves once all are open or refused. */
  static async start(o: SlowHeadersOptions): Promise<SlowHeaders> {
    const flood = new SlowHeaders(o);
    const batch = 64;
    for (let i = 0; i < o.count; i += batch) {
      await Promise.all(Array.from({ length: Math.min(batch, o.count - i) }, () => flood.openOne()));
    }
    return flood;
  }

  /** Connections open right now (by this side's account). */
  get open(): number {
    return this.sockets.size;
  }

  private openOne(): Promise<void> {
    return new Promise((resolve) => {
      const localAddress = this.o.from[this.next++ % this.o.from.length]!;
      const tcp = connect({ host: '127.0.0.1', port: this.o.port, localAddress });
      const s: Socket = this.o.tls ? connectTls({ socket: tcp, rejectUnauthorized: false }) : tcp;
      if (s !== tcp) tcp.on('error', () => {});
      let settled = false;
      const done = () => {
        if (!settled) {
          settled = true;
          resolve();
        }
      };
      s.once(this.o.tls ? 'secureConnect' : 'connect', () => {
        this.opened++;
        this.sockets.add(s);
        s.write('POST /KdcProxy HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/kerberos\r\n');
        s.pause(); // never read a word of what the server says
        done();
      });
      s.on('error', () => {});
      s.on('close', () => {
        if (this.sockets.delete(s)) this.closed++;
        else this.refused++;
        done();
        const again = this.o.reconnectAfterMs;
        if (again !== undefined && !this.stopped)
          setTimeout(() => !this.stopped && void this.openOne(), again);
      });
    });
  }

  private tick(): void {
    const line = `X-Slow-${this.lines++}: ${'z'.repeat(20)}\r\n`;
    for (const s of this.sockets) if (!s.destroyed) s.write(line);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    for (const s of this.sockets) s.destroy();
  }
}

/** One HTTP(S) connection that writes what it is told and keeps what the server says, and when it closed. */
export class HttpProbe {
  received = '';
  closedAt: number | undefined;
  readonly openedAt = performance.now();
  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (this.received += d));
    socket.on('error', () => {});
    socket.on('close', () => (this.closedAt ??= performance.now()));
  }

  /** Connects to 127.0.0.1:port from `localAddress`, over TLS (certificate not checked) when `tls`. */
  static connect(port: number, tls: boolean, localAddress = '127.0.0.1'): Promise<HttpProbe> {
    return new Promise((resolve, reject) => {
      const tcp = connect({ host: '127.0.0.1', port, localAddress });
      const s: Socket = tls ? connectTls({ socket: tcp, rejectUnauthorized: false }) : tcp;
      if (s !== tcp) tcp.on('error', () => {});
      const probe = new HttpProbe(s);
      s.once('error', reject);
      s.once(tls ? 'secureConnect' : 'connect', () => {
        s.off('error', reject);
        resolve(probe);
      });
    });
  }

  get closed(): boolean {
    return this.closedAt !== undefined;
  }

  /** The status code of the first response, once its status line has arrived. */
  get status(): number | undefined {
    const m = /^HTTP\/1\.1 (\d{3}) /.exec(this.received);
    return m ? Number(m[1]) : undefined;
  }

  write(text: string | Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(text);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

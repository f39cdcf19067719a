// Capturing loopback traffic with Wireshark's dumpcap, and asking tshark what it sees in a capture.
import { existsSync, readFileSync } from 'node:fs';
import { readCaptureFrames } from '../../../src/formats/pcap';
import { Daemon, freePort, run, runOk, sendUdp, waitFor } from './process';

/**
 * A running `dumpcap -i lo` writing pcapng. Readiness and completeness are proven, not assumed: start()
 * sends marker datagrams to a spare port (included in the filter) until one shows up in the file, and
 * stop() sends a last marker and waits for it before stopping dumpcap. The markers are UDP frames with
 * the text "krbplay-capture-marker" that no Kerberos reader should report.
 */
export class LoopbackCapture {
  private constructor(
    readonly file: string,
    readonly markerPort: number,
    private readonly dumpcap: Daemon,
  ) {}

  /** Starts capturing TCP and UDP to or from `ports` on lo into `file` (pcapng). */
  static async start(file: string, ports: number[]): Promise<LoopbackCapture> {
    const markerPort = await freePort();
    const filter = [...ports, markerPort].map((p) => `port ${p}`).join(' or ');
    const dumpcap = new Daemon(
      'dumpcap',
      'dumpcap',
      ['-i', 'lo', '-f', filter, '-w', file, '-q'],
      process.env,
    );
    const capture = new LoopbackCapture(file, markerPort, dumpcap);
    try {
      await capture.waitForMarker('dumpcap to start capturing');
    } catch (e) {
      await dumpcap.stop('SIGKILL');
      throw e;
    }
    return capture;
  }

  /** Sends a marker and waits for it in the file, then stops dumpcap so that it writes its last block. */
  async stop(): Promise<string> {
    if (this.dumpcap.running) {
      try {
        await this.waitForMarker('the last packets to reach the capture file');
      } finally {
        await this.dumpcap.stop('SIGINT');
      }
    }
    return this.file;
  }

  private markersInFile(): number {
    if (!existsSync(this.file)) return 0;
    let frames;
    try {
      frames = readCaptureFrames(readFileSync(this.file));
    } catch {
      return 0; // dumpcap is in the middle of writing a block
    }
    return frames.filter((f) => containsMarker(f.data)).length;
  }

  private async waitForMarker(what: string): Promise<void> {
    const before = this.markersInFile();
    await waitFor(
      what,
      async () => {
        if (!this.dumpcap.running) throw new Error(`dumpcap exited:\n${this.dumpcap.output}`);
        await sendUdp(this.markerPort, MARKER);
        return this.markersInFile() > before;
      },
      { timeoutMs: 30_000, intervalMs: 50, explain: () => this.dumpcap.output },
    );
  }
}

const MARKER = new TextEncoder().encode('krbplay-capture-marker');

function containsMarker(data: Uint8Array): boolean {
  outer: for (let i = 0; i + MARKER.length <= data.length; i++) {
    for (let j = 0; j < MARKER.length; j++) if (data[i + j] !== MARKER[j]) continue outer;
    return true;
  }
  return false;
}

/** One Kerberos message as tshark shows it: the first msg-type of a frame is its outer message. */
export interface TsharkKerberosFrame {
  frame: number;
  src: string;
  dst: string;
  transport: 'udp' | 'tcp';
  /** Every kerberos.msg_type in the frame (inner AP-REQs of TGS-REQs come after the outer type). */
  msgTypes: number[];
  errorCodes: number[];
  cnames: string[];
  snames: string[];
  realms: string[];
  /** kerberos.keytype values: present only in parts tshark decrypted with the keytab. */
  decryptedKeytypes: number[];
}

export interface TsharkOptions {
  /** Keytab for `-o kerberos.decrypt:TRUE -o kerberos.file:…`. */
  keytab?: string;
  /** Non-88 ports to dissect as Kerberos over UDP and TCP (`-d udp.port==P,kerberos`). */
  kerberosPorts?: number[];
}

function tsharkArgs(file: string, opts: TsharkOptions): string[] {
  const args = ['-r', file, '-n'];
  if (opts.keytab) args.push('-o', 'kerberos.decrypt:TRUE', '-o', `kerberos.file:${opts.keytab}`);
  for (const p of opts.kerberosPorts ?? [])
    args.push('-d', `udp.port==${p},kerberos`, '-d', `tcp.port==${p},kerberos`);
  return args;
}

const FIELDS = [
  'frame.number',
  'ip.src',
  'ipv6.src',
  'udp.srcport',
  'tcp.srcport',
  'ip.dst',
  'ipv6.dst',
  'udp.dstport',
  'tcp.dstport',
  'kerberos.msg_type',
  'kerberos.error_code',
  'kerberos.CNameString',
  'kerberos.SNameString',
  'kerberos.realm',
  'kerberos.keytype',
] as const;

/** tshark's Kerberos frames of a capture: `tshark -r F -Y kerberos -T fields -e frame.number -e …`. */
export async function tsharkKerberos(file: string, opts: TsharkOptions = {}): Promise<TsharkKerberosFrame[]> {
  const args = [
    ...tsharkArgs(file, opts),
    '-Y',
    'kerberos.msg_type',
    '-T',
    'fields',
    '-E',
    'separator=\t',
    '-E',
    'occurrence=a',
    '-E',
    'aggregator=|',
    ...FIELDS.flatMap((f) => ['-e', f]),
  ];
  const { stdout } = await runOk('tshark', args);
  const list = (s: string | undefined) => (s ? s.split('|').filter((x) => x !== '') : []);
  const nums = (s: string | undefined) => list(s).map(Number);
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const c = line.split('\t');
      const [frame, ip4s, ip6s, us, ts, ip4d, ip6d, ud, td, mt, ec, cn, sn, realm, kt] = c;
      const srcIp = ip4s || (ip6s ? `[${ip6s}]` : '');
      const dstIp = ip4d || (ip6d ? `[${ip6d}]` : '');
      const udp = Boolean(us);
      return {
        frame: Number(frame),
        src: `${srcIp}:${udp ? us : ts}`,
        dst: `${dstIp}:${udp ? ud : td}`,
        transport: udp ? 'udp' : 'tcp',
        msgTypes: nums(mt),
        errorCodes: nums(ec),
        cnames: list(cn),
        snames: list(sn),
        realms: list(realm),
        decryptedKeytypes: nums(kt),
      } satisfies TsharkKerberosFrame;
    });
}

/**
 * Not the capture's own markers: they go to a free port, which may be one a dissector claims (44818 is
 * EtherNet/IP's, 54328 Elasticsearch's), and that dissector finds the marker malformed.
 */
const NOT_A_MARKER = `!(frame contains "${new TextDecoder().decode(MARKER)}")`;

/** Frame numbers tshark marks malformed (`-Y _ws.malformed`), the capture's markers left out. */
export async function tsharkMalformedFrames(file: string, opts: TsharkOptions = {}): Promise<number[]> {
  const { stdout } = await runOk('tshark', [
    ...tsharkArgs(file, opts),
    '-Y',
    `_ws.malformed && ${NOT_A_MARKER}`,
    '-T',
    'fields',
    '-e',
    'frame.number',
  ]);
  return stdout.split('\n').filter(Boolean).map(Number);
}

/**
 * tshark's expert items of severity warning or error (`-z expert,warn`): "Warning/Malformed" etc., one
 * line per kind with its count. Empty when the capture is clean. (A filter after `expert,warn` would leave
 * the markers out, but tshark then lists some items once per frame: the callers compare these lines.)
 */
export async function tsharkExpertWarnings(file: string, opts: TsharkOptions = {}): Promise<string[]> {
  const r = await run('tshark', [...tsharkArgs(file, opts), '-q', '-z', 'expert,warn']);
  if (r.code !== 0) throw new Error(`tshark -z expert failed: ${r.stderr}`);
  // Rows look like: "   3   Malformed   Kerberos   Malformed Packet ..." under "Errors (N)" / "Warns (N)".
  const out: string[] = [];
  let inSection = false;
  for (const line of r.stdout.split('\n')) {
    if (/^(Errors|Warns) \(\d+\)/.test(line)) inSection = true;
    else if (/^(Notes|Chats|Comments) \(\d+\)/.test(line)) inSection = false;
    else if (inSection && /^\s+\d+\s+\S/.test(line)) out.push(line.trim());
  }
  return out;
}

/** tshark's version line, for reports. */
export async function tsharkVersion(): Promise<string> {
  const r = await runOk('tshark', ['--version']);
  return r.stdout.split('\n')[0]!;
}

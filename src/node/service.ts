/**
 * What the UDP, TCP and KDC-proxy adapters share: the pure KDC handed the wall clock (Date.now, plus an
 * offset that only tests set) and the operating system's randomness, one krb5kdc-like log line per
 * request, and the few KRB-ERRORs that only a transport can decide (RFC 4120 §7.2: a reply too big for
 * UDP, a TCP record that is too long or sets the reserved bit).
 */
import { encodeKrbError } from '../asn1';
import { ErrorCode, errorCodes, MessageType } from '../asn1/registry';
import type { RandomSource } from '../crypto';
import type { Kdc, KdcResult } from '../kdc';
import { krbtgtName } from '../asn1/principal';
import { isoSeconds, kerberosTimestamp } from '../asn1/time';
import { escapeControls } from '../util';
import { cryptoRandom } from './random';

export type Transport = 'udp' | 'tcp' | 'kkdcp';

export interface KdcServiceOptions {
  /** Milliseconds added to Date.now() (tests that need a KDC whose clock is off); default 0. */
  timeOffsetMs?: number;
  /**
   * Where log lines go (one per request): called once per turn of the event loop with the lines of
   * that turn joined by newlines, without the last newline (one write, not one per request); default:
   * nowhere.
   */
  log?: (lines: string) => void;
  /** Defaults to node:crypto randomBytes. Only benchmarks and tests pass another. */
  random?: RandomSource;
}

export class KdcService {
  readonly kdc: Kdc;
  private readonly timeOffsetMs: number;
  private readonly random: RandomSource;
  private readonly sink: ((lines: string) => void) | undefined;
  private pending: string[] = [];
  /** Requests answered, by transport (for tests and the stop line). */
  readonly counts: Record<Transport, number> = { udp: 0, tcp: 0, kkdcp: 0 };

  constructor(kdc: Kdc, options: KdcServiceOptions = {}) {
    this.kdc = kdc;
    this.timeOffsetMs = options.timeOffsetMs ?? 0;
    this.random = options.random ?? cryptoRandom;
    this.sink = options.log;
  }

  /**
   * Queues a log line; the lines of one event-loop turn are written together. Names, realms, e-texts and
   * target-domains come from the wire: a control character in one is escaped here, so that a newline
   * cannot forge a line of its own and an ESC sequence cannot reach the terminal.
   */
  private log(line: string): void {
    if (!this.sink) return;
    this.pending.push(escapeControls(line));
    if (this.pending.length === 1) setImmediate(() => this.flush());
  }

  /** Writes the queued log lines now (also called at stop). */
  flush(): void {
    if (this.pending.length === 0 || !this.sink) return;
    const lines = this.pending.join('\n');
    this.pending = [];
    this.sink(lines);
  }

  now(): number {
    return Date.now() + this.timeOffsetMs;
  }

  /** Answers one Kerberos request (without any framing) and logs it. */
  handle(request: Uint8Array, transport: Transport, peer: string): KdcResult {
    const now = this.now();
    const result = this.kdc.handle(request, { now, random: this.random });
    this.counts[transport]++;
    if (this.sink) this.log(logLine(now, transport, peer, request, result));
    return result;
  }

  /** A KRB-ERROR the transport makes itself (RESPONSE_TOO_BIG, FIELD_TOOLONG), from the KDC's first realm. */
  transportError(code: number, eText: string, realm?: string): Uint8Array {
    const { time, usec } = kerberosTimestamp(this.now());
    const r = realm ?? this.kdc.realms[0] ?? 'UNKNOWN';
    return encodeKrbError({
      pvno: 5,
      msgType: MessageType.KRB_ERROR,
      stime: time,
      susec: usec,
      errorCode: code,
      realm: r,
      sname: krbtgtName(r),
      eText,
    });
  }

  /** Logs what a transport refused before the KDC saw it (a too-long record, a reply too big for UDP). */
  logTransport(transport: Transport, peer: string, what: string): void {
    if (this.sink) this.log(`${isoSeconds(this.now())} ${transport} ${peer} ${what}`);
  }
}

/** The realm a reply names: its server principal's, as the KDC wrote it ("…@REALM"). */
export function realmOf(result: KdcResult): string | undefined {
  const s = result.server;
  return s ? s.slice(s.lastIndexOf('@') + 1) : undefined;
}

/**
 * krb5kdc logs `AS_REQ (4 etypes {18 17 20 19}) 127.0.0.1: ISSUE: authtime …, alice@R for krbtgt/R@R`
 * or `…: NEEDED_PREAUTH: alice@R for krbtgt/R@R, Additional pre-authentication required`. Ours says the
 * same things in the project's vocabulary: time, transport, peer, request, client for server: result.
 */
export function logLine(
  now: number,
  transport: Transport,
  peer: string,
  request: Uint8Array,
  result: KdcResult,
): string {
  const type = request[0] === 0x6a ? 'AS-REQ' : request[0] === 0x6c ? 'TGS-REQ' : 'non-KDC message';
  const who = `${result.client ?? '<unknown client>'} for ${result.server ?? '<unknown server>'}`;
  const outcome =
    result.replyType === 'KRB-ERROR'
      ? `${errorCodes.nameOf(result.errorCode ?? 0)} (${result.errorCode ?? '?'})`
      : `ISSUE ${result.replyType}`;
  return `${isoSeconds(now)} ${transport} ${peer} ${type} ${who}: ${outcome}`;
}

export { ErrorCode };

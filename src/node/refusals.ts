/**
 * The log lines of what a server refuses or cuts off (who, and why): a connection over the per-peer
 * bound, one evicted at the global bound, headers that did not arrive in time, a body over its bound.
 * Every refusal is accounted for, but a flood of them must not become a flood of log lines: the first of
 * each kind from one address is logged at once, with its details; the others of that kind from that
 * address are counted and said in one line when the window ends (at most `windowMs` later).
 */
import type { KdcService, Transport } from './service';

interface Counted {
  transport: Transport;
  address: string;
  kind: string;
  more: number;
}

export class RefusalLog {
  private readonly seen = new Map<string, Counted>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly service: KdcService,
    private readonly windowMs = 10_000,
  ) {}

  /**
   * Logs `${kind}: ${detail}` as from `peer` (address and port), or counts it when the same kind from the
   * same address was logged in this window. `kind` names the reason without figures that vary.
   */
  refuse(transport: Transport, address: string, peer: string, kind: string, detail?: string): void {
    const key = `${transport}\u0000${address}\u0000${kind}`;
    const seen = this.seen.get(key);
    if (seen) {
      seen.more++;
      return;
    }
    this.seen.set(key, { transport, address, kind, more: 0 });
    this.service.logTransport(transport, peer, detail ? `${kind}: ${detail}` : kind);
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.windowMs);
      this.timer.unref();
    }
  }

  /** Says the counted refusals and starts a new window (also called when the server stops). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const c of this.seen.values()) {
      if (c.more > 0)
        this.service.logTransport(
          c.transport,
          c.address,
          `${c.more} more of the same since: ${c.kind} (one line per address and reason every ${this.windowMs / 1000} s at most)`,
        );
    }
    this.seen.clear();
  }
}

/** "1.2.3.4:5678" or "[::1]:5678", as log lines show a peer. */
export function peerName(address: string | undefined, port: number | undefined): string {
  const a = address ?? '?';
  return `${a.includes(':') ? `[${a}]` : a}:${port ?? '?'}`;
}

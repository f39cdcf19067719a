// Hand-built captures for the pcap reader tests: link-layer frames, IP packets, UDP datagrams and TCP
// segments assembled byte by byte (checksums left zero: the reader, like Wireshark by default, ignores
// them), and the pcap/pcapng containers around them in either byte order.

export const ETH_IPV4 = 0x0800;
export const ETH_IPV6 = 0x86dd;

/** A Kerberos-looking message: the application tag, a DER length, and `n` filler bytes. */
export function krbMessage(msgType: number, n: number, fill = 0x30): Uint8Array {
  const len =
    n < 0x80
      ? [n]
      : n < 0x100
        ? [0x81, n]
        : n < 0x10000
          ? [0x82, n >> 8, n & 0xff]
          : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  const out = new Uint8Array(1 + len.length + n).fill(fill);
  out[0] = 0x60 | msgType;
  out.set(len, 1);
  return out;
}

export function ipv4(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

export function ipv6(groups: number[]): Uint8Array {
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

export function udp(sport: number, dport: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, sport);
  dv.setUint16(2, dport);
  dv.setUint16(4, out.length);
  out.set(payload, 8);
  return out;
}

export const SYN = 0x02;
export const ACK = 0x10;
export const PSH = 0x08;
export const FIN = 0x01;
export const RST = 0x04;

export function tcp(
  sport: number,
  dport: number,
  seq: number,
  flags: number,
  payload: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(20 + payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, sport);
  dv.setUint16(2, dport);
  dv.setUint32(4, seq >>> 0);
  out[12] = 5 << 4;
  out[13] = flags;
  dv.setUint16(14, 65535);
  out.set(payload, 20);
  return out;
}

export function ip4Packet(src: Uint8Array, dst: Uint8Array, proto: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(20 + payload.length);
  const dv = new DataView(out.buffer);
  out[0] = 0x45;
  dv.setUint16(2, out.length);
  out[8] = 64;
  out[9] = proto;
  out.set(src, 12);
  out.set(dst, 16);
  out.set(payload, 20);
  return out;
}

/** IPv6 with optional extension headers (each given as [type, body of 6 + 8k bytes]). */
export function ip6Packet(
  src: Uint8Array,
  dst: Uint8Array,
  proto: number,
  payload: Uint8Array,
  extensions: [number, number][] = [],
): Uint8Array {
  const ext: number[] = [];
  for (let i = 0; i < extensions.length; i++) {
    const [, len8] = extensions[i]!;
    const next = i + 1 < extensions.length ? extensions[i + 1]![0] : proto;
    const body = new Array<number>((len8 + 1) * 8).fill(0);
    body[0] = next;
    body[1] = len8;
    ext.push(...body);
  }
  const out = new Uint8Array(40 + ext.length + payload.length);
  const dv = new DataView(out.buffer);
  out[0] = 0x60;
  dv.setUint16(4, ext.length + payload.length);
  out[6] = extensions.length > 0 ? extensions[0]![0] : proto;
  out[7] = 64;
  out.set(src, 8);
  out.set(dst, 24);
  out.set(ext, 40);
  out.set(payload, 40 + ext.length);
  return out;
}

export function ethernet(ip: Uint8Array, vlanTags = 0): Uint8Array {
  const v6 = ip[0]! >> 4 === 6;
  const tags: number[] = [];
  for (let i = 0; i < vlanTags; i++)
    tags.push(i === 0 && vlanTags > 1 ? 0x88 : 0x81, i === 0 && vlanTags > 1 ? 0xa8 : 0x00, 0x00, 10 + i);
  const head = [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, ...tags, v6 ? 0x86 : 0x08, v6 ? 0xdd : 0x00];
  return Uint8Array.from([...head, ...ip]);
}

export interface Rec {
  data: Uint8Array;
  /** Milliseconds since the epoch (whole microseconds/nanoseconds are derived from it). */
  ms: number;
}

/** Classic pcap: either byte order, micro- or nanoseconds. */
export function pcapFile(
  linkType: number,
  recs: Rec[],
  opts: { bigEndian?: boolean; nanos?: boolean } = {},
): Uint8Array {
  const le = !opts.bigEndian;
  const parts: number[] = [];
  const u32 = (n: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n >>> 0, le);
    parts.push(...b);
  };
  const u16 = (n: number) => {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, n, le);
    parts.push(...b);
  };
  u32(opts.nanos ? 0xa1b23c4d : 0xa1b2c3d4);
  u16(2);
  u16(4);
  u32(0);
  u32(0);
  u32(262144);
  u32(linkType);
  for (const r of recs) {
    const sec = Math.floor(r.ms / 1000);
    const frac = (r.ms - sec * 1000) * (opts.nanos ? 1e6 : 1e3);
    u32(sec);
    u32(frac);
    u32(r.data.length);
    u32(r.data.length);
    parts.push(...r.data);
  }
  return Uint8Array.from(parts);
}

/** pcapng blocks, built in one byte order. */
export class PcapngBuilder {
  private readonly parts: Uint8Array[] = [];
  constructor(private readonly le = true) {}

  private n32(n: number): Uint8Array {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n >>> 0, this.le);
    return b;
  }
  private n16(n: number): Uint8Array {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, n, this.le);
    return b;
  }
  private pad(b: Uint8Array): Uint8Array {
    const out = new Uint8Array(Math.ceil(b.length / 4) * 4);
    out.set(b);
    return out;
  }

  block(type: number, body: Uint8Array[]): this {
    const inner = join(body.map((b) => b));
    const total = 12 + inner.length;
    this.parts.push(join([this.n32(type), this.n32(total), inner, this.n32(total)]));
    return this;
  }

  shb(): this {
    return this.block(0x0a0d0d0a, [
      this.n32(0x1a2b3c4d),
      this.n16(1),
      this.n16(0),
      this.n32(0xffffffff),
      this.n32(0xffffffff),
    ]);
  }

  /** Interface with optional if_tsresol byte and if_tsoffset seconds. */
  idb(linkType: number, opts: { tsresol?: number; tsoffset?: number; snaplen?: number } = {}): this {
    const body = [this.n16(linkType), this.n16(0), this.n32(opts.snaplen ?? 0)];
    if (opts.tsresol !== undefined)
      body.push(this.n16(9), this.n16(1), this.pad(Uint8Array.of(opts.tsresol)));
    if (opts.tsoffset !== undefined) {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigInt64(0, BigInt(opts.tsoffset), this.le);
      body.push(this.n16(14), this.n16(8), b);
    }
    if (body.length > 3) body.push(this.n32(0));
    return this.block(1, body);
  }

  /** Enhanced Packet Block with a raw timestamp in the interface's units. */
  epb(iface: number, ts: bigint, data: Uint8Array): this {
    return this.block(6, [
      this.n32(iface),
      this.n32(Number(ts >> 32n)),
      this.n32(Number(ts & 0xffffffffn)),
      this.n32(data.length),
      this.n32(data.length),
      this.pad(data),
    ]);
  }

  /** Obsolete Packet Block. */
  pb(iface: number, ts: bigint, data: Uint8Array): this {
    return this.block(2, [
      this.n16(iface),
      this.n16(0),
      this.n32(Number(ts >> 32n)),
      this.n32(Number(ts & 0xffffffffn)),
      this.n32(data.length),
      this.n32(data.length),
      this.pad(data),
    ]);
  }

  spb(data: Uint8Array): this {
    return this.block(3, [this.n32(data.length), this.pad(data)]);
  }

  bytes(): Uint8Array {
    return join(this.parts);
  }
}

export function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A big-endian 4-byte length prefix and the record (RFC 4120 §7.2.2). */
export function record(msg: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + msg.length);
  new DataView(out.buffer).setUint32(0, msg.length);
  out.set(msg, 4);
  return out;
}

/** mulberry32: a small seeded generator, so that every run mutates the same way. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

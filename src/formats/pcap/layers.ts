/**
 * From a link-layer frame down to a UDP datagram or a TCP segment: Ethernet II with 802.1Q/802.1ad
 * tags, BSD loopback (DLT_NULL, DLT_LOOP), raw IP, Linux cooked capture v1 and v2; IPv4 (RFC 791) and
 * IPv6 (RFC 8200, extension headers skipped); UDP (RFC 768) and TCP (RFC 9293).
 * A frame that is none of these, an IP fragment, or cut short by the snap length gives null: captures
 * hold all sorts of traffic, and only the Kerberos in them matters here.
 */
import type { CaptureFrame } from './container';

export interface TransportPacket {
  frame: number;
  time: Date;
  /** "192.0.2.1:88" or "[2001:db8::1]:88". */
  src: string;
  dst: string;
  transport: 'udp' | 'tcp';
  payload: Uint8Array;
  /** TCP only: sequence number and flags (RFC 9293 §3.1). */
  seq: number;
  flags: number;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

/** LINKTYPE_* values (https://www.tcpdump.org/linktypes.html). */
export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = new Set([0x8100, 0x88a8, 0x9100]);

/** Decodes one frame down to its transport payload, or null when it carries no UDP/TCP we can use. */
export function decodeFrame(f: CaptureFrame): TransportPacket | null {
  const ip = linkPayload(f.linkType, f.data);
  if (!ip) return null;
  return decodeIp(f, ip);
}

/** The IP packet inside a link-layer frame. */
function linkPayload(linkType: number, d: Uint8Array): Uint8Array | null {
  switch (linkType) {
    case LINKTYPE.ETHERNET: {
      let at = 12;
      for (;;) {
        if (d.length < at + 2) return null;
        const etherType = (d[at]! << 8) | d[at + 1]!;
        if (ETHERTYPE_VLAN.has(etherType)) {
          at += 4; // TPID already read; skip TCI and land on the next EtherType
          continue;
        }
        return etherType === ETHERTYPE_IPV4 || etherType === ETHERTYPE_IPV6 ? d.subarray(at + 2) : null;
      }
    }
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP:
      // A 4-byte address family (host order for NULL, network order for LOOP; the values differ by OS:
      // 2 for IPv4 everywhere, 10/24/28/30 for IPv6). The IP version nibble settles it.
      return d.length > 4 ? d.subarray(4) : null;
    case LINKTYPE.RAW:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
    case 12: // DLT_RAW on OpenBSD
    case 14: // DLT_RAW on BSD/OS
      return d;
    case LINKTYPE.LINUX_SLL:
      // packet type, ARPHRD, address length, 8 address bytes, protocol (EtherType)
      if (d.length < 16) return null;
      return etherTypeIsIp((d[14]! << 8) | d[15]!) ? d.subarray(16) : null;
    case LINKTYPE.LINUX_SLL2:
      // protocol (EtherType), reserved, interface index, ARPHRD, packet type, address length, 8 address bytes
      if (d.length < 20) return null;
      return etherTypeIsIp((d[0]! << 8) | d[1]!) ? d.subarray(20) : null;
    default:
      return null;
  }
}

function etherTypeIsIp(t: number): boolean {
  return t === ETHERTYPE_IPV4 || t === ETHERTYPE_IPV6;
}

function decodeIp(f: CaptureFrame, p: Uint8Array): TransportPacket | null {
  if (p.length < 1) return null;
  const version = p[0]! >> 4;
  let src: string;
  let dst: string;
  let proto: number;
  let payload: Uint8Array;
  if (version === 4) {
    if (p.length < 20) return null;
    const ihl = (p[0]! & 0x0f) * 4;
    const total = (p[2]! << 8) | p[3]!;
    if (ihl < 20 || total < ihl || total > p.length) return null; // bad header, or cut by the snap length
    // A fragment (MF set or offset non-zero) is not a whole datagram; fragments are not reassembled.
    if ((p[6]! & 0x20) !== 0 || (((p[6]! & 0x1f) << 8) | p[7]!) !== 0) return null;
    proto = p[9]!;
    src = formatIpv4(p.subarray(12, 16));
    dst = formatIpv4(p.subarray(16, 20));
    payload = p.subarray(ihl, total);
  } else if (version === 6) {
    if (p.length < 40) return null;
    const plen = (p[4]! << 8) | p[5]!;
    if (40 + plen > p.length) return null; // jumbograms (plen 0) are not expected on a Kerberos path
    src = formatIpv6(p.subarray(8, 24));
    dst = formatIpv6(p.subarray(24, 40));
    let next = p[6]!;
    let at = 40;
    const end = 40 + plen;
    // RFC 8200 §4: walk the extension headers until an upper-layer protocol.
    for (;;) {
      if (next === 0 || next === 43 || next === 60 || next === 135 || next === 139 || next === 140) {
        if (end - at < 8) return null;
        const len = (p[at + 1]! + 1) * 8;
        next = p[at]!;
        at += len;
      } else if (next === 44) {
        if (end - at < 8) return null;
        const offsetAndM = (p[at + 2]! << 8) | p[at + 3]!;
        if (offsetAndM !== 0) return null; // a real fragment; only atomic fragments pass
        next = p[at]!;
        at += 8;
      } else if (next === 51) {
        // Authentication Header: its length is in 4-octet units, minus 2 (RFC 4302 §2.2).
        if (end - at < 8) return null;
        const len = (p[at + 1]! + 2) * 4;
        next = p[at]!;
        at += len;
      } else break;
      if (at > end) return null;
    }
    proto = next;
    payload = p.subarray(at, end);
  } else return null;

  if (proto === 17) {
    if (payload.length < 8) return null;
    const ulen = (payload[4]! << 8) | payload[5]!;
    if (ulen < 8 || ulen > payload.length) return null;
    return {
      frame: f.frame,
      time: f.time,
      src: endpoint(src, (payload[0]! << 8) | payload[1]!),
      dst: endpoint(dst, (payload[2]! << 8) | payload[3]!),
      transport: 'udp',
      payload: payload.subarray(8, ulen),
      seq: 0,
      flags: 0,
    };
  }
  if (proto === 6) {
    if (payload.length < 20) return null;
    const doff = (payload[12]! >> 4) * 4;
    if (doff < 20 || doff > payload.length) return null;
    const seq = ((payload[4]! << 24) | (payload[5]! << 16) | (payload[6]! << 8) | payload[7]!) >>> 0;
    return {
      frame: f.frame,
      time: f.time,
      src: endpoint(src, (payload[0]! << 8) | payload[1]!),
      dst: endpoint(dst, (payload[2]! << 8) | payload[3]!),
      transport: 'tcp',
      payload: payload.subarray(doff),
      seq,
      flags: payload[13]!,
    };
  }
  return null;
}

function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export function formatIpv4(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** RFC 5952 text form: lowercase, no leading zeros, the longest run of two or more zero groups as "::". */
export function formatIpv6(b: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestAt < 0) return hex.join(':');
  return `${hex.slice(0, bestAt).join(':')}::${hex.slice(bestAt + bestLen).join(':')}`;
}

/**
 * The addresses hosts have on the wire: the pcap exports draw them, and the DC's Security log writes the
 * client's as its Client Address. Derived from the host id, so the same world always has the same ones.
 */
import { utf8 } from '../util';

/** FNV-1a, 32 bits: a stable hash of a host id (no randomness in the core). */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const b of utf8(text)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/**
 * A stable address for every host: the same id gets the same address in every export (10.a.b.c with
 * c in 1..254, or fd6b:7262:706c:6179::x:y), unless two ids collide, when the later one in id order
 * takes the next free address.
 */
export function hostAddresses(
  hosts: readonly { id: string }[],
  options: { ipv6?: boolean; addresses?: Record<string, string> } = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  const taken = new Set<string>();
  for (const [id, addr] of Object.entries(options.addresses ?? {})) {
    if (hosts.some((h) => h.id === id)) {
      out[id] = addr;
      taken.add(addr);
    }
  }
  const ids = [...new Set(hosts.map((h) => h.id))].filter((id) => out[id] === undefined).sort();
  for (const id of ids) {
    let n = fnv1a(id);
    for (;;) {
      const addr = options.ipv6 ? ipv6Of(n) : ipv4Of(n);
      if (!taken.has(addr)) {
        out[id] = addr;
        taken.add(addr);
        break;
      }
      n = (n + 1) >>> 0;
    }
  }
  return out;
}

function ipv4Of(n: number): string {
  return `10.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${1 + ((n & 0xff) % 254)}`;
}

function ipv6Of(n: number): string {
  const hi = ((n >>> 16) & 0xffff) | 0x100; // never zero: no "::" ambiguity, never the subnet anycast
  return `fd6b:7262:706c:6179::${hi.toString(16)}:${(n & 0xffff).toString(16)}`;
}

/**
 * A host's NetBIOS computer name, as Windows shows it (%LOGONSERVER%, a PAC's LogonServer, NTLM's
 * Workstation): the first label of its DNS name, in capitals, at most 15 characters, as Windows keeps it
 * ("dc1.corp.contoso.com" -> "DC1").
 */
export function netbiosHostName(dnsName: string): string {
  return dnsName.split('.')[0]!.toUpperCase().slice(0, 15);
}

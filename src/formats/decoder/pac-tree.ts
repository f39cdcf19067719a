/**
 * The PAC (MS-PAC) as inspector nodes, and its signatures checked with the keys at hand. A PAC travels as
 * the ad-data of an AD-WIN2K-PAC (128) element inside AD-IF-RELEVANT in a ticket's authorization-data;
 * it is NDR, not DER, so the DER tree leaves it as bytes and this module grows its branch.
 *
 * Offsets: the header fields and each buffer get their exact place; the fields inside a buffer share
 * the buffer's span (the NDR reader does not keep finer offsets).
 */
import type { KrbNode } from '../../asn1';
import { checksumTypeForEnctype, findChecksumType, type Key } from '../../crypto';
import { fromHex, toHex } from '../../util/bytes';
import { KrbPlayError } from '../../util/errors';
import { decodePac, PAC_BUFFER_NAMES, verifyPac, type PacSignatureCheck, type PacVerification } from '../pac';
import { fileTimeToIso } from '../pac-ndr';

export interface PacKeys {
  /** The long-term key that opened the ticket (the server signature's key). */
  serverKey?: Key;
  /** krbtgt keys of the ticket's realm: the KDC, ticket and full signatures. */
  kdcKeys?: readonly Key[];
  /** The EncTicketPart re-encoded with the PAC as one zero byte (MS-PAC §2.8.2). */
  ticketForChecksum?: () => Uint8Array | undefined;
}

const SKIP = new Set(['kind', 'type', 'offset', 'size', 'bytes', 'infoOffset']);
const MAX_DEPTH = 5;

function leaf(name: string, offset: number, length: number, value: string | number | boolean): KrbNode {
  return { name, tag: 'NDR', offset, length, value };
}

/** Any decoded buffer content as nodes, all spanning the buffer. */
function contentNodes(name: string, v: unknown, offset: number, length: number, depth: number): KrbNode {
  if (v === null || v === undefined) return leaf(name, offset, length, 'null');
  if (typeof v === 'bigint') {
    return leaf(
      name,
      offset,
      length,
      /time|set|change|clientId/i.test(name) ? fileTimeToIso(v) : v.toString(),
    );
  }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    return leaf(name, offset, length, v);
  if (v instanceof Uint8Array) return leaf(name, offset, length, toHex(v));
  if (depth >= MAX_DEPTH) return leaf(name, offset, length, '…');
  if (Array.isArray(v)) {
    return {
      name,
      tag: 'NDR',
      offset,
      length,
      children: v.map((x, i) => contentNodes(`${name}[${i}]`, x, offset, length, depth + 1)),
    };
  }
  const children: KrbNode[] = [];
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (depth === 0 && SKIP.has(k)) continue;
    children.push(contentNodes(k, x, offset, length, depth + 1));
  }
  return { name, tag: 'NDR', offset, length, children };
}

function describeCheck(c: PacSignatureCheck): string {
  const type =
    c.checksumType !== undefined
      ? ` (${findChecksumType(c.checksumType)?.name ?? `checksum type ${c.checksumType}`})`
      : '';
  switch (c.status) {
    case 'valid':
      return `valid${type}`;
    case 'invalid':
      return `INVALID${type}: ${c.reason ?? 'does not match'}`;
    case 'no-key':
      return `not checked${type}: ${c.reason ?? 'the key is not at hand'}`;
    case 'error':
      return `could not be checked${type}: ${c.reason ?? ''}`;
    default:
      return 'absent';
  }
}

const CHECK_OF: Record<number, keyof Omit<PacVerification, 'ok'>> = {
  6: 'server',
  7: 'kdc',
  16: 'ticket',
  19: 'full',
};

/**
 * The PAC at [base, base + bytes.length) of the enclosing buffer as a node; with `keys`, its signatures
 * checked. Throws FormatError when the PAC header itself is broken.
 */
export function pacNode(bytes: Uint8Array, base: number, keys?: PacKeys): KrbNode {
  const pac = decodePac(bytes, { lenient: true });
  const verification = keys ? verifyWithKeys(bytes, keys) : undefined;
  const children: KrbNode[] = [
    { name: 'cBuffers', tag: 'ULONG', offset: base, length: 4, value: pac.buffers.length },
    { name: 'Version', tag: 'ULONG', offset: base + 4, length: 4, value: pac.version },
  ];
  pac.buffers.forEach((b, i) => {
    const label = PAC_BUFFER_NAMES[b.type] ?? `buffer type ${b.type}`;
    children.push({
      name: `Buffers[${i}]`,
      tag: 'PAC_INFO_BUFFER',
      offset: base + b.infoOffset,
      length: 16,
      value: `${label} (type ${b.type}), ${b.size} bytes at offset ${b.offset}`,
    });
  });
  for (const b of pac.buffers) {
    const label = PAC_BUFFER_NAMES[b.type] ?? `buffer type ${b.type}`;
    const node = contentNodes(label, b, base + b.offset, b.size, 0);
    node.tag = `PAC buffer ${b.type}`;
    if (b.error) (node.children ??= []).push(leaf('error', base + b.offset, b.size, b.error));
    const which = CHECK_OF[b.type];
    if (which && verification) {
      (node.children ??= []).push({
        name: 'verified',
        tag: 'check',
        offset: base + b.offset,
        length: b.size,
        value: describeCheck(verification[which]),
      });
    }
    children.push(node);
  }
  return { name: 'PAC', tag: 'PACTYPE', offset: base, length: bytes.length, children };
}

/** verifyPac with the krbtgt key whose checksum type matches the KDC signature (several may be at hand). */
function verifyWithKeys(bytes: Uint8Array, keys: PacKeys): PacVerification {
  const ticket = keys.ticketForChecksum?.();
  const base = {
    ...(keys.serverKey ? { serverKey: keys.serverKey } : {}),
    ...(ticket ? { ticket } : {}),
  };
  const probe = verifyPac(bytes, base);
  const want = probe.kdc.checksumType;
  const kdcKey = (keys.kdcKeys ?? []).find((k) => {
    try {
      return checksumTypeForEnctype(k.etype) === want;
    } catch {
      return false;
    }
  });
  return kdcKey ? verifyPac(bytes, { ...base, kdcKey }) : probe;
}

/**
 * Finds every AD-WIN2K-PAC ad-data in a decoded tree (an EncTicketPart, plaintext or given) and hangs
 * the PAC's node under it. A PAC that does not decode gets an `error` leaf instead.
 */
export function attachPacs(tree: KrbNode, keys: PacKeys): void {
  const visit = (n: KrbNode): void => {
    const kids = n.children;
    if (!kids) return;
    const adType = kids.find((c) => c.name === 'ad-type');
    const adData = kids.find((c) => c.name === 'ad-data');
    if (adType?.value === 128 && adData && typeof adData.value === 'string' && !adData.children) {
      const bytes = fromHex(adData.value);
      const start = adData.offset + adData.length - bytes.length;
      try {
        adData.children = [pacNode(bytes, start, keys)];
      } catch (e) {
        if (!(e instanceof KrbPlayError)) throw e;
        adData.children = [leaf('PAC', start, bytes.length, `not a readable PAC: ${e.message}`)];
      }
    }
    kids.forEach(visit);
  };
  visit(tree);
}

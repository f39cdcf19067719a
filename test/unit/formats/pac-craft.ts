// PACs laid out by hand, the way a hostile peer or a broken writer could: descriptors pointing anywhere,
// and (so that a KDC checks more than the signatures) signed without signPac, which refuses such layouts.
import { checksum, checksumTypeForEnctype, findChecksumType, type Key } from '../../../src/crypto';

export interface Descriptor {
  type: number;
  size: number;
  offset: number;
}

/** PACTYPE with the given descriptors, followed by `body` (so offsets count from the header's end). */
export function craftPac(descriptors: readonly Descriptor[], body: Uint8Array, version = 0): Uint8Array {
  const headerEnd = 8 + 16 * descriptors.length;
  const out = new Uint8Array(headerEnd + body.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, descriptors.length, true);
  dv.setUint32(4, version, true);
  descriptors.forEach((d, i) => {
    dv.setUint32(8 + 16 * i, d.type, true);
    dv.setUint32(12 + 16 * i, d.size, true);
    dv.setBigUint64(16 + 16 * i, BigInt(d.offset), true);
  });
  out.set(body, headerEnd);
  return out;
}

/** The descriptors of a PAC as its header states them. */
export function descriptorsOf(pac: Uint8Array): Descriptor[] {
  const dv = new DataView(pac.buffer, pac.byteOffset, pac.byteLength);
  const out: Descriptor[] = [];
  for (let i = 0; i < dv.getUint32(0, true); i++) {
    out.push({
      type: dv.getUint32(8 + 16 * i, true),
      size: dv.getUint32(12 + 16 * i, true),
      offset: Number(dv.getBigUint64(16 + 16 * i, true)),
    });
  }
  return out;
}

/**
 * The same PAC with one more descriptor, `extra(shifted)` built from the existing descriptors after the
 * header grew by 16 bytes (every buffer moves 16 bytes on, and stays 8-byte aligned).
 */
export function withExtraDescriptor(pac: Uint8Array, extra: (moved: Descriptor[]) => Descriptor): Uint8Array {
  const old = descriptorsOf(pac);
  const moved = old.map((d) => ({ ...d, offset: d.offset + 16 }));
  const body = pac.subarray(8 + 16 * old.length);
  return craftPac([...moved, extra(moved)], body);
}

/**
 * Fills in the server (6) and KDC (7) signatures as MS-PAC §2.8 says, whatever the layout: the server
 * checksum over the PAC with both signature fields zeroed, the KDC checksum over the server signature.
 */
export function signRaw(pac: Uint8Array, serverKey: Key, kdcKey: Key): Uint8Array {
  const out = pac.slice();
  const dv = new DataView(out.buffer);
  const ds = descriptorsOf(out);
  const field = (type: number, key: Key) => {
    const d = ds.find((x) => x.type === type)!;
    const cksumtype = checksumTypeForEnctype(key.etype);
    dv.setInt32(d.offset, cksumtype, true);
    const start = d.offset + 4;
    const end = start + findChecksumType(cksumtype)!.length;
    out.fill(0, start, end);
    return { cksumtype, start, end };
  };
  const server = field(6, serverKey);
  const kdc = field(7, kdcKey);
  out.set(checksum(server.cksumtype, serverKey, 17, out), server.start);
  out.set(checksum(kdc.cksumtype, kdcKey, 17, out.slice(server.start, server.end)), kdc.start);
  return out;
}

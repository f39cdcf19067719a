/**
 * The SID Entra ID gives a cloud object (src/azure): `S-1-12-1-` and four sub-authorities, the object ID's 16
 * bytes read as little-endian uint32s, the bytes in the order Windows stores a GUID (its first three fields
 * little-endian, the last eight bytes as written). Graph exposes it as `securityIdentifier`; a cloud-only
 * user has no other SID, so this is the one a cloud service ticket's PAC carries for it. See
 * docs/modelled.md, "Cloud SID from the object ID".
 */
import { fromHex } from '../util/bytes';
import { KrbPlayInputError } from '../util/errors';

const GUID = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i;

/** The object ID as Windows lays a GUID out in memory: Data1, Data2, Data3 little-endian, Data4 as is. */
function guidBytes(objectId: string): Uint8Array {
  const m = GUID.exec(objectId.trim());
  if (!m) {
    throw new KrbPlayInputError(
      `"${objectId.slice(0, 60)}" is not an Entra object ID: it should be a GUID such as ` +
        'f82d79af-1278-4894-ac01-d90e30875cf8 (8-4-4-4-12 hex digits)',
    );
  }
  const [, d1, d2, d3, d4a, d4b] = m as unknown as [string, string, string, string, string, string];
  return Uint8Array.from([
    ...fromHex(d1).reverse(),
    ...fromHex(d2).reverse(),
    ...fromHex(d3).reverse(),
    ...fromHex(d4a + d4b),
  ]);
}

/** The cloud SID of an Entra object ID, e.g. f82d79af-1278-4894-ac01-d90e30875cf8 → S-1-12-1-4163729839-…. */
export function cloudSidFromObjectId(objectId: string): string {
  const bytes = guidBytes(objectId);
  const view = new DataView(bytes.buffer);
  const subs = [0, 4, 8, 12].map((at) => view.getUint32(at, true));
  return ['S-1-12-1', ...subs.map(String)].join('-');
}

/** A cloud SID (S-1-12-1-…): the identity of a cloud-only Entra user or group, never an AD account's. */
export const isCloudSid = (sid: string): boolean => /^S-1-12-1-/i.test(sid);

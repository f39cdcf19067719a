/**
 * The security descriptor icacls reads and writes, in its self-relative form (MS-DTYP §2.4.6), and the
 * QUERY_INFO and SET_INFO bodies that carry it (MS-SMB2 §2.2.37–§2.2.40, InfoType SMB2_0_INFO_SECURITY).
 * SIDs come in packed binary (MS-DTYP §2.4.2.2): the caller encodes them.
 */
import { Smb2Error } from './errors';
import { HEADER_SIZE } from './header';
import { LeWriter } from './wire';

/** ACE types (MS-DTYP §2.4.4.1). */
export const AceType = { ACCESS_ALLOWED: 0x00, ACCESS_DENIED: 0x01 } as const;

/** ACE flags (MS-DTYP §2.4.4.1). */
export const AceFlag = { OBJECT_INHERIT: 0x01, CONTAINER_INHERIT: 0x02, INHERITED: 0x10 } as const;

/** SECURITY_DESCRIPTOR control bits (MS-DTYP §2.4.6). */
export const SdControl = {
  DACL_PRESENT: 0x0004,
  DACL_AUTO_INHERITED: 0x0400,
  DACL_PROTECTED: 0x1000,
  SELF_RELATIVE: 0x8000,
} as const;

/** SECURITY_INFORMATION bits a QUERY_INFO or SET_INFO names (MS-DTYP §2.4.7). */
export const SecurityInformation = { OWNER: 0x1, GROUP: 0x2, DACL: 0x4 } as const;

export const SMB2_0_INFO_SECURITY = 0x03;

export interface Ace {
  type: number;
  flags: number;
  mask: number;
  /** The SID, packed (MS-DTYP §2.4.2.2). */
  sid: Uint8Array;
}

export interface SecurityDescriptor {
  /** Control bits beside SELF_RELATIVE and DACL_PRESENT, which are always set. */
  control: number;
  owner?: Uint8Array;
  group?: Uint8Array;
  dacl: readonly Ace[];
}

const ACL_REVISION = 2;

/** AclSize and AceSize are 16-bit fields (MS-DTYP §2.4.5, §2.4.4.2): neither may pass 65,535 bytes. */
const MAX_SIZE = 0xffff;

/** An ACL (MS-DTYP §2.4.5): its 8-byte header, then each ACE (header, mask, SID). */
export function encodeAcl(aces: readonly Ace[]): Uint8Array {
  aces.forEach((a, i) => {
    if (8 + a.sid.length > MAX_SIZE)
      throw new Smb2Error(
        `ACE ${i}: its SID makes it ${8 + a.sid.length} bytes, more than AceSize's 16 bits hold (${MAX_SIZE})`,
      );
  });
  const size = 8 + aces.reduce((n, a) => n + 8 + a.sid.length, 0);
  if (size > MAX_SIZE)
    throw new Smb2Error(
      `the ACL of ${aces.length} ACEs is ${size} bytes, more than AclSize's 16 bits hold (${MAX_SIZE})`,
    );
  const w = new LeWriter().u8(ACL_REVISION).u8(0).u16(size).u16(aces.length).u16(0);
  for (const a of aces)
    w.u8(a.type)
      .u8(a.flags)
      .u16(8 + a.sid.length)
      .u32(a.mask)
      .bytes(a.sid);
  return w.done();
}

/** A self-relative SECURITY_DESCRIPTOR: the 20-byte header, then owner, group and DACL. */
export function encodeSecurityDescriptor(sd: SecurityDescriptor): Uint8Array {
  const dacl = encodeAcl(sd.dacl);
  let at = 20;
  const place = (part: Uint8Array | undefined) => {
    if (!part) return 0;
    const offset = at;
    at += part.length;
    return offset;
  };
  const owner = place(sd.owner);
  const group = place(sd.group);
  const daclAt = place(dacl);
  const w = new LeWriter()
    .u8(1)
    .u8(0)
    .u16(sd.control | SdControl.SELF_RELATIVE | SdControl.DACL_PRESENT)
    .u32(owner)
    .u32(group)
    .u32(0)
    .u32(daclAt);
  if (sd.owner) w.bytes(sd.owner);
  if (sd.group) w.bytes(sd.group);
  return w.bytes(dacl).done();
}

/** §2.2.37 QUERY_INFO request for the security descriptor parts `additional` names. */
export function queryInfoSecurityRequest(fileId: Uint8Array, additional: number): Uint8Array {
  return new LeWriter()
    .u16(41)
    .u8(SMB2_0_INFO_SECURITY)
    .u8(0)
    .u32(65_536)
    .u16(0)
    .u16(0)
    .u32(0)
    .u32(additional)
    .u32(0)
    .bytes(fileId)
    .u8(0)
    .done();
}

/** §2.2.38 QUERY_INFO response: the output buffer at offset 72. */
export function queryInfoResponse(output: Uint8Array): Uint8Array {
  return new LeWriter()
    .u16(9)
    .u16(HEADER_SIZE + 8)
    .u32(output.length)
    .bytes(output)
    .done();
}

/** §2.2.39 SET_INFO request writing the security descriptor parts `additional` names, at offset 96. */
export function setInfoSecurityRequest(fileId: Uint8Array, additional: number, sd: Uint8Array): Uint8Array {
  return new LeWriter()
    .u16(33)
    .u8(SMB2_0_INFO_SECURITY)
    .u8(0)
    .u32(sd.length)
    .u16(HEADER_SIZE + 32)
    .u16(0)
    .u32(additional)
    .bytes(fileId)
    .bytes(sd)
    .done();
}

/** §2.2.40 SET_INFO response. */
export function setInfoResponse(): Uint8Array {
  return new LeWriter().u16(2).done();
}

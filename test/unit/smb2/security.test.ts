// The security descriptor icacls reads and writes: self-relative (MS-DTYP 2.4.6) with its ACL and ACEs,
// byte for byte; QUERY_INFO and SET_INFO around it; the model's rights as Windows' own access masks.
// (tshark dissects the same bytes in test/interop/smb2-capture.test.ts.)
import { describe, expect, test } from 'vitest';
import {
  SecurityInformation,
  SdControl,
  setInfoSecurityRequest,
  queryInfoSecurityRequest,
  queryInfoResponse,
  encodeSecurityDescriptor,
  AceType,
  AceFlag,
  encodeAcl,
  Smb2Error,
} from '../../../src/smb2';
import { encodeBinarySid } from '../../../src/formats';
import { aceMask, securityDescriptor } from '../../../src/azure/smb-wire';
import { ALL, DELETE, SIMPLE_RIGHTS, WRITE } from '../../../src/azure/files-authz';
import { fromHex, toHex } from '../../../src/util/bytes';

const EVERYONE = fromHex('010100000000000100000000'); // S-1-1-0, MS-DTYP 2.4.2.2

describe('self-relative security descriptor', () => {
  test('one allow ACE for Everyone, inheritable: header, ACL, ACE and SID at their offsets', () => {
    const sd = encodeSecurityDescriptor({
      control: SdControl.DACL_AUTO_INHERITED,
      dacl: [
        {
          type: AceType.ACCESS_ALLOWED,
          flags: AceFlag.OBJECT_INHERIT | AceFlag.CONTAINER_INHERIT,
          mask: 0x0012_0089,
          sid: EVERYONE,
        },
      ],
    });
    expect(toHex(sd)).toBe(
      [
        '0100', // revision 1, Sbz1
        '0484', // control: SE_SELF_RELATIVE | SE_DACL_AUTO_INHERITED | SE_DACL_PRESENT
        '00000000', // no owner
        '00000000', // no group
        '00000000', // no SACL
        '14000000', // DACL at 20
        '02001c0001000000', // ACL revision 2, size 28, 1 ACE
        '0003140089001200', // ACCESS_ALLOWED, OI|CI, size 20, mask 0x120089
        '010100000000000100000000',
      ].join(''),
    );
  });

  test('AclSize and AceSize are 16 bits: an ACL or an ACE past 65,535 bytes is refused, the largest fits', () => {
    const ace = (sid: Uint8Array) => ({ type: AceType.ACCESS_ALLOWED, flags: 0, mask: 0x1f01ff, sid });
    const most = Array.from({ length: 3276 }, () => ace(EVERYONE)); // 8 + 3276 × 20 = 65,528 bytes
    expect(new DataView(encodeAcl(most).buffer).getUint16(2, true)).toBe(65_528);
    expect(() => encodeAcl([...most, ace(EVERYONE)])).toThrow(Smb2Error);
    expect(() => encodeAcl([...most, ace(EVERYONE)])).toThrow(/ACL of 3277 ACEs is 65548 bytes/);
    expect(() => encodeAcl([ace(new Uint8Array(65_528))])).toThrow(
      /ACE 0: .* 65536 bytes, more than AceSize/,
    );
    expect(() => encodeAcl([ace(new Uint8Array(65_527))])).toThrow(/ACL of 1 ACEs is 65543 bytes/);
  });

  test('an owner goes after the header, the DACL after it; a deny ACE is type 1', () => {
    const owner = encodeBinarySid('S-1-5-32-544');
    const sd = encodeSecurityDescriptor({
      control: SdControl.DACL_PROTECTED,
      owner,
      dacl: [{ type: AceType.ACCESS_DENIED, flags: 0, mask: 0x0001_0000, sid: EVERYONE }],
    });
    const v = new DataView(sd.buffer, sd.byteOffset);
    expect(v.getUint16(2, true)).toBe(0x9004);
    expect(v.getUint32(4, true)).toBe(20);
    expect(toHex(sd.subarray(20, 20 + owner.length))).toBe('01020000000000052000000020020000');
    expect(v.getUint32(16, true)).toBe(20 + owner.length);
    expect(sd[20 + owner.length + 8]).toBe(AceType.ACCESS_DENIED);
  });

  test('QUERY_INFO asks SMB2_0_INFO_SECURITY for the DACL; SET_INFO carries the descriptor at offset 96', () => {
    const id = new Uint8Array(16).fill(7);
    const q = queryInfoSecurityRequest(id, SecurityInformation.DACL);
    expect(q.length).toBe(41);
    expect([q[0], q[2], q[3]]).toEqual([41, 3, 0]);
    expect(new DataView(q.buffer).getUint32(16, true)).toBe(4);
    expect(q.subarray(24, 40)).toEqual(id);
    const sd = new Uint8Array([1, 2, 3]);
    const r = queryInfoResponse(sd);
    expect(toHex(r)).toBe('0900480003000000010203');
    const s = setInfoSecurityRequest(id, SecurityInformation.DACL, sd);
    expect(toHex(s.subarray(0, 16))).toBe('21000300030000006000000004000000');
    expect(s.subarray(32)).toEqual(sd);
  });
});

describe("the model's rights as access masks", () => {
  test("icacls' simple rights come to Windows' masks", () => {
    const masks = Object.fromEntries(SIMPLE_RIGHTS.map(([name, m]) => [name, aceMask(m)]));
    expect(masks).toEqual({
      F: 0x001f_01ff,
      M: 0x0013_01bf,
      RX: 0x0012_00a9,
      R: 0x0012_0089,
      W: 0x0010_0116,
      D: 0x0001_0000,
    });
    expect(aceMask(ALL & ~DELETE) & 0x40).toBe(0);
    expect(aceMask(WRITE | DELETE)).toBe(0x0011_0116);
  });

  test("a reply's ACL: canonical order kept, inherited ACEs flagged, (OI)(CI) only on a folder", () => {
    const acl = [
      { type: 'deny' as const, sid: 'S-1-1-0', mask: 1 | 16, inherited: false, from: 'a' },
      { type: 'allow' as const, sid: 'S-1-5-11', mask: ALL, inherit: true, inherited: true, from: '' },
    ];
    const file = securityDescriptor({ status: 'STATUS_SUCCESS', acl, dir: false });
    const folder = securityDescriptor({ status: 'STATUS_SUCCESS', acl, dir: true, protected: true });
    // the second ACE's flags: after the header (20), the ACL header (8), the first ACE (8 + 12)
    expect([file[28], file[29], file[48], file[49]]).toEqual([1, 0, 0, AceFlag.INHERITED]);
    expect(folder[49]).toBe(AceFlag.INHERITED | AceFlag.OBJECT_INHERIT | AceFlag.CONTAINER_INHERIT);
    expect(new DataView(folder.buffer).getUint16(2, true)).toBe(0x9404);
  });
});

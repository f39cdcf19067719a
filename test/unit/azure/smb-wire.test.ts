// SET_INFO on the wire carries the descriptor the client sent, whatever the server answers: a refused
// SET_INFO still shows the DACL icacls wrote, not the empty one of a reply that carries none.
import { describe, expect, test } from 'vitest';
import { smbFileRequest } from '../../../src/azure/smb';
import { sessionFor } from '../../../src/azure/files-server';
import { READ } from '../../../src/azure/files-authz';
import { findScenario, runScenario, type Scenario } from '../../../src/scenarios';
import { decryptMessage } from '../../../src/smb2';
import { encodeBinarySid } from '../../../src/formats';
import { toHex } from '../../../src/util';

/** The self-relative descriptor of a SET_INFO request (MS-SMB2 §2.2.39: its buffer at offset 96). */
function setInfoDescriptor(message: Uint8Array): { aces: number; bytes: Uint8Array } {
  const v = new DataView(message.buffer, message.byteOffset, message.byteLength);
  expect(v.getUint16(12, true)).toBe(0x11); // SMB2 SET_INFO
  const sd = message.subarray(
    v.getUint16(64 + 8, true),
    v.getUint16(64 + 8, true) + v.getUint32(64 + 4, true),
  );
  const acl = new DataView(
    sd.buffer,
    sd.byteOffset + new DataView(sd.buffer, sd.byteOffset).getUint32(16, true),
  );
  return { aces: acl.getUint16(4, true), bytes: sd };
}

describe('SET_INFO on the wire', () => {
  test("a refused SET_INFO carries the object's DACL with icacls' ACE, as an accepted one does", () => {
    const { world } = runScenario(findScenario('ntfs-deny') as Scenario);
    const svc = world.services.find((s) => s.id === 'contosofiles')!;
    const session = sessionFor(svc, 'adm1', 'profiles')!;
    const at = { share: 'profiles', path: 'report.docx' };
    const held = smbFileRequest(
      world,
      'adm1',
      svc,
      { op: 'query-info', session: session.id, ...at },
      'query',
    );
    expect(held?.acl?.length).toBeGreaterThan(0);
    const ace = { type: 'allow' as const, sid: 'S-1-1-0', mask: READ, inherit: false };
    // a session id the server does not hold: STATUS_USER_SESSION_DELETED, no descriptor in the reply
    const refused = smbFileRequest(world, 'adm1', svc, { op: 'set-info', session: 999, ...at, ace }, 'set');
    expect(refused?.status).toBe('STATUS_USER_SESSION_DELETED');
    const keys = world.smbConnection('adm1', svc.id)!.session!.keys!;
    const sealed = world.trace.filter((e) => e.smb2).at(-2)!.smb2!;
    const sent = setInfoDescriptor(decryptMessage(sealed, keys.encryptionKey));
    expect(sent.aces).toBe(held!.acl!.length + 1);
    expect(toHex(sent.bytes)).toContain(toHex(encodeBinarySid('S-1-1-0')));
  });
});

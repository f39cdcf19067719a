// The PAC's LOGON_INFO names the DC that built it (LogonServer, MS-PAC §2.5), as the client's
// %LOGONSERVER% names the DC of its sign-in: the same name, not a placeholder.
import { describe, expect, test } from 'vitest';
import { decodeEncTicketPart, decodeTicket } from '../../../src/asn1';
import { logonServer } from '../../../src/azure';
import { decrypt, KeyUsage } from '../../../src/crypto';
import { decodePac } from '../../../src/formats';
import { findPacIn } from '../../../src/protocol/authdata';
import { keyOf } from '../../../src/protocol/long-term-key';
import { findScenario, runScenario, type Scenario } from '../../../src/scenarios';
import { netbiosHostName } from '../../../src/world';

describe('the PAC names its DC', () => {
  test.each(['kerberos-101', 'two-forests'])(
    '%s: the TGT’s LogonServer is the DC that %LOGONSERVER% names',
    (id) => {
      const s = findScenario(id) as Scenario;
      // the whole story: ws1 signs in online, so %LOGONSERVER% names the DC that answered
      const w = runScenario(s).world;
      const realm = s.clients.find((c) => c.host === 'ws1')!.user.split('@')[1]!;
      const tgt = w
        .client('ws1')
        .cache.credentials.find((c) => c.server.name.nameString.join('/') === `krbtgt/${realm}`)!;
      const ticket = decodeTicket(tgt.ticket);
      const dc = s.kdcs.find((k) => k.realms.includes(realm))!.host;
      const krbtgt = w.kdc(dc).entries(`krbtgt/${realm}@${realm}`, realm)[0]!;
      const key = krbtgt.keys.find(
        (k) => k.etype === ticket.encPart.etype && k.kvno === ticket.encPart.kvno,
      )!;
      const part = decodeEncTicketPart(
        decrypt({ etype: key.etype, bytes: keyOf(key) }, KeyUsage.KDC_REP_TICKET, ticket.encPart.cipher),
      );
      const pac = decodePac(findPacIn(part.authorizationData)!);
      const buffer = pac.buffers.find((b) => b.kind === 'logonInfo');
      if (buffer?.kind !== 'logonInfo') throw new Error('the TGT has no LOGON_INFO');
      const info = buffer.logonInfo;
      expect(info.logonServer).toBe(logonServer(w, 'ws1').replace(/^\\\\/, ''));
      expect(info.logonServer).toBe(w.host(dc).name.split('.')[0]!.toUpperCase());
    },
  );

  test('a NetBIOS name is the first label in capitals, at most 15 characters', () => {
    expect(netbiosHostName('dc1.corp.contoso.com')).toBe('DC1');
    expect(netbiosHostName('branch-office-dc-07.corp.contoso.com')).toBe('BRANCH-OFFICE-D');
  });
});

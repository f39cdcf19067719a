// Entra Kerberos for cloud-only identities (src/azure/cloud-only.ts): a user with no AD account signs in
// with Entra alone, its cloud TGT's PAC carries its cloud SID and its groups' (S-1-12-1-…), there is no
// on-prem TGT, and only Windows 11 and Windows Server 2025 ask for a cloud TGT for it (an older release
// signs in and gets a PRT, no cloud TGT: modelled). A wrong password is Entra's refusal (1326).
import { describe, expect, test } from 'vitest';
import { decodeEncTicketPart, decodeTicket } from '../../../src/asn1/ticket';
import { cloudOnlyReleaseRefusal, CLOUD_ONLY_RELEASES } from '../../../src/azure/cloud-only';
import { cloudSidFromObjectId } from '../../../src/azure/cloud-sid';
import { decrypt, KeyUsage } from '../../../src/crypto';
import { decodePac, findPacBuffer } from '../../../src/formats/pac';
import { findPacIn } from '../../../src/protocol/authdata';
import {
  buildWorld,
  findScenario,
  runScenario,
  validateScenario,
  type Scenario,
} from '../../../src/scenarios';
import { logon } from '../../../src/azure/windows';
import { dsregcmdStatus } from '../../../src/azure/cloudap';
import { setUpEntra } from '../../../src/azure/entra';
import { WorldError } from '../../../src/world/errors';
import { keyOf } from '../../../src/protocol/long-term-key';

const CLOUD = 'KERBEROS.MICROSOFTONLINE.COM';
const BOB_SID = cloudSidFromObjectId('6b1f3c2e-9a47-4d0b-8e15-2c7a9f4d3b61');
const GROUP_SID = cloudSidFromObjectId('a3d9e5f1-0c2b-4e7a-9f16-5b8c4d2e7a90');

/** The parts of the scenario's JSON the tests change. */
type Editable = { clients: { windows?: string }[]; entra: { cloudOnlyUsers: { name: string }[] } };

function scenario(change: (s: Editable) => void = () => {}): Scenario {
  const s = structuredClone(findScenario('cloud-only-identity')!) as unknown as Editable;
  change(s);
  return validateScenario(s) as Scenario;
}

const cloudTgtOf = (w: ReturnType<typeof buildWorld>, host: string) =>
  w.client(host).cache.credentials.find((c) => c.server.name.nameString.join('/') === `krbtgt/${CLOUD}`);

describe('the client OS rule', () => {
  test('Windows 11 and Server 2025 ask for a cloud TGT for a cloud-only user; 10 and Server 2022 do not (modelled)', () => {
    expect(CLOUD_ONLY_RELEASES).toEqual(['windows-11', 'server-2025']);
    expect(cloudOnlyReleaseRefusal('windows-11')).toBeUndefined();
    expect(cloudOnlyReleaseRefusal('server-2025')).toBeUndefined();
    expect(cloudOnlyReleaseRefusal(undefined)).toBeUndefined();
    expect(cloudOnlyReleaseRefusal('windows-10')).toMatch(/^Windows 10 does not support .*\(modelled\)$/);
    expect(cloudOnlyReleaseRefusal('server-2022')).toMatch(/^Windows Server 2022 does not support/);
  });

  test.each([
    ['windows-10', false],
    ['server-2022', false],
    ['server-2025', true],
    ['windows-11', true],
  ] as const)('bob signs in on %s: cloud TGT %s', (release, got) => {
    const world = buildWorld(scenario((s) => (s.clients[1]!.windows = release)));
    const r = logon(world, 'ws2');
    expect(r.ok).toBe(true);
    expect(cloudTgtOf(world, 'ws2') !== undefined).toBe(got);
    expect(dsregcmdStatus(world, 'ws2')).toMatch(got ? /CloudTgt : YES/ : /CloudTgt : NO/);
    expect(dsregcmdStatus(world, 'ws2')).toMatch(/AzureAdPrt : YES/);
  });

  test('on Windows 10 the mount falls back to NTLM, which Azure Files refuses: 1326; the scenario with ws2 on Windows 11 mounts', () => {
    const run = runScenario(scenario());
    expect(run.world.windowsHost('ws2')!.drives['Z:']).toBeUndefined();
    const eleven = runScenario(scenario((s) => (s.clients[1]!.windows = 'windows-11')));
    expect(eleven.outcomes.find((o) => o.id === 'windows-10-refused')!.ok).toBe(false);
    expect(eleven.world.windowsHost('ws2')!.drives['Z:']).toMatch(/profiles$/);
  });
});

describe('sign-in and the PAC', () => {
  test("the cloud TGT's PAC carries bob's cloud SID as the user and his group's as an extra SID", () => {
    const world = buildWorld(scenario());
    expect(logon(world, 'ws1').ok).toBe(true);
    const tgt = cloudTgtOf(world, 'ws1')!;
    expect(tgt.client.realm).toBe(CLOUD);
    const krbtgt = world.kdc('entra').entries(`krbtgt/${CLOUD}@${CLOUD}`, CLOUD)[0]!.keys[0]!;
    const ticket = decodeTicket(tgt.ticket);
    const part = decodeEncTicketPart(
      decrypt({ etype: krbtgt.etype, bytes: keyOf(krbtgt) }, KeyUsage.KDC_REP_TICKET, ticket.encPart.cipher),
    );
    const pac = decodePac(findPacIn(part.authorizationData)!);
    const info = findPacBuffer(pac, 'logonInfo')!.logonInfo;
    expect(`${info.logonDomainId}-${info.userId}`).toBe(BOB_SID);
    expect(info.extraSids.map((e) => e.sid)).toEqual([GROUP_SID]);
    expect(findPacBuffer(pac, 'upnDnsInfo')!.upnDnsInfo).toMatchObject({
      upn: 'bob@contoso.onmicrosoft.com',
      sid: BOB_SID,
    });
  });

  test('no DC, no AS exchange on the wire, OnPremTgt NO', () => {
    const world = buildWorld(scenario());
    logon(world, 'ws1');
    expect(world.trace.filter((e) => e.type === 'AS-REQ')).toEqual([]);
    expect(dsregcmdStatus(world, 'ws1')).toMatch(/OnPremTgt : NO\n\s+CloudTgt : YES/);
  });

  test("a wrong password is Entra's refusal: 1326, no PRT", () => {
    const world = buildWorld(scenario());
    const r = logon(world, 'ws1', 'not-bobs-password');
    expect(r).toMatchObject({ ok: false, windowsError: 1326 });
    expect(world.windowsHost('ws1')!.cloudAp!.prt).toBeUndefined();
  });

  test('a user of the cloud realm that Entra does not list as cloud-only is refused when the world is built', () => {
    expect(() => buildWorld(scenario((s) => (s.entra.cloudOnlyUsers[0]!.name = 'carol')))).toThrow(
      /bob@KERBEROS.MICROSOFTONLINE.COM is in the cloud realm .* not one of Entra's cloud-only users/,
    );
    // Entra itself says so with the world's typed error (it was a bare Error the scenario builder rewrapped)
    const world = buildWorld(scenario());
    const carol = () => setUpEntra(world, world.entra!, [`carol@${CLOUD}`]);
    expect(carol).toThrow(WorldError);
    expect(carol).toThrow(
      /carol@KERBEROS.MICROSOFTONLINE.COM is in the cloud realm .* list it in "cloudOnlyUsers"/,
    );
  });
});

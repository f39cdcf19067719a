/**
 * The partial TGT Entra puts in the PRT response of a Windows Hello for Business sign-in on a device with
 * cloud Kerberos trust (modelled where Entra's internals are not public; docs/modelled.md):
 *
 * - it is a TGT krbtgt/DOMAIN@DOMAIN for the on-prem domain, encrypted in the key of krbtgt_AzureAD, the
 *   krbtgt account of the AzureADKerberos read-only DC object, under that object's kvno (RODC number in
 *   the high 16 bits, MS-KILE 3.1.5.8) — the key Entra holds as CloudKeyVersion;
 * - its PAC carries the user's SID only (PAC_REQUESTOR and UPN_DNS_INFO, no groups): Entra does not know
 *   the on-prem groups, and a writable DC builds the full PAC when it exchanges the ticket (key-list.ts).
 * - its times are those of an AD TGT (10 hours, renewable 7 days) and its session key AES-256.
 *
 * The bytes are real: the DC opens the ticket with its own copy of the key, and tshark with a keytab.
 */
import { encodeTicket, type EncTicketPart } from '../asn1';
import { TicketFlag } from '../asn1/registry';
import { formatPrincipal, krbtgtName, parsePrincipal } from '../asn1/principal';
import { kerberosTimestamp } from '../asn1/time';
import type { CachedCredential } from '../client';
import { randomKey } from '../crypto';
import { buildPac } from '../formats';
import { rodcKvno } from '../kdc';
import { sealTicket } from '../kdc/issue';
import { wrapPac } from '../protocol/authdata';
import type { EntraState, Narration, World } from '../world';

const HOUR = 3_600_000;
const PARTIAL_LIFE = 10 * HOUR;
const PARTIAL_RENEW = 7 * 24 * HOUR;
const FLAGS = TicketFlag.FORWARDABLE | TicketFlag.RENEWABLE | TicketFlag.PRE_AUTHENT;

/** The partial TGT for `user`, or undefined (with a narration line) when Entra cannot make one. */
export function partialTgtFor(
  world: World,
  entra: EntraState,
  user: string,
  narration: Narration[],
): CachedCredential | undefined {
  const server = entra.kerberosServer;
  const p = parsePrincipal(user);
  const say = (text: string, ok = true) =>
    narration.push({ actor: 'Entra ID (modelled)', stage: 'prt', text, ok });
  if (!server || server.domain !== p.realm) {
    say(
      `no partial TGT: ${p.realm} has no AzureADKerberos object (Set-AzureADKerberosServer was not run)`,
      false,
    );
    return undefined;
  }
  const home = world.kdcsServing(p.realm)[0]?.entries(user, p.realm)[0];
  if (!home?.sid) {
    say(`no partial TGT: ${user} has no on-prem SID synced to Entra`, false);
    return undefined;
  }
  const now = kerberosTimestamp(world.hostNow(entra.host)).time;
  const session = randomKey(18, world.random);
  const kvno = rodcKvno(server.rodcId, server.cloudKeyVersion);
  const ticketKey = { etype: 18, kvno, key: server.key };
  const pac = buildPac(
    [
      {
        kind: 'upnDnsInfo',
        type: 12,
        upnDnsInfo: {
          upn: home.upn ?? user.toLowerCase(),
          dnsDomainName: p.realm,
          flags: 2,
          samName: home.name.nameString[0]!,
          sid: home.sid,
        },
      },
      { kind: 'requestor', type: 18, requestor: { sid: home.sid } },
    ],
    { serverKey: { etype: 18, bytes: server.key }, kdcKey: { etype: 18, bytes: server.key } },
  );
  const part: EncTicketPart = {
    flags: FLAGS,
    key: { keytype: session.etype, keyvalue: session.bytes },
    crealm: p.realm,
    cname: p.name,
    transited: { trType: 1, contents: new Uint8Array(0) },
    authtime: now,
    starttime: now,
    endtime: new Date(now.getTime() + PARTIAL_LIFE),
    renewTill: new Date(now.getTime() + PARTIAL_RENEW),
    authorizationData: wrapPac(pac),
  };
  const ticket = sealTicket(part, p.realm, krbtgtName(p.realm), ticketKey, world.random);
  say(
    `modelled: cloud Kerberos trust: Entra also issues a partial TGT krbtgt/${p.realm} for ${formatPrincipal(p)}, encrypted in ${server.account}'s AES-256 key under kvno ${kvno} (0x${(kvno >>> 0).toString(16)}: AzureADKerberos is RODC number ${server.rodcId}, key version ${server.cloudKeyVersion} = CloudKeyVersion); its PAC holds the user's SID ${home.sid} and no groups`,
  );
  return {
    client: p,
    server: { realm: p.realm, name: krbtgtName(p.realm) },
    sessionKey: { etype: session.etype, bytes: session.bytes },
    authtime: now.getTime(),
    starttime: now.getTime(),
    endtime: part.endtime.getTime(),
    renewTill: part.renewTill!.getTime(),
    flags: FLAGS,
    ticket: encodeTicket(ticket),
    ticketEtype: 18,
    ticketKvno: kvno,
    kdcCalled: 'AzureADKerberos (Entra, partial TGT)',
  };
}

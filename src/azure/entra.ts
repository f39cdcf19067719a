/**
 * Entra ID (Azure AD), modelled: the tenant's Kerberos realm KERBEROS.MICROSOFTONLINE.COM behind the KDC
 * proxy at login.microsoftonline.com, and the Primary Refresh Token (PRT) request that brings Windows a
 * cloud TGT (PROTOCOL-NOTES.md, "The Primary Refresh Token (PRT) and the cloud TGT").
 *
 * What is standard and what is modelled:
 * - The PRT exchange itself (CloudAP's signed request over HTTPS to login.microsoftonline.com, claim
 *   tgt=true, and the encrypted response) is Entra's own protocol: its two steps are recorded in the trace
 *   as `modelled` events (type PRT-REQUEST / PRT-RESPONSE) with no bytes, and say so in their narration.
 * - The cloud TGT inside the response is real Kerberos. Entra's side makes it with an AS exchange that it
 *   runs with its own KDC (the world's KDC actor serving the cloud realm), inside the modelled step and
 *   never on the wire: an AS-REQ for krbtgt/KERBEROS.MICROSOFTONLINE.COM naming the user by UPN
 *   (NT-ENTERPRISE, canonicalize), answered without pre-authentication and encrypted in a per-user key that
 *   Entra keeps for this purpose (modelled: how Entra really keys this is not public). Entra opens that
 *   AS-REP and hands the Ticket and its session key to the device. So the ticket bytes are the cloud KDC's:
 *   encrypted in its krbtgt key, with its PAC, and it accepts them back in TGS-REQs through the KDC proxy.
 * - The user in the cloud realm's database is a synced copy of the on-prem account (Entra Connect sync,
 *   modelled): same name, SID, groups and UPN, and the on-prem realm as its realm. The cloud TGT therefore
 *   names the client alice@CORP.CONTOSO.COM, the name Windows signed in with (the client name Entra really
 *   puts there is not public: modelled).
 */
import { decodeAsRep, decodeEncAsRepPart, decodeKerberos, encodeAsReq, encodePaPacRequest } from '../asn1';
import { MessageType, PaType } from '../asn1/registry';
import { credentialOf, type CachedCredential } from '../client';
import { paReqEncPaRep } from '../client/messages';
import { decrypt, KeyUsage, randomKey } from '../crypto';
import type { PrincipalEntry } from '../kdc';
import { formatPrincipal, NT, parsePrincipal } from '../asn1/principal';
import { formatDuration, isoSeconds } from '../asn1/time';
import {
  TCP_CONNECT_TIMEOUT,
  type EntraConfig,
  type EntraState,
  type KdcAdmin,
  type Narration,
  type Protocol,
  type World,
  WorldError,
} from '../world';
import { asObserved, CLOUD_RENEWAL_REFUSED } from './cloud-tgt';
import { cloudOnlyEntry, cloudOnlyUser } from './cloud-only';
import { partialTgtFor } from './partial-tgt';
import { keyOf } from '../protocol/long-term-key';

export const CLOUD_REALM = 'KERBEROS.MICROSOFTONLINE.COM';
const HOUR = 3_600_000;
/** A PRT is valid 14 days (entra-docs: concept-primary-refresh-token). */
export const PRT_LIFETIME = 14 * 24 * HOUR;
/** CloudAP renews the PRT at most every 4 hours, and only during a sign-in (logon or unlock). */
export const PRT_REFRESH_INTERVAL = 4 * HOUR;
/** Windows' AS-REQ options: forwardable, renewable, canonicalize, renewable-ok (PROTOCOL-NOTES.md). */
const AS_OPTIONS = 0x40810010;
/** The "never" end time Windows asks for. */
const FAR_FUTURE = new Date(Date.UTC(2037, 8, 13, 2, 48, 5));

export interface IssuedPrt {
  id: string;
  issuedAt: number;
  expiresAt: number;
}

export type PrtResult =
  | {
      ok: true;
      prt: IssuedPrt;
      /** The cloud TGT (only when asked for, tgt=true, and the cloud KDC issued one). */
      cloudTgt?: CachedCredential;
      /** Why no cloud TGT came although one was asked for. */
      noTgt?: string;
      /** Cloud Kerberos trust: the partial TGT for the on-prem domain (cloud-trust.ts). */
      partialTgt?: CachedCredential;
      topLevelNames: string[];
      kdcProxy: string;
    }
  | { ok: false; why: string };

export function entraOf(world: World): EntraState | undefined {
  return world.entra;
}

/** The cloud realm's KDC, which Entra runs. */
function cloudKdc(world: World, entra: EntraState): KdcAdmin {
  const kdc = world.kdcs.some((k) => k.host === entra.host) ? world.kdc(entra.host) : undefined;
  if (!kdc?.realms.includes(entra.realm))
    throw new WorldError(
      `Entra ID runs the KDC of its cloud realm ${entra.realm} on its own host, ${entra.host}, but no KDC there serves ${entra.realm}: add it to that KDC's realms`,
    );
  return kdc;
}

const upnOf = (entry: PrincipalEntry) =>
  (entry.upn ?? `${entry.name.nameString[0]!}@${entry.realm.toLowerCase()}`).toLowerCase();

/**
 * Puts Entra in the world: its state, and for each user a synced copy of the on-prem account in the cloud
 * realm's database with a per-user key Entra keeps (modelled; drawn from the world's seeded random source,
 * so the same seed gives the same keys).
 */
export function setUpEntra(world: World, config: EntraConfig, users: string[]): EntraState {
  const proxyPath = world.locator[config.realm]?.proxyPath ?? `/${config.tenantId}/kerberos`;
  const state: EntraState = {
    ...structuredClone(config),
    kdcProxy: `${world.host(config.host).name}:443:${proxyPath}`,
    prtsIssued: 0,
  };
  world.setEntra(state);
  const kdc = cloudKdc(world, state);
  kdc.refuseRenewals(state.realm, CLOUD_RENEWAL_REFUSED);
  for (const user of users) {
    const p = parsePrincipal(user);
    if (p.realm === state.realm) {
      addCloudOnlyUser(world, kdc, state, user);
      continue;
    }
    const home = world.kdcsServing(p.realm)[0]?.entries(user, p.realm)[0];
    if (!home)
      throw new WorldError(
        `${user} has no account in ${p.realm}'s database, so Entra Connect has nothing to sync to Entra ID: add the user to a KDC of ${p.realm}`,
      );
    if (kdc.principals(state.realm).some((e) => upnOf(e) === upnOf(home))) continue;
    const key = randomKey(18, world.random);
    kdc.addPrincipal(state.realm, {
      realm: home.realm,
      name: structuredClone(home.name),
      keys: [{ etype: key.etype, kvno: 1, key: key.bytes }],
      requiresPreauth: false,
      disabled: false,
      noForwardable: false,
      ...(home.sid ? { sid: home.sid } : {}),
      ...(home.groups ? { groups: [...home.groups] } : {}),
      upn: upnOf(home),
      ...(home.fullName ? { fullName: home.fullName } : {}),
    });
  }
  return state;
}

/** A user of the cloud realm itself: it must be one of Entra's cloud-only users (cloud-only.ts). */
function addCloudOnlyUser(world: World, kdc: KdcAdmin, entra: EntraState, user: string): void {
  const found = cloudOnlyUser(entra, user);
  if (!found)
    throw new WorldError(
      `${user} is in the cloud realm ${entra.realm} but is not one of Entra's cloud-only users: list it in "cloudOnlyUsers"`,
    );
  if (kdc.entries(user, entra.realm).length) return;
  kdc.addPrincipal(entra.realm, cloudOnlyEntry(entra.realm, found, randomKey(18, world.random).bytes));
}

const entraNarration = (text: string, ok = true): Narration => ({
  actor: 'Entra ID (modelled)',
  stage: 'prt',
  text,
  ok,
});

/** What CloudAP asks Entra for. */
interface PrtRequest {
  user: string;
  wantTgt: boolean;
  /** A Windows Hello sign-in on a device with cloud Kerberos trust: a partial TGT too. */
  partialTgt?: boolean;
}

type IssuedPrtResponse = Extract<PrtResult, { ok: true }>;

/**
 * Entra's token endpoint on login.microsoftonline.com:443 (modelled, no bytes): it issues a PRT and, when
 * asked (tgt=true), a cloud TGT its own KDC makes.
 */
export const entraListener: Protocol<PrtRequest, IssuedPrtResponse, EntraState> = {
  listener: (world, at) => (world.entra?.host === at.host ? world.entra : undefined),
  absent: (at) => `${at.host} is not Entra ID`,
  serve(world, entra, req) {
    const now = world.hostNow(entra.host);
    entra.prtsIssued += 1;
    const prt: IssuedPrt = { id: `prt-${entra.prtsIssued}`, issuedAt: now, expiresAt: now + PRT_LIFETIME };
    const narration: Narration[] = [
      entraNarration(
        `modelled: issued a PRT for ${req.user}, valid ${formatDuration(PRT_LIFETIME)} until ${isoSeconds(prt.expiresAt)}`,
      ),
    ];
    let cloudTgt: CachedCredential | undefined;
    let noTgt: string | undefined;
    if (req.wantTgt) {
      const got = cloudTgtFor(world, entra, req.user, narration);
      if ('credential' in got) cloudTgt = got.credential;
      else noTgt = got.why;
    }
    const partialTgt = req.partialTgt ? partialTgtFor(world, entra, req.user, narration) : undefined;
    const result =
      `200 OK (modelled): a PRT valid until ${isoSeconds(prt.expiresAt)}` +
      (cloudTgt
        ? `, a cloud TGT ${formatPrincipal(cloudTgt.server)} for ${formatPrincipal(cloudTgt.client)} valid until ${isoSeconds(cloudTgt.endtime)}, KerbTopLevelNames ${entra.topLevelNames.join(',')}, KDC proxy ${entra.kdcProxy}`
        : noTgt
          ? `; no cloud TGT: ${noTgt}`
          : '; no cloud TGT (none asked for)') +
      (partialTgt
        ? `, a partial TGT ${formatPrincipal(partialTgt.server)} (kvno ${partialTgt.ticketKvno ?? '?'})`
        : '');
    return {
      reply: { type: 'PRT-RESPONSE', result, narration },
      value: {
        ok: true,
        prt,
        ...(cloudTgt ? { cloudTgt } : {}),
        ...(noTgt ? { noTgt } : {}),
        ...(partialTgt ? { partialTgt } : {}),
        topLevelNames: [...entra.topLevelNames],
        kdcProxy: entra.kdcProxy,
      },
    };
  },
};

/**
 * The PRT request from a device's CloudAP plugin, and Entra's answer, as two modelled HTTPS steps. With
 * `wantTgt` (the GPO "Allow retrieving the cloud kerberos ticket during the logon" is on) the request
 * carries tgt=true and the answer a cloud TGT. Moves the virtual clock by the round trip (or the wait for a
 * connection that never comes).
 */
export function requestPrt(
  world: World,
  device: string,
  opts: { user: string; wantTgt: boolean; reason: string; partialTgt?: boolean },
): PrtResult {
  const entra = entraOf(world);
  if (!entra) return { ok: false, why: 'this world has no Entra ID' };
  const name = world.host(entra.host).name;
  const url = `https://${name}/${entra.tenantId}/oauth2/token`;
  const trip = world.roundTrip(
    device,
    { host: entra.host, port: 443, transport: 'https' },
    entraListener,
    { user: opts.user, wantTgt: opts.wantTgt, ...(opts.partialTgt ? { partialTgt: true } : {}) },
    {
      type: 'PRT-REQUEST',
      result: `POST ${url} (modelled): CloudAP asks for a PRT for ${opts.user}${opts.wantTgt ? ', claim tgt=true' : ''} (${opts.reason})`,
      narration: [
        {
          actor: `${device} CloudAP (modelled)`,
          stage: 'prt',
          text:
            `modelled: CloudAP's signed PRT request over HTTPS (device key and transport key, not Kerberos; no bytes are made). ` +
            (opts.wantTgt
              ? 'The GPO "Allow retrieving the cloud kerberos ticket during the logon" is on, so it asks for a cloud TGT (tgt=true).'
              : 'The GPO "Allow retrieving the cloud kerberos ticket during the logon" is off: no cloud TGT is asked for.'),
          ok: true,
        },
      ],
    },
    {
      timeout: TCP_CONNECT_TIMEOUT,
      modelled: true,
      unanswered: (why) => ({
        request: `no answer (modelled): ${why.text}`,
        wait: `${device} could not reach ${name}:443 (waited ${formatDuration(TCP_CONNECT_TIMEOUT)}): no PRT`,
      }),
    },
  );
  return trip.ok ? trip.value : { ok: false, why: `${name} cannot be reached: ${trip.failure.text}` };
}

/**
 * The cloud TGT: an AS exchange Entra runs with its own KDC, inside the modelled PRT step (see the top of
 * this file). The KDC's narration joins the PRT response's, so the inspector shows how the ticket was made.
 */
function cloudTgtFor(
  world: World,
  entra: EntraState,
  user: string,
  narration: Narration[],
): { credential: CachedCredential } | { why: string } {
  const kdc = cloudKdc(world, entra);
  const synced = kdc.entries(user, entra.realm)[0];
  if (!synced) return { why: `${user} is not synced to Entra` };
  const upn = upnOf(synced);
  const nonceBytes = world.random(4);
  const nonce =
    (((nonceBytes[0]! << 24) | (nonceBytes[1]! << 16) | (nonceBytes[2]! << 8) | nonceBytes[3]!) >>> 1) >>> 0;
  const asReq = encodeAsReq({
    pvno: 5,
    msgType: MessageType.AS_REQ,
    // as Windows' own AS-REQ: a PAC, and PA-REQ-ENC-PA-REP (so the reply carries enc-pa-rep, which
    // klist calls name_canonicalize)
    padata: [
      { padataType: PaType.PA_PAC_REQUEST, padataValue: encodePaPacRequest({ includePac: true }) },
      paReqEncPaRep(),
    ],
    reqBody: {
      kdcOptions: AS_OPTIONS,
      cname: { nameType: NT.ENTERPRISE, nameString: [upn] },
      realm: entra.realm,
      sname: { nameType: NT.SRV_INST, nameString: ['krbtgt', entra.realm] },
      till: FAR_FUTURE,
      rtime: FAR_FUTURE,
      nonce,
      etype: [18],
    },
  });
  const result = kdc.handle(asReq, { now: world.hostNow(entra.host), random: world.random });
  narration.push(
    entraNarration(
      `modelled: Entra asks its own KDC for the cloud TGT (an AS exchange inside Entra, not on the wire): ${upn} by UPN (NT-ENTERPRISE, canonicalize), in Entra's per-user key`,
    ),
    ...result.events,
  );
  const reply = decodeKerberos(result.reply);
  if (reply.type === 'KRB-ERROR') {
    narration.push(entraNarration(`the cloud KDC refused: error ${reply.value.errorCode}`, false));
    return { why: `the cloud KDC refused (error ${reply.value.errorCode})` };
  }
  const rep = decodeAsRep(result.reply);
  const key = synced.keys.find((k) => k.etype === rep.encPart.etype)!;
  const part = decodeEncAsRepPart(
    decrypt({ etype: key.etype, bytes: keyOf(key) }, KeyUsage.AS_REP_ENCPART, rep.encPart.cipher),
  );
  if (part.nonce !== nonce) return { why: 'the cloud KDC answered another request (nonce)' };
  const credential = asObserved(world, kdc, credentialOf(rep, part, 'TicketSuppliedAtLogon'), narration);
  narration.push(
    entraNarration(
      `modelled: Entra opened the AS-REP with the per-user key and puts the Ticket (encrypted in krbtgt/${entra.realm}'s key, kvno ${credential.ticketKvno ?? '?'}) and its session key in the PRT response, with KerbTopLevelNames ${entra.topLevelNames.join(',')} and the KDC proxy ${entra.kdcProxy}`,
    ),
  );
  return { credential };
}

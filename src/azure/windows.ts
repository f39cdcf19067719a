/**
 * The Windows logon session, on any Windows host (PROTOCOL-NOTES.md: "Windows client behaviour", "Cached
 * logon"): logon, lock, unlock, restart, and the LSA getting a new TGT by itself when a ticket is wanted
 * and the TGT is gone. The state is the host's `WindowsHostState`, snapshotted with the world.
 *
 * - A domain-joined host signs the user in with an AS exchange at its DC (real Kerberos, through the world).
 * - An Entra-joined or hybrid-joined device does the same when a DC answers, and keeps a cached logon
 *   verifier (DCC2) of that online logon; with no DC in sight it checks the password against the verifier
 *   (a cached logon, without an on-prem TGT). Then CloudAP's PRT step (cloudap.ts) hands Kerberos the cloud
 *   TGT ("Kdc Called: TicketSuppliedAtLogon").
 */
import { KdcError, type CachedCredential, type ClientResult } from '../client';
import { decodeEncTicketPart, decodeTicket } from '../asn1/ticket';
import { decrypt, KeyUsage } from '../crypto';
import { decodePac, findPacBuffer, tokenGroupSids } from '../formats';
import { findPacIn } from '../protocol/authdata';
import { errorCodes } from '../asn1/registry';
import { formatPrincipal, parsePrincipal, tgsRealmOf } from '../asn1/principal';
import { isoSeconds } from '../asn1/time';
import { fromHex, toHex } from '../util/bytes';
import { clientOf, runOperation, type World } from '../world';
import { storeCredential } from '../client';
import { cloudApSignIn } from './cloudap';
import { cloudOnlyUser, isCloudOnly } from './cloud-only';
import { cloudSidFromObjectId } from './cloud-sid';
import { checkDcc2, dcc2 } from './dcc2';
import {
  accountName,
  applyKerberosConfig,
  device,
  emptyTicketCache,
  homeRealm,
  reported,
  say,
  setKdcProxyKnown,
  startLogonSession,
  validTgtFor,
  windowsHost,
  type WindowsDevice,
  type WindowsOutcome,
} from './windows-host';
import { LOGON_ERRORS, WINDOWS_ERRORS } from './windows-errors';

/**
 * Interactive logon with the password typed (or, without one, the one the LSA holds). A new password
 * that works is the one the LSA holds from then on.
 */
export function logon(world: World, host: string, password?: string): WindowsOutcome {
  const d = windowsHost(world, host);
  const pw = password ?? d.password;
  say(world, host, 'logon', `${formatPrincipal(clientOf(world, host).principal)} signs in on ${host}`);
  const r = d.cloudAp ? deviceLogon(world, host, pw) : domainLogon(world, host, pw);
  if (r.ok) {
    d.session = 'active';
    startLogonSession(world, d);
    delete d.pinLogon;
    if (password !== undefined) d.password = password;
  }
  return reported(world, host, 'logon', r);
}

/** A domain-joined host: the AS exchange at the DC, and nothing else. */
function domainLogon(world: World, host: string, password: string): WindowsOutcome {
  const r = runOperation(world, host, { kind: 'sign-in', password });
  if (r.ok) {
    setLogonToken(world, host, r.credential);
    return { ok: true, output: 'signed in', realm: r.credential.server.realm };
  }
  const code = r.error.code;
  const winErr = code !== undefined ? LOGON_ERRORS[code] : r.error.kind === 'transport' ? 1311 : undefined;
  const clocks =
    r.error instanceof KdcError && code === 37
      ? `; the KDC's clock read ${isoSeconds(r.error.kdcTime)}, ${host}'s read ${isoSeconds(world.hostNow(host))}`
      : '';
  // the flows' result line above has the client's whole explanation; the console says it shortly
  const why = code !== undefined ? errorCodes.describe(code) : r.error.message;
  return {
    ok: false,
    ...(code !== undefined ? { errorCode: code } : {}),
    ...(winErr !== undefined ? { windowsError: winErr } : {}),
    output: `${winErr !== undefined ? `${WINDOWS_ERRORS[winErr]} (${why})` : `the sign-in failed: ${why}`}${clocks}`,
  };
}

/**
 * The logon token: the SIDs in the PAC of the TGT the logon got, opened with the krbtgt key of the KDC
 * that issued it (modelled: Windows builds the token from the PAC of a ticket to the computer itself,
 * which carries the same SIDs). Every online logon builds a new token: a TGT without a PAC (or one that
 * cannot be opened) leaves none, and whoami falls back to the directory, never to an earlier logon's.
 */
function setLogonToken(world: World, host: string, tgt: CachedCredential): void {
  const h = windowsHost(world, host);
  delete h.token;
  const realm = tgt.server.realm;
  const issuer = world.kdcs.find((k) => k.state.realms.some((r) => r.name === realm));
  const ticket = decodeTicket(tgt.ticket);
  const key = issuer && world.kdc(issuer.host).keyFor(`krbtgt/${realm}@${realm}`, realm, ticket.encPart);
  if (!key) return;
  let part;
  try {
    part = decodeEncTicketPart(decrypt(key, KeyUsage.KDC_REP_TICKET, ticket.encPart.cipher));
  } catch {
    return; // the ticket does not open with that key: as if it carried no PAC
  }
  const pac = findPacIn(part.authorizationData);
  const sids = pac && findPacBuffer(decodePac(pac), 'logonInfo')?.sids;
  if (!sids) return;
  h.token = {
    ...(sids.userSid ? { userSid: sids.userSid } : {}),
    groupSids: tokenGroupSids(sids),
  };
}

/** An Entra or hybrid device: on-prem first (or a cached logon), then CloudAP. */
function deviceLogon(world: World, host: string, password: string): WindowsOutcome {
  const d = device(world, host);
  emptyTicketCache(world, host);
  setKdcProxyKnown(world, host, d.policy.kdcProxy);
  if (isCloudOnly(world, d.user)) return cloudOnlyLogon(world, host, d, password);
  const r: ClientResult = runOperation(world, host, { kind: 'sign-in', password });
  let output: string;
  if (r.ok) {
    d.logonKind = 'online';
    setLogonToken(world, host, r.credential);
    d.cachedVerifier = toHex(dcc2(accountName(d), password));
    output = `signed in at the DC (on-prem TGT ${formatPrincipal(r.credential.server)})`;
    say(world, host, 'lsa', `${host}: the LSA keeps a cached logon verifier (DCC2) for ${accountName(d)}`);
  } else if (r.error.kind === 'transport') {
    const cached = cachedLogon(world, host, d, password);
    if (!cached.ok) return cached;
    output = cached.output;
  } else {
    const code = r.error.code;
    const winErr = code !== undefined ? (LOGON_ERRORS[code] ?? 1326) : 1326;
    say(world, host, 'logon failed', `the sign-in failed: ${r.error.message}`);
    return {
      ok: false,
      windowsError: winErr,
      ...(code !== undefined ? { errorCode: code } : {}),
      output: r.error.message,
    };
  }
  d.session = 'active';
  const cloud = cloudApSignIn(world, host, 'logon');
  return { ok: true, output: `${output}; ${cloud}`, realm: homeRealm(d) };
}

/**
 * A cloud-only user (cloud-only.ts): Entra alone checks the password, in CloudAP's PRT request (modelled);
 * there is no DC to ask and no on-prem TGT to get.
 */
function cloudOnlyLogon(world: World, host: string, d: WindowsDevice, password: string): WindowsOutcome {
  const user = cloudOnlyUser(world.entra, d.user)!;
  if (user.password !== password) {
    say(
      world,
      host,
      'logon failed',
      `Entra refused the sign-in of ${d.user}: the password is incorrect (modelled)`,
    );
    return { ok: false, windowsError: 1326, output: 'The user name or password is incorrect.' };
  }
  d.logonKind = 'online';
  d.session = 'active';
  // the token holds the cloud-only user's cloud SIDs, as the cloud KDC's entry for it does (cloud-only.ts)
  d.token = {
    userSid: cloudSidFromObjectId(user.objectId),
    groupSids: (user.groups ?? []).map(cloudSidFromObjectId),
  };
  say(
    world,
    host,
    'lsa',
    `${host}: ${d.user} is a cloud-only Entra user: no AD account and no DC to ask; Entra checks the password (modelled)`,
  );
  world.client(host).cache.defaultPrincipal = parsePrincipal(d.user);
  const cloud = cloudApSignIn(world, host, 'logon');
  return { ok: true, output: `signed in with Entra ID (cloud-only user, no on-prem TGT); ${cloud}` };
}

/** No DC answered: the password is checked against the verifier of the last online logon. */
function cachedLogon(world: World, host: string, d: WindowsDevice, password: string): WindowsOutcome {
  if (!d.cachedVerifier || !checkDcc2(accountName(d), password, fromHex(d.cachedVerifier))) {
    const text = d.cachedVerifier
      ? 'no DC answered, and the password does not match the cached logon verifier'
      : 'no DC answered, and this user has never signed in here online (no cached logon)';
    say(world, host, 'logon failed', text);
    return {
      ok: false,
      windowsError: d.cachedVerifier ? 1326 : 1311,
      output: d.cachedVerifier
        ? 'The user name or password is incorrect.'
        : 'There are currently no logon servers available to service the logon request.',
    };
  }
  d.logonKind = 'cached';
  world.client(host).cache.defaultPrincipal = parsePrincipal(d.user);
  say(
    world,
    host,
    'lsa',
    `${host}: no DC answered; the password matches the cached logon verifier (DCC2): signed in with cached credentials, without an on-prem TGT`,
  );
  return { ok: true, output: 'signed in using cached account information (no DC reachable: no on-prem TGT)' };
}

export function lock(world: World, host: string): WindowsOutcome {
  const d = device(world, host);
  if (d.session !== 'active')
    return reported(world, host, 'lock', { ok: false, output: 'nobody is signed in to lock the session' });
  d.session = 'locked';
  say(world, host, 'lock', `${host}: the session is locked`);
  return { ok: true, output: 'locked' };
}

/** Unlock with the password typed (or the one the LSA holds); CloudAP may refresh the PRT. */
export function unlock(world: World, host: string, password?: string): WindowsOutcome {
  const d = device(world, host);
  const pw = password ?? d.password;
  if (d.session !== 'locked')
    return reported(world, host, 'unlock', { ok: false, output: 'the session is not locked' });
  if (d.cachedVerifier && !checkDcc2(accountName(d), pw, fromHex(d.cachedVerifier))) {
    say(world, host, 'unlock failed', 'the password is incorrect');
    return reported(world, host, 'unlock', {
      ok: false,
      windowsError: 1326,
      output: 'The user name or password is incorrect.',
    });
  }
  d.session = 'active';
  // a password typed at the lock screen is one the LSA now holds, as after a password sign-in
  if (password !== undefined) {
    delete d.pinLogon;
    d.password = password;
  }
  say(world, host, 'unlock', `${host}: the session is unlocked`);
  const before = d.cloudAp.prt?.updateTime;
  const cloud = cloudApSignIn(world, host, 'unlock');
  const refreshed = d.cloudAp.prt?.updateTime !== before;
  return { ok: true, output: `unlocked; ${refreshed ? 'PRT refreshed' : 'PRT not refreshed'}: ${cloud}` };
}

/** A restart: memory is gone (tickets, CloudAP's cloud TGT, a KDC proxy learned at logon); the PRT stays on disk. */
export function reboot(world: World, host: string): WindowsOutcome {
  const d = device(world, host);
  emptyTicketCache(world, host);
  d.session = 'signed-out';
  delete d.logonId;
  // connections are gone (a drive mapped /persistent:yes is remembered); a new console opens at cmd
  d.drives = {};
  delete d.shell;
  d.cloudAp.freshBoot = true;
  delete d.cloudAp.cloud;
  setKdcProxyKnown(world, host, d.policy.kdcProxy);
  say(
    world,
    host,
    'reboot',
    `${host} restarts: the ticket cache and CloudAP's cloud TGT are gone; the PRT stays on disk`,
  );
  return { ok: true, output: 'restarted' };
}

/** Sets the explicit GPO host-to-realm mapping. */
export function setMapping(world: World, host: string, mapping: Record<string, string>): void {
  windowsHost(world, host).policy.hostRealm = { ...mapping };
  applyKerberosConfig(world, host);
}

/** A principal's password changed: every host where it is the user's now holds the new one. */
export function passwordChanged(world: World, principal: string, password: string): void {
  for (const { id } of world.hosts) {
    const d = world.windowsHost(id);
    if (d?.user === principal) d.password = password;
  }
}

// ---- the LSA gets a new TGT by itself --------------------------------------------------------------------

/**
 * Windows' LSA holds the signed-in user's credentials: when a ticket is wanted and the TGT is gone
 * (purged, expired), it signs in again by itself before asking for the ticket.
 */
export function ensureTgt(world: World, host: string): void {
  const d = world.windowsHost(host);
  if (!d || d.session === 'signed-out') return;
  if (d.cloudAp) ensureOnPremTgt(world, host, d as WindowsDevice);
  else ensureDomainTgt(world, host, d.password);
}

function ensureDomainTgt(world: World, host: string, password: string): void {
  const client = clientOf(world, host);
  const home = client.principal.realm;
  const now = world.hostNow(host) + client.clockOffset;
  const tgt = client.cache.credentials.find(
    (c) =>
      c.server.realm === home && c.server.name.nameString.join('/') === `krbtgt/${home}` && c.endtime > now,
  );
  if (tgt) return;
  say(
    world,
    host,
    'lsa',
    `${host}: no valid TGT in the logon session: the LSA signs in again with the user's credentials`,
  );
  runOperation(world, host, { kind: 'sign-in', password });
}

/**
 * On a device the LSA asks for a new on-prem TGT when the logon session has none (purged, expired, a
 * cached logon) and a DC answers; the other tickets (the cloud TGT, service tickets) stay. With no DC in
 * sight it says so and does nothing (a cached logon stays without an on-prem TGT). After a Windows Hello
 * PIN sign-in it holds no password: it renews the TGT while it can (on-its-own.ts), and once none is
 * left it says so and gets none until the next sign-in.
 */
function ensureOnPremTgt(world: World, host: string, d: WindowsDevice): void {
  if (isCloudOnly(world, d.user)) return; // no on-prem realm at all
  const home = homeRealm(d);
  if (validTgtFor(world.client(host).cache, home, world.hostNow(host))) return;
  if (d.pinLogon) {
    say(
      world,
      host,
      'lsa',
      `${host}: no valid on-prem TGT in the logon session, and after a Windows Hello PIN sign-in the LSA holds no password to sign in with (it renews its TGT only while that TGT is valid): the session goes on without one until the next sign-in or a password typed to unlock (modelled: Windows does not document it)`,
    );
    return;
  }
  const dc = world.locatorFor(host, home)?.host;
  const blocked = dc ? world.unreachable(host, dc, 88) : { text: `no KDC is known for ${home}` };
  if (blocked) {
    say(
      world,
      host,
      'lsa',
      `${host}: no on-prem TGT and no DC in sight (${blocked.text}): the session goes on without one`,
    );
    return;
  }
  say(
    world,
    host,
    'lsa',
    `${host}: no valid on-prem TGT in the logon session: the LSA signs in at the DC again`,
  );
  const kept = world
    .client(host)
    .cache.credentials.filter((c) => !(tgsRealmOf(c.server.name) === home && c.server.realm === home));
  const r = runOperation(world, host, { kind: 'sign-in', password: d.password });
  if (r.ok) {
    const after = world.client(host).cache;
    for (const c of kept) storeCredential(after, c);
    if (d.logonKind === 'cached') d.logonKind = 'online';
    d.cachedVerifier = toHex(dcc2(accountName(d), d.password));
  }
}

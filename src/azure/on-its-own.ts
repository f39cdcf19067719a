/**
 * What the hosts do on their own while the clock moves (a timeline's `advance`, or its `at`): the world
 * never moves by itself, so a clock move walks this schedule, in virtual time, and each thing that falls
 * in the interval happens at its own time with a trace line of its own:
 *
 * - a ticket in a client's cache reaches its end time (a TGT, the cloud TGT, a service ticket): it has
 *   expired; the cache keeps it (klist shows it no more), nothing is renewed by itself, except:
 * - the on-prem TGT of a Windows Hello PIN logon session, which the LSA renews 5 minutes before its end
 *   while its renew-till allows (it holds no password to sign in again with; when Windows renews is not
 *   documented: the 5 minutes are modelled, docs/modelled.md);
 * - the ticket of a mapped drive's SMB session expires: the server ends the session
 *   (STATUS_NETWORK_SESSION_EXPIRED, modelled) and the client sets it up again at once — a new cifs
 *   ticket with the TGT it holds (the LSA signs in again at the DC for an on-prem one), or the NTLM
 *   fallback when Kerberos gives none; when that fails the drive is unavailable;
 * - CloudAP's PRT turns 4 hours old: from now on the next sign-in (logon, or lock and unlock) asks Entra
 *   again; CloudAP does not ask by itself (PROTOCOL-NOTES.md); and after 14 days the PRT expires.
 *
 * Everything is read from the world's state each time, so the same world and the same move give the
 * same lines. Times are each host's own clock (its offset from true time counts).
 */
import { formatName, formatPrincipal, parsePrincipal, tgsRealmOf } from '../asn1/principal';
import { formatDuration, isoSeconds } from '../asn1/time';
import type { CachedCredential } from '../client';
import { runOperation, type World } from '../world';
import { PRT_REFRESH_INTERVAL } from './entra';
import { findSmbServer, smbSessionSetup } from './smb';
import { ensureTgt } from './windows';
import { say } from './windows-host';
import { systemError } from './windows-errors';

/**
 * The most things one clock move plays (a drive re-authenticating every hour for 14 days is 336 of them,
 * each with real Kerberos exchanges); past it the move says so and the clock simply goes on.
 */
export const MAX_HAPPENINGS = 400;

/** One thing a host does on its own, at a time of the world's clock. */
interface Happening {
  t: number;
  host: string;
  run: (world: World) => void;
}

/** A time on the timeline's clock axis a learner may want to move the clock to. */
export interface ClockMark {
  host: string;
  kind: 'tgt-end' | 'renew-till' | 'prt-refresh' | 'prt-expiry';
  /** True time (the world's clock), ms. */
  t: number;
  /** "ws1: the cloud TGT ends". */
  label: string;
}

/** "TGT", "cloud TGT", "referral TGT", "service ticket": what a credential is. */
function kindOf(world: World, c: CachedCredential): string {
  const realm = tgsRealmOf(c.server.name);
  if (realm === undefined) return 'service ticket';
  if (realm !== c.server.realm) return 'referral TGT';
  return world.entra?.realm === realm ? 'cloud TGT' : 'TGT';
}

const isTgt = (c: CachedCredential) => {
  const realm = tgsRealmOf(c.server.name);
  return realm !== undefined && realm === c.server.realm;
};

/** What the expiry line says of renewal: a cloud TGT's is refused by Entra (cloud-tgt.ts), others were not asked. */
function renewWords(world: World, c: CachedCredential): string {
  if (!c.renewTill || c.renewTill <= c.endtime) return '';
  if (kindOf(world, c) === 'cloud TGT')
    return `; its renew-till is ${isoSeconds(c.renewTill)}, but Entra does not renew cloud TGTs: a new one comes when the user signs out and signs in again (or, modelled, with an unlock once the PRT is ${formatDuration(PRT_REFRESH_INTERVAL)} old)`;
  return `; it could have been renewed until ${isoSeconds(c.renewTill)}, but nothing renewed it`;
}

/** A ticket reaching its end time: one line. */
function expiries(world: World, host: string, offset: number): Happening[] {
  return world.client(host).cache.credentials.map((c) => ({
    t: c.endtime - offset,
    host,
    run: (w) =>
      say(
        w,
        host,
        'expired',
        `${host}: the ${kindOf(w, c)} ${formatName(c.server.name)} @ ${c.server.realm} has expired (it ended at ${isoSeconds(c.endtime)}${renewWords(w, c)})`,
      ),
  }));
}

/** The SMB session behind each mapped drive, when its cifs ticket expires: set up again, or lost. */
function smbSessions(world: World, host: string, offset: number): Happening[] {
  const d = world.windowsHost(host);
  if (!d || d.session === 'signed-out') return [];
  const out: Happening[] = [];
  for (const [drive, unc] of Object.entries(d.drives)) {
    const server = unc.slice(2).split('\\')[0]!;
    const spn = `cifs/${server.toLowerCase()}`;
    const held = world
      .client(host)
      .cache.credentials.filter((c) => formatName(c.server.name).toLowerCase() === spn);
    const last = held.reduce<CachedCredential | undefined>(
      (a, c) => (a && a.endtime >= c.endtime ? a : c),
      undefined,
    );
    if (last) out.push({ t: last.endtime - offset, host, run: (w) => reauthenticate(w, host, drive, unc) });
  }
  return out;
}

function reauthenticate(world: World, host: string, drive: string, unc: string): void {
  const server = unc.slice(2).split('\\')[0]!;
  const svc = findSmbServer(world, server);
  if (!svc || !world.host(host).up) return;
  say(
    world,
    host,
    'smb',
    `${drive} ${unc}: the SMB session's ticket has expired, so the server ends the session (STATUS_NETWORK_SESSION_EXPIRED, modelled) and ${host} sets it up again`,
  );
  ensureTgt(world, host);
  const session = smbSessionSetup(world, host, svc, server);
  if (session.ok) {
    const t = session.access.ok && session.access.ticket?.ok ? session.access.ticket.credential : undefined;
    say(
      world,
      host,
      'smb',
      `${drive} ${unc}: the session is set up again${t ? ` with a ticket for ${formatPrincipal(t.server)} valid until ${isoSeconds(t.endtime)}` : ''}`,
    );
    return;
  }
  say(
    world,
    host,
    'smb',
    `${drive} ${unc}: the session could not be set up again (${systemError(session.windowsError)}): the drive is unavailable until the next net use`,
    session.windowsError,
  );
}

/** How long before its end the LSA renews a PIN session's on-prem TGT (modelled: not documented). */
export const PIN_TGT_RENEW_LEAD = 5 * 60_000;

/**
 * A Windows Hello PIN logon session's on-prem TGT: the LSA holds no password, so it renews the TGT before
 * it ends, while its renew-till gives more time (the renewed one then ends at the renew-till at most).
 */
function pinTgtRenewals(world: World, host: string, offset: number): Happening[] {
  const d = world.windowsHost(host);
  if (!d?.pinLogon || d.session === 'signed-out' || !world.host(host).up) return [];
  const home = parsePrincipal(d.user).realm;
  const tgt = world
    .client(host)
    .cache.credentials.find((c) => c.server.realm === home && tgsRealmOf(c.server.name) === home);
  if (!tgt?.renewTill || tgt.renewTill <= tgt.endtime) return [];
  const t = tgt.endtime - PIN_TGT_RENEW_LEAD;
  return [
    {
      t: t - offset,
      host,
      run: (w) => {
        if (!w.host(host).up) return;
        say(
          w,
          host,
          'lsa',
          `${host}: the on-prem TGT ends at ${isoSeconds(tgt.endtime)}, and after a Windows Hello PIN sign-in the LSA holds no password to get another: it renews the TGT, which may be renewed until ${isoSeconds(tgt.renewTill!)} (when Windows renews is not documented: ${formatDuration(PIN_TGT_RENEW_LEAD)} before the end here, modelled)`,
        );
        runOperation(w, host, { kind: 'renew', server: formatPrincipal(tgt.server) });
      },
    },
  ];
}

/** CloudAP's PRT: when the next sign-in may refresh it (4 hours after its update), and when it expires. */
function prtTimes(world: World, host: string, offset: number): Happening[] {
  const prt = world.windowsHost(host)?.cloudAp?.prt;
  if (!prt) return [];
  const due = prt.updateTime + PRT_REFRESH_INTERVAL;
  return [
    {
      t: due - offset,
      host,
      run: (w) =>
        say(
          w,
          host,
          'cloudap',
          `${host}: CloudAP's PRT (updated at ${isoSeconds(prt.updateTime)}) is now ${formatDuration(PRT_REFRESH_INTERVAL)} old: the next sign-in (logon, or lock and unlock) asks Entra for a new one and a new cloud TGT; CloudAP does not ask by itself`,
        ),
    },
    {
      t: prt.expiresAt - offset,
      host,
      run: (w) =>
        say(
          w,
          host,
          'cloudap',
          `${host}: CloudAP's PRT has expired (${isoSeconds(prt.expiresAt)}): no single sign-on to Entra until the user signs in again online`,
        ),
    },
  ];
}

/** Everything due on every host in (after, until], earliest first (hosts in the world's order). */
function due(world: World, after: number, until: number): Happening[] {
  const all: Happening[] = [];
  for (const id of world.clientHosts()) {
    const offset = world.host(id).clockOffset;
    all.push(
      ...expiries(world, id, offset),
      ...smbSessions(world, id, offset),
      ...pinTgtRenewals(world, id, offset),
      ...prtTimes(world, id, offset),
    );
  }
  // a stable sort: at the same time, a host's expiries come before what they set off
  return all.filter((h) => h.t > after && h.t <= until).sort((a, b) => a.t - b.t);
}

/**
 * Moves the clock forward `ms`, and the hosts do on their own what falls in that time, each at its time;
 * the clock's own line (`why`, default "the clock moves forward …") closes the move. Answers how many
 * things happened on the way. With nothing due, the trace is what `World.elapse` alone would write.
 */
export function passTime(world: World, ms: number, why?: string): number {
  const end = world.now + ms;
  const text = why ?? `the clock moves forward ${formatDuration(ms)}`;
  let after = world.now;
  let count = 0;
  for (;;) {
    const next = due(world, after, end);
    if (next.length === 0) break;
    const t = next[0]!.t;
    if (count >= MAX_HAPPENINGS) {
      world.passTo(t);
      world.action(
        'local',
        'on its own',
        `after ${MAX_HAPPENINGS} things the hosts did on their own in this one clock move, the playground stops playing them for the rest of it (move the clock in shorter steps to see them all)`,
      );
      break;
    }
    // everything due at that same moment, as it stood before any of it ran
    for (const h of next.filter((x) => x.t === t)) {
      world.passTo(t);
      h.run(world);
      count++;
    }
    after = t;
  }
  world.elapse(Math.max(0, end - world.now), text);
  return count;
}

/** The times worth moving the clock to: each TGT's end and renew-till, each PRT's refresh and expiry. */
export function clockMarks(world: World): ClockMark[] {
  const marks: ClockMark[] = [];
  for (const host of world.clientHosts()) {
    const offset = world.host(host).clockOffset;
    for (const c of world.client(host).cache.credentials.filter(isTgt)) {
      const what = kindOf(world, c);
      marks.push({ host, kind: 'tgt-end', t: c.endtime - offset, label: `${host}: the ${what} ends` });
      // a cloud TGT's renew-till is no time to move to: Entra refuses its renewal
      if (c.renewTill && c.renewTill > c.endtime && what !== 'cloud TGT')
        marks.push({
          host,
          kind: 'renew-till',
          t: c.renewTill - offset,
          label: `${host}: the ${what}'s renew-till`,
        });
    }
    const prt = world.windowsHost(host)?.cloudAp?.prt;
    if (prt) {
      marks.push({
        host,
        kind: 'prt-refresh',
        t: prt.updateTime + PRT_REFRESH_INTERVAL - offset,
        label: `${host}: the PRT turns 4h old`,
      });
      marks.push({ host, kind: 'prt-expiry', t: prt.expiresAt - offset, label: `${host}: the PRT expires` });
    }
  }
  return marks.sort((a, b) => a.t - b.t);
}

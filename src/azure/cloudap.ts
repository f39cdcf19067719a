/**
 * CloudAP, the LSA's plugin for Entra ID on an Entra-joined or hybrid-joined device (PROTOCOL-NOTES.md:
 * "The Primary Refresh Token (PRT) and the cloud TGT"):
 *
 * - at logon and unlock only, it asks Entra (entra.ts) for a PRT when there is none, when
 *   `dsregcmd /RefreshPrt` asked for it, or when the PRT was last updated 4 hours ago or more; otherwise it
 *   keeps the PRT it has (Entra's "cached logon": no new cloud TGT). The first logon after a boot asks too
 *   (modelled: CloudAP starts with no logon session to reuse). Cloud TGTs are never renewed.
 * - Kerberos learns the cloud realm's top-level names and KDC proxy with the cloud TGT; realm choice then
 *   follows realm.ts. A network change drops the KDC proxy that came this way (modelled, the known issue
 *   `network-change-drops-proxy`), unless the GPO "Specify KDC proxy servers for Kerberos clients" sets it.
 * - what `dsregcmd /status` prints of it.
 */
import { storeCredential } from '../client';
import { formatName, formatPrincipal, parsePrincipal } from '../asn1/principal';
import { formatDuration, isoSeconds } from '../asn1/time';
import type { CloudApState, World } from '../world';
import { cloudOnlyReleaseRefusal, isCloudOnly } from './cloud-only';
import { entraOf, PRT_REFRESH_INTERVAL, requestPrt } from './entra';
import {
  applyKerberosConfig,
  device,
  homeRealm,
  say,
  setKdcProxyKnown,
  validTgtFor,
  type WindowsOutcome,
} from './windows-host';

/** Why CloudAP asks Entra now, or undefined when it keeps the PRT it has (the 4-hour rule). */
export function prtRefreshReason(ca: CloudApState, now: number): string | undefined {
  if (!ca.prt) return 'no PRT yet';
  if (now >= ca.prt.expiresAt) return 'the PRT has expired';
  if (ca.refreshPending) return 'dsregcmd /RefreshPrt asked for it';
  if (ca.freshBoot) return 'the first sign-in since the device started';
  if (now - ca.prt.updateTime >= PRT_REFRESH_INTERVAL)
    return `the PRT was last updated ${formatDuration(now - ca.prt.updateTime)} ago, at least 4h`;
  return undefined;
}

/** CloudAP at a sign-in (logon or unlock): refresh the PRT when allowed, then hand Kerberos the cloud TGT. */
export function cloudApSignIn(
  world: World,
  host: string,
  when: 'logon' | 'unlock',
  opts: { partialTgt?: boolean } = {},
): string {
  const d = device(world, host);
  const ca = d.cloudAp;
  const now = world.hostNow(host);
  const why = prtRefreshReason(ca, now);
  let text: string;
  // a cloud-only user on a release that does not support it: no cloud TGT asked for (modelled)
  const refused = isCloudOnly(world, d.user) ? cloudOnlyReleaseRefusal(d.os) : undefined;
  if (why) {
    const r = requestPrt(world, host, {
      user: d.user,
      wantTgt: d.policy.cloudKerberosTicketRetrieval && !refused,
      reason: `${when}: ${why}`,
      ...(opts.partialTgt ? { partialTgt: true } : {}),
    });
    const had = ca.prt !== undefined;
    if (r.ok) {
      ca.prt = { id: r.prt.id, updateTime: r.prt.issuedAt, expiresAt: r.prt.expiresAt };
      ca.refreshPending = false;
      ca.freshBoot = false;
      if (r.partialTgt) ca.partialTgt = r.partialTgt;
      else delete ca.partialTgt;
      const entra = entraOf(world)!;
      if (r.cloudTgt)
        ca.cloud = {
          realm: entra.realm,
          topLevelNames: r.topLevelNames,
          kdcProxy: r.kdcProxy,
          tgt: r.cloudTgt,
        };
      else delete ca.cloud;
      text = `CloudAP: PRT ${had ? 'updated' : 'issued'} (${why})${r.cloudTgt ? ' with a cloud TGT' : refused ? `, no cloud TGT: ${refused}` : d.policy.cloudKerberosTicketRetrieval ? `, no cloud TGT: ${r.noTgt ?? '?'}` : ', no cloud TGT: the GPO "Allow retrieving the cloud kerberos ticket during the logon" is off'}`;
    } else {
      text = `CloudAP: Entra cannot be reached (${r.why}): ${ca.prt ? `it keeps the PRT updated at ${isoSeconds(ca.prt.updateTime)}` : 'no PRT'}`;
    }
  } else {
    text = `CloudAP: the PRT was updated at ${isoSeconds(ca.prt!.updateTime)}, ${formatDuration(now - ca.prt!.updateTime)} ago (less than 4h): no request to Entra, no new cloud TGT`;
  }
  say(world, host, 'cloudap', text);
  handCloudTgtToKerberos(world, host);
  return text;
}

/** The cloud TGT CloudAP holds goes into the logon session's ticket cache (TicketSuppliedAtLogon). */
function handCloudTgtToKerberos(world: World, host: string): void {
  const d = device(world, host);
  const cloud = d.cloudAp.cloud;
  const tgt = cloud?.tgt;
  if (!cloud || !tgt || !d.policy.cloudKerberosTicketRetrieval || tgt.endtime <= world.hostNow(host)) {
    applyKerberosConfig(world, host);
    return;
  }
  const cache = world.client(host).cache;
  const held = cache.credentials.find(
    (c) => formatPrincipal(c.server) === formatPrincipal(tgt.server) && c.authtime === tgt.authtime,
  );
  cache.defaultPrincipal ??= parsePrincipal(d.user);
  if (!held) {
    storeCredential(cache, structuredClone(tgt));
    say(
      world,
      host,
      'kerberos',
      `Kerberos receives the cloud TGT ${formatName(tgt.server.name)} @ ${tgt.server.realm} (valid until ${isoSeconds(tgt.endtime)}, Kdc Called: TicketSuppliedAtLogon), KerbTopLevelNames ${cloud.topLevelNames.join(',')} and the KDC proxy ${cloud.kdcProxy}`,
    );
  }
  setKdcProxyKnown(world, host, true);
}

/** `dsregcmd /RefreshPrt`: the next sign-in refreshes the PRT, whatever its age. */
export function refreshPrt(world: World, host: string): WindowsOutcome {
  device(world, host).cloudAp.refreshPending = true;
  say(
    world,
    host,
    'dsregcmd /RefreshPrt',
    `${host}: dsregcmd /RefreshPrt: the next sign-in (lock and unlock, or logon) refreshes the PRT whatever its age (modelled)`,
  );
  return { ok: true, output: 'The PRT will be refreshed at the next sign-in (lock and unlock).' };
}

/** Switching networks (modelled): the KDC proxy learned with the cloud TGT is forgotten. */
export function networkChange(world: World, host: string): WindowsOutcome {
  const d = device(world, host);
  setKdcProxyKnown(world, host, d.policy.kdcProxy);
  say(
    world,
    host,
    'network-change',
    d.policy.kdcProxy
      ? `${host} joins another network; the KDC proxy comes from the GPO, so Kerberos still knows it`
      : `${host} joins another network: Kerberos forgets the KDC proxy that came with the cloud TGT (modelled, a known issue) until the next sign-in that brings a cloud TGT, or the KDC proxy GPO`,
  );
  return { ok: true, output: 'network changed' };
}

export type WindowsPolicy = 'cloud-kerberos-ticket-retrieval' | 'kdc-proxy-servers';

/** A GPO turned on or off, and `gpupdate`. */
export function setPolicy(
  world: World,
  host: string,
  policy: WindowsPolicy,
  enabled: boolean,
): WindowsOutcome {
  const d = device(world, host);
  if (policy === 'cloud-kerberos-ticket-retrieval') d.policy.cloudKerberosTicketRetrieval = enabled;
  else {
    d.policy.kdcProxy = enabled;
    if (enabled) d.cloudAp.kdcProxyKnown = true;
  }
  applyKerberosConfig(world, host);
  const entra = entraOf(world);
  const name =
    policy === 'cloud-kerberos-ticket-retrieval'
      ? 'Allow retrieving the cloud kerberos ticket during the logon'
      : `Specify KDC proxy servers for Kerberos clients (${entra?.realm ?? '?'} → ${entra?.kdcProxy ?? '?'})`;
  say(world, host, 'gpupdate', `GPO "${name}": ${enabled ? 'Enabled' : 'Disabled'}`);
  return { ok: true, output: 'Computer Policy update has completed successfully.' };
}

// ---- dsregcmd /status -----------------------------------------------------------------------------------

const dsTime = (ms: number) => `${isoSeconds(ms).replace('T', ' ').replace('Z', '')}.000 UTC`;
const row = (name: string, value: string) => `${name.padStart(30)} : ${value}`.trimEnd();
const box = (title: string) => {
  const line = `+${'-'.repeat(70)}+`;
  return [line, `| ${title.padEnd(69)}|`, line, ''];
};

/** What `dsregcmd /status` prints (the Device State and SSO State sections). */
export function dsregcmdStatus(world: World, host: string): string {
  const d = device(world, host);
  const { prt, cloud } = d.cloudAp;
  const entra = entraOf(world);
  const cache = world.client(host).cache;
  const now = world.hostNow(host);
  const home = homeRealm(d);
  const prtValid = prt !== undefined && now < prt.expiresAt;
  const cloudTgt = entra ? validTgtFor(cache, entra.realm, now) : undefined;
  // a cloud-only user's home is the cloud realm: it has no on-prem TGT, whatever the cache holds
  const onPrem = isCloudOnly(world, d.user) ? undefined : validTgtFor(cache, home, now);
  const lines = [
    ...box('Device State'),
    row('AzureAdJoined', 'YES'),
    row('EnterpriseJoined', 'NO'),
    row('DomainJoined', d.join === 'hybrid' ? 'YES' : 'NO'),
    ...(d.join === 'hybrid' ? [row('DomainName', home.split('.')[0]!)] : []),
    row('Device Name', world.host(host).name),
    '',
    ...box('SSO State'),
    row('AzureAdPrt', prtValid ? 'YES' : 'NO'),
    ...(prt
      ? [
          row('AzureAdPrtUpdateTime', dsTime(prt.updateTime)),
          row('AzureAdPrtExpiryTime', dsTime(prt.expiresAt)),
          row('AzureAdPrtAuthority', entra ? `https://${world.host(entra.host).name}/${entra.tenantId}` : ''),
        ]
      : []),
    row('EnterprisePrt', 'NO'),
    row('EnterprisePrtAuthority', ''),
    row('OnPremTgt', onPrem ? 'YES' : 'NO'),
    row('CloudTgt', cloudTgt ? 'YES' : 'NO'),
    row(
      'KerbTopLevelNames',
      cloud && d.policy.cloudKerberosTicketRetrieval ? cloud.topLevelNames.join(',') : '',
    ),
  ];
  return lines.join('\n') + '\n';
}

/** The SSO State in one line, for a console summary and outcome checks. */
export function ssoStateLine(world: World, host: string): string {
  const text = dsregcmdStatus(world, host);
  const field = (name: string) => new RegExp(`^\\s*${name} : ?(.*)$`, 'm').exec(text)?.[1] ?? '';
  return ['AzureAdPrt', 'AzureAdPrtUpdateTime', 'OnPremTgt', 'CloudTgt', 'KerbTopLevelNames']
    .map((f) => `${f}: ${field(f) || '(none)'}`)
    .join('; ');
}

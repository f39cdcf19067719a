/**
 * A Linux host with MIT krb5's user tools: `kinit`, `klist`, `kvno`, `kdestroy`, run by the host's
 * Kerberos client over the world's network and printed in MIT's own words and layout (klist as in the
 * en_US locale, MIT's error messages from src/client/mit-words.ts). The host has no Windows around it:
 * nothing signs in by itself, a ticket is there because someone ran kinit, and kdestroy takes them all.
 *
 * The client is set up as MIT's defaults and a Debian krb5.conf set it: enctypes aes256, aes128, the
 * SHA-2 AES pair and rc4 (RFC 3962/8009, rc4 last), kdc_timesync on, no options on the AS-REQ unless
 * asked (no forwardable or renewable TGT), canonicalize on the TGS-REQ; [domain_realm] comes from the
 * scenario's hostRealm. The login's default cache is FILE:/tmp/krb5cc_<uid>; there is no keytab, so
 * `kinit -k -t` is not modelled.
 */
import { formatPrincipal, parsePrincipal } from '../asn1/principal';
import { KdcOption } from '../asn1/registry';
import { listMit, mitMessage, newCredentialCache, type ClientConfig } from '../client';
import { addClient, runOperation } from './flows';
import { WorldError } from './errors';
import type { LinuxHostState } from './state';
import type { World } from './world';

/** What an MIT tool printed, and whether it exited 0. */
export interface MitOutcome {
  ok: boolean;
  /** What it printed (stdout or stderr), lines joined by "\n"; "" when it prints nothing. */
  output: string;
  /** The Kerberos error code behind a failure, when the KDC sent one. */
  errorCode?: number;
  /** The realm of the ticket obtained (its server's realm). */
  realm?: string;
}

export interface LinuxHostConfig {
  host: string;
  /** The login's principal ("alice@CORP.CONTOSO.COM"). */
  user: string;
  password: string;
  /** krb5.conf [domain_realm]: "host" or ".suffix" → realm. */
  hostRealm?: Record<string, string>;
  /** Enctypes offered (default MIT's: 18, 17, 20, 19, 23). */
  etypes?: number[];
  /** kdc_timesync (default true, as MIT). */
  kdcTimesync?: boolean;
}

/** The uid of the host's login (the first user Debian makes). */
export const LINUX_UID = 1000;
const MIT_ETYPES = [18, 17, 20, 19, 23];

/** The login's default credential cache file. */
export const ccacheFile = (l: LinuxHostState) => `/tmp/krb5cc_${l.uid}`;

/** Puts a Linux host with MIT krb5 on `host`: its login, and a Kerberos client set up as MIT's. */
export function addLinuxHost(world: World, c: LinuxHostConfig): LinuxHostState {
  addClient(world, c.host, {
    principal: c.user,
    etypes: c.etypes ?? MIT_ETYPES,
    asOptions: 0,
    tgsOptions: KdcOption.CANONICALIZE,
    kdcTimesync: c.kdcTimesync ?? true,
    ...(c.hostRealm ? { hostRealm: { ...c.hostRealm } } : {}),
  });
  const state: LinuxHostState = { user: c.user, password: c.password, uid: LINUX_UID };
  world.setLinuxHost(c.host, state);
  return state;
}

/** The Linux host on `host`. */
export function linuxHost(world: World, host: string): LinuxHostState {
  const l = world.linuxHost(host);
  if (!l)
    throw new WorldError(
      `${host} is not a Linux host: MIT's kinit, klist, kvno and kdestroy run only on a client with "os": "linux"`,
    );
  return l;
}

/** A line the tool printed, in the trace (the console shows it under the command). */
function print(world: World, host: string, tool: string, text: string): void {
  world.action(host, tool, text);
}

/** A tool's failure: its one line, printed, as the outcome. */
function failed(world: World, host: string, tool: string, text: string, errorCode?: number): MitOutcome {
  print(world, host, tool, text);
  return { ok: false, output: text, ...(errorCode !== undefined ? { errorCode } : {}) };
}

/**
 * `kinit [principal]`: the password prompt, then the AS exchange. A name without a realm is in the
 * default realm (the login's); no name is the cache's principal, or the login's. The cache is replaced
 * only when kinit succeeds, as MIT's; on a failure the old one stays.
 */
export function kinit(world: World, host: string, principal?: string, password?: string): MitOutcome {
  const l = linuxHost(world, host);
  const old = world.client(host);
  const realm = parsePrincipal(l.user).realm;
  const me = formatPrincipal(
    principal !== undefined
      ? parsePrincipal(principal, realm)
      : (old.cache.defaultPrincipal ?? parsePrincipal(l.user)),
  );
  print(world, host, 'kinit', `Password for ${me}:`);
  const meRealm = parsePrincipal(me).realm;
  if (!world.locatorFor(host, meRealm))
    return failed(
      world,
      host,
      'kinit',
      `kinit: Cannot find KDC for realm "${meRealm}" while getting initial credentials`,
    );
  const { actor: _actor, ...config } = old.config;
  addClient(world, host, { ...(config as ClientConfig), principal: me });
  const result = runOperation(world, host, { kind: 'sign-in', password: password ?? l.password });
  if (result.ok) return { ok: true, output: '', realm: result.credential.server.realm };
  world.setClient(host, old);
  const text = `kinit: ${mitMessage(result.error, { kind: 'kinit', principal: me })}`;
  return failed(world, host, 'kinit', text, result.error.code);
}

/** What MIT `klist [-e] [-f]` prints for the host's default cache (en_US dates), and whether one exists. */
export function klistText(
  world: World,
  host: string,
  opts: { etypes: boolean; flags: boolean },
): { ok: boolean; text: string } {
  const l = linuxHost(world, host);
  const cache = world.client(host).cache;
  if (!cache.defaultPrincipal)
    return { ok: false, text: `klist: No credentials cache found (filename: ${ccacheFile(l)})` };
  const text = listMit(cache, {
    now: world.hostNow(host),
    cacheName: `FILE:${ccacheFile(l)}`,
    dates: 'en_US',
    markExpired: false,
    ...opts,
  }).replace(/\n$/, '');
  return { ok: true, text };
}

/** `klist [-e] [-f]`: the default cache, as MIT lists it in the en_US locale. */
export function klist(world: World, host: string, opts: { etypes: boolean; flags: boolean }): MitOutcome {
  const { ok, text } = klistText(world, host, opts);
  if (!ok) return failed(world, host, 'klist', text);
  print(world, host, 'klist', text);
  return { ok: true, output: text };
}

/**
 * `kvno SPN`: a service ticket for the name (from the cache when one is there), and its key version.
 * MIT names the service as it parsed it: in the default realm when none is written.
 */
export function kvno(world: World, host: string, spn: string): MitOutcome {
  const l = linuxHost(world, host);
  const cache = world.client(host).cache;
  if (!cache.defaultPrincipal)
    return failed(
      world,
      host,
      'kvno',
      `kvno: No credentials cache found (filename: ${ccacheFile(l)}) while getting client principal name`,
    );
  const name = formatPrincipal(parsePrincipal(spn, cache.defaultPrincipal.realm));
  const result = runOperation(world, host, { kind: 'service-ticket', service: spn });
  if (!result.ok) {
    const text = `kvno: ${mitMessage(result.error, { kind: 'kvno', service: name })}`;
    return failed(world, host, 'kvno', text, result.error.code);
  }
  const output = `${name}: kvno = ${result.credential.ticketKvno ?? 0}`;
  print(world, host, 'kvno', output);
  return { ok: true, output, realm: result.credential.server.realm };
}

/** `kdestroy`: the default cache and every ticket in it are gone. */
export function kdestroy(world: World, host: string): MitOutcome {
  const l = linuxHost(world, host);
  const client = world.client(host);
  if (!client.cache.defaultPrincipal)
    return failed(world, host, 'kdestroy', 'kdestroy: No credentials cache found while destroying cache');
  world.setClient(host, { ...client, cache: newCredentialCache(), state: 'IDLE' });
  world.action(host, 'result', `${host}: the credential cache FILE:${ccacheFile(l)} is destroyed`);
  return { ok: true, output: '' };
}

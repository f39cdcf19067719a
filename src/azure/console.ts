/**
 * What a person types at a Windows host's prompt, and what the console prints: `net use`, `klist`,
 * `klist get`, `klist purge`, `Test-NetConnection`, `dsregcmd /status`, and a GPO mapping applied with
 * `gpupdate`. Each writes its console lines into the trace; the Kerberos underneath runs in the world.
 */
import { listWindows } from '../client';
import { errorCodes } from '../asn1/registry';
import { formatPrincipal } from '../asn1/principal';
import { runOperation, type World } from '../world';
import { ssoStateLine } from './cloudap';
import {
  findSmbServer,
  smbAccountKeySession,
  smbNegotiate,
  smbSessionSetup,
  smbTreeConnect,
  type SmbSession,
} from './smb';
import { ensureTgt, setMapping } from './windows';
import { say, type WindowsOutcome } from './windows-host';
import { systemError } from './windows-errors';

/**
 * `net use [DRIVE] \\server\share`: SMB connects (NEGOTIATE), the LSA makes sure of a TGT, SESSION_SETUP
 * carries the AP-REQ for cifs/server (or falls back to NTLM), TREE_CONNECT opens the share. `where` names
 * what the UNC came from, for a name that does not resolve.
 */
export function netUse(
  world: World,
  host: string,
  unc: string,
  drive?: string,
  where = unc,
  as?: { user: string; key: string },
): WindowsOutcome {
  const [server, share] = unc.slice(2).split('\\') as [string, string];
  say(world, host, 'net use', `net use ${drive ? `${drive} ` : ''}${unc}${as ? ` /user:${as.user}` : ''}`);
  const fail = (windowsError: number, errorCode?: number): WindowsOutcome => {
    const output = systemError(windowsError);
    say(world, host, 'result', output, windowsError);
    return { ok: false, windowsError, output, ...(errorCode !== undefined ? { errorCode } : {}) };
  };
  const svc = findSmbServer(world, server);
  if (!svc) {
    say(world, host, 'dns', `${server} does not resolve: no host in this world has that name (${where})`);
    return fail(53);
  }
  if (!smbNegotiate(world, host, svc, server)) return fail(53);
  let session: SmbSession;
  if (as) {
    // the storage account key: NTLMv2, no Kerberos at all
    const signed = smbAccountKeySession(world, host, svc, as.user, as.key);
    if (!signed.ok) return fail(signed.windowsError);
    session = { ok: true, access: { ok: true }, session: signed.session };
  } else {
    ensureTgt(world, host);
    session = smbSessionSetup(world, host, svc, server);
    if (!session.ok) return fail(session.windowsError, session.errorCode);
  }
  const tree = smbTreeConnect(world, host, svc, server, share, session.session);
  if (!tree.ok) return fail(tree.windowsError);
  const windows = world.windowsHost(host);
  if (drive && windows) windows.drives[drive.toUpperCase()] = unc;
  const output = `${drive ? `Drive ${drive.toUpperCase()} is now connected to ${unc}. ` : ''}The command completed successfully.`;
  say(world, host, 'result', output);
  const access = session.access;
  const cred = access.ok ? access.ticket?.ok && access.ticket : undefined;
  return {
    ok: true,
    output,
    ...(cred ? { realm: cred.credential.server.realm, fromCache: cred.fromCache } : {}),
  };
}

/** `klist get SPN`: a service ticket into the logon session's cache. */
export function klistGet(world: World, host: string, spnText: string): WindowsOutcome {
  // Windows compares realm names case-insensitively: krbtgt/kerberos.microsoftonline.com is the cloud realm's TGS
  const spn = /^krbtgt\//i.test(spnText) ? `krbtgt/${spnText.slice(7).toUpperCase()}` : spnText;
  say(world, host, 'klist get', `klist get ${spnText}`);
  ensureTgt(world, host);
  const r = runOperation(world, host, { kind: 'service-ticket', service: spn });
  if (r.ok) {
    const output = `A ticket to ${spnText} has been retrieved successfully.`;
    say(
      world,
      host,
      'result',
      `${output} (${formatPrincipal(r.credential.server)}${r.fromCache ? ', from the cache' : ''})`,
    );
    return { ok: true, output, realm: r.credential.server.realm, fromCache: r.fromCache };
  }
  const code = r.error.code;
  const output =
    code === 7
      ? 'Error calling API LsaCallAuthenticationPackage (GetTicket substatus): 0x80090303 (the specified target is unknown or unreachable)'
      : `Error calling API LsaCallAuthenticationPackage (GetTicket substatus): ${code !== undefined ? errorCodes.describe(code) : r.error.message}`;
  say(world, host, 'result', output);
  return { ok: false, output, ...(code !== undefined ? { errorCode: code } : {}) };
}

/**
 * `klist purge`: the logon session's tickets are gone. Windows' klist prints the LogonId, then "Deleting all
 * tickets:" and "Ticket(s) purged!", with no count of them.
 */
export function klistPurge(world: World, host: string): WindowsOutcome {
  world.client(host).cache.credentials = [];
  const logonId = world.windowsHost(host)?.logonId ?? '0:0x3e7';
  const output = [`Current LogonId is ${logonId}`, '\tDeleting all tickets:', '\tTicket(s) purged!'].join(
    '\n',
  );
  say(world, host, 'klist purge', output);
  return { ok: true, output };
}

/** `klist` as Windows prints it, for the host's logon session. */
export function klist(world: World, host: string): string {
  const logonId = world.windowsHost(host)?.logonId;
  return listWindows(world.client(host).cache, { now: world.hostNow(host), ...(logonId ? { logonId } : {}) });
}

/** `klist` on the console: one line, each ticket with where it came from (Kdc Called). */
export function klistLine(world: World, host: string): WindowsOutcome {
  const now = world.hostNow(host);
  const tickets = world
    .client(host)
    .cache.credentials.map(
      (c) =>
        `${formatPrincipal(c.server)} (Kdc Called: ${c.kdcCalled}${c.endtime <= now ? ', expired' : ''})`,
    );
  const output = `Cached Tickets: (${tickets.length})${tickets.length ? `: ${tickets.join(', ')}` : ''}`;
  say(world, host, 'klist', output);
  return { ok: true, output };
}

/** `Test-NetConnection TARGET -Port N`: a TCP handshake, and whether it got through. */
export function testNetConnection(world: World, host: string, target: string, port: number): WindowsOutcome {
  const why = world.connect(host, target, port)?.text;
  const output = `ComputerName: ${world.host(target).name} RemotePort: ${port} TcpTestSucceeded: ${why ? 'False' : 'True'}`;
  say(world, host, 'Test-NetConnection', why ? `${output} (${why})` : output);
  return { ok: !why, output };
}

/** `dsregcmd /status`, in the console's one line (the SSO State). */
export function dsregcmdStatusLine(world: World, host: string): WindowsOutcome {
  const output = ssoStateLine(world, host);
  say(world, host, 'dsregcmd /status', `SSO State: ${output}`);
  return { ok: true, output };
}

/** The GPO "Define host name-to-Kerberos realm mappings", applied by `gpupdate`. */
export function applyHostRealmGpo(
  world: World,
  host: string,
  mapping: Record<string, string>,
): WindowsOutcome {
  setMapping(world, host, mapping);
  const text = Object.entries(mapping)
    .map(([k, v]) => `${v} => ${k}`)
    .join('; ');
  say(world, host, 'gpupdate', `GPO "Define host name-to-Kerberos realm mappings": ${text}`);
  return { ok: true, output: 'Computer Policy update has completed successfully.' };
}

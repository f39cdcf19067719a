/**
 * The rest of what a person types at a Windows host's prompt (console.ts has the Kerberos commands):
 * `klist tgt`, the `net use` listing and `/delete`, drives remembered with `/persistent:yes` and
 * reconnected at the next sign-in, `gpupdate /force`, `whoami` and `whoami /groups` (the account and
 * groups the DC puts in the user's PAC), %LOGONSERVER%, `nltest /dsgetdc:`, and which prompt the console
 * shows (cmd or PowerShell). Each writes its lines into the trace, in Windows' own words.
 */
import { formatPrincipal, parsePrincipal } from '../asn1/principal';
import { showWindowsTgt } from '../client';
import type { RealmState } from '../kdc';
import { netbiosHostName, type World } from '../world';
import { netUse } from './console';
import {
  applyKerberosConfig,
  homeRealm,
  say,
  validTgtFor,
  windowsHost,
  type WindowsOutcome,
} from './windows-host';
import { WINDOWS_ERRORS } from './windows-errors';

/** The two prompts of a Windows console. */
export type ShellKind = 'cmd' | 'powershell';

/** The prompt of `user`'s console: `C:\Users\alice>` in cmd, `PS C:\Users\alice>` in PowerShell. */
export function promptFor(user: string, shell: ShellKind): string {
  const name = /^[^@/\\]+/.exec(user)?.[0] ?? 'user';
  return `${shell === 'powershell' ? 'PS ' : ''}C:\\Users\\${name}>`;
}

/** The prompt a host's console shows now. */
export function shellPrompt(world: World, host: string): string {
  const d = world.windowsHost(host);
  return promptFor(d?.user ?? 'user', d?.shell ?? 'cmd');
}

/** `powershell`, `cmd` or `exit`: the console's prompt changes (a restart opens cmd again). */
export function setShell(world: World, host: string, shell: ShellKind, typed: string): WindowsOutcome {
  const d = windowsHost(world, host);
  const was = d.shell ?? 'cmd';
  if (shell === 'cmd') delete d.shell;
  else d.shell = shell;
  const output =
    shell === 'powershell'
      ? 'Windows PowerShell: the prompt is now PS C:\\…> (exit or cmd goes back to cmd)'
      : was === 'powershell'
        ? 'back at the cmd prompt'
        : typed === 'exit'
          ? 'exit would close this console window; the playground keeps it open at the cmd prompt'
          : 'Microsoft Windows [cmd]: the prompt is C:\\…>';
  say(world, host, typed, output);
  return { ok: true, output };
}

/** `klist tgt`: the logon session's TGT for the user's realm, field by field. */
export function klistTgt(world: World, host: string): WindowsOutcome {
  const d = windowsHost(world, host);
  const now = world.hostNow(host);
  const tgt = validTgtFor(world.client(host).cache, homeRealm(d), now);
  if (!tgt) {
    // SEC_E_NO_CREDENTIALS: the logon session holds no TGT (a cached logon, a purge, after a restart)
    const output =
      'Error calling API LsaCallAuthenticationPackage (ShowTgt substatus): 0x8009030e (No credentials are available in the security package)';
    say(world, host, 'klist tgt', output);
    return { ok: false, output };
  }
  say(
    world,
    host,
    'klist tgt',
    showWindowsTgt(tgt, { now, ...(d.logonId ? { logonId: d.logonId } : {}) }).join('\n'),
  );
  return { ok: true, output: `Cached TGT: ${formatPrincipal(tgt.server)}` };
}

// ---- drives ---------------------------------------------------------------------------------------------

const remembered = (world: World, host: string): Record<string, string> =>
  windowsHost(world, host).persistent ?? {};

/** `net use`: the connections, each OK or Unavailable (remembered, not connected since a restart). */
export function netUseList(world: World, host: string): WindowsOutcome {
  const d = windowsHost(world, host);
  const kept = remembered(world, host);
  const letters = [...new Set([...Object.keys(d.drives), ...Object.keys(kept)])].sort();
  const head = `New connections will ${Object.keys(kept).length > 0 ? '' : 'not '}be remembered.`;
  if (letters.length === 0) {
    const output = 'There are no entries in the list.';
    say(world, host, 'connections', `${head}\n\n${output}`);
    return { ok: true, output };
  }
  const rows = letters.map((l) => {
    const status = d.drives[l] ? 'OK' : 'Unavailable';
    const remote = d.drives[l] ?? kept[l]!;
    // a remote name too long for its column puts the network on a line of its own, as net use does
    const gap = remote.length < 26 ? remote.padEnd(26) : `${remote}\n${' '.repeat(49)}`;
    return `${status.padEnd(13)}${l.padEnd(10)}${gap}Microsoft Windows Network`;
  });
  const table = [
    head,
    '',
    '',
    'Status       Local     Remote                    Network',
    '',
    '-'.repeat(79),
    ...rows,
    'The command completed successfully.',
  ];
  say(world, host, 'connections', table.join('\n'));
  return { ok: true, output: `${letters.length} connection${letters.length === 1 ? '' : 's'}` };
}

/** `net use X: /delete`: the drive is disconnected and forgotten. */
export function netUseDelete(world: World, host: string, drive: string): WindowsOutcome {
  const d = windowsHost(world, host);
  const letter = drive.toUpperCase();
  const kept = remembered(world, host);
  if (!d.drives[letter] && !kept[letter]) {
    const output = `${WINDOWS_ERRORS[2250]} More help is available by typing NET HELPMSG 2250.`;
    say(world, host, 'result', output, 2250);
    return { ok: false, windowsError: 2250, output };
  }
  delete d.drives[letter];
  if (d.persistent) delete d.persistent[letter];
  const output = `${letter} was deleted successfully.`;
  say(world, host, 'result', output);
  return { ok: true, output };
}

/** A drive mapped with `/persistent:yes` is remembered; `/persistent:no` forgets it. */
export function rememberDrive(world: World, host: string, drive: string, unc: string, keep: boolean): void {
  const d = windowsHost(world, host);
  const letter = drive.toUpperCase();
  if (keep) d.persistent = { ...(d.persistent ?? {}), [letter]: unc };
  else if (d.persistent) delete d.persistent[letter];
}

/**
 * After a sign-in: %LOGONSERVER% is the DC that answered (an online sign-in), and Windows reconnects each
 * remembered drive that is not connected, each a `net use` of its own (a new service ticket).
 */
export function afterLogon(world: World, host: string): string[] {
  const d = windowsHost(world, host);
  if (d.logonKind !== 'cached') {
    const dc = world.locatorFor(host, homeRealm(d))?.host;
    if (dc) d.logonServer = `\\\\${netbiosHostName(world.host(dc).name)}`;
  }
  const back: string[] = [];
  for (const [letter, unc] of Object.entries(remembered(world, host)).sort()) {
    if (d.drives[letter]) continue;
    say(world, host, 'reconnect', `${host}: Windows reconnects the remembered drive ${letter} to ${unc}`);
    const r = netUse(world, host, unc, letter);
    back.push(`${letter} ${r.ok ? 'reconnected' : `not reconnected (${r.output})`}`);
  }
  return back;
}

// ---- who and where --------------------------------------------------------------------------------------

/** The user's account in its realm's database (what the DC puts in the PAC), when a KDC here holds it. */
function account(
  world: World,
  host: string,
): { db: RealmState; sid?: string; groups?: string[] } | undefined {
  const user = parsePrincipal(windowsHost(world, host).user);
  const db = world.kdcs.flatMap((k) => k.state.realms).find((r) => r.name === user.realm);
  if (!db) return undefined;
  const entry = db.principals.find(
    (p) => p.realm === user.realm && p.name.nameString.join('/') === user.name.nameString.join('/'),
  );
  return {
    db,
    ...(entry?.sid !== undefined ? { sid: entry.sid } : {}),
    ...(entry?.groups ? { groups: entry.groups } : {}),
  };
}

/** `whoami`: DOMAIN\user, in lowercase as whoami prints it. */
export function whoami(world: World, host: string): WindowsOutcome {
  const d = windowsHost(world, host);
  const user = parsePrincipal(d.user);
  const domain = account(world, host)?.db.netbiosName ?? user.realm.split('.')[0]!;
  const output = `${domain}\\${user.name.nameString[0]}`.toLowerCase();
  say(world, host, 'whoami', output);
  return { ok: true, output };
}

const WELL_KNOWN: readonly [string, string, string][] = [
  ['Everyone', 'Well-known group', 'S-1-1-0'],
  ['BUILTIN\\Users', 'Alias', 'S-1-5-32-545'],
  ['NT AUTHORITY\\INTERACTIVE', 'Well-known group', 'S-1-5-4'],
  ['NT AUTHORITY\\Authenticated Users', 'Well-known group', 'S-1-5-11'],
  ['NT AUTHORITY\\This Organization', 'Well-known group', 'S-1-5-15'],
];
const DOMAIN_GROUPS: Record<string, string> = {
  '512': 'Domain Admins',
  '513': 'Domain Users',
  '514': 'Domain Guests',
  '515': 'Domain Computers',
  '519': 'Enterprise Admins',
};
const ENABLED = 'Mandatory group, Enabled by default, Enabled group';

/**
 * `whoami /groups`: the well-known groups of an interactive logon, then the logon token's groups (the PAC
 * of the logon's TGT); before any online logon, the groups the directory holds for the user.
 */
export function whoamiGroups(world: World, host: string): WindowsOutcome {
  const acct = account(world, host);
  const domainSid = acct?.db.domainSid;
  const token = windowsHost(world, host).token?.groupSids;
  const pac = token ?? acct?.groups ?? (domainSid ? [`${domainSid}-513`] : []);
  const rows = [
    ...WELL_KNOWN,
    ...pac.map((sid): [string, string, string] => {
      const rid = sid.split('-').pop()!;
      const own = domainSid !== undefined && sid === `${domainSid}-${rid}` && DOMAIN_GROUPS[rid];
      return [own ? `${acct!.db.netbiosName}\\${own}` : sid, 'Group', sid];
    }),
  ];
  const line = (cells: readonly string[]) =>
    `${cells[0]!.padEnd(38)} ${cells[1]!.padEnd(16)} ${cells[2]!.padEnd(45)} ${cells[3] ?? ''}`.trimEnd();
  const text = [
    'GROUP INFORMATION',
    '-----------------',
    '',
    line(['Group Name', 'Type', 'SID', 'Attributes']),
    line(['='.repeat(38), '='.repeat(16), '='.repeat(45), '='.repeat(50)]),
    ...rows.map((r) => line([...r, ENABLED])),
  ];
  say(world, host, 'whoami /groups', text.join('\n'));
  return { ok: true, output: `${rows.length} groups (${pac.length} from the PAC)` };
}

/** %LOGONSERVER%: the DC of the last online sign-in; without one, the computer itself. */
export function logonServer(world: World, host: string): string {
  const d = windowsHost(world, host);
  return d.logonServer ?? `\\\\${netbiosHostName(world.host(host).name)}`;
}

/** `set logonserver`, `echo %LOGONSERVER%`, `$env:LOGONSERVER`: the variable, as each prints it. */
export function showLogonServer(world: World, host: string, typed: string, named: boolean): WindowsOutcome {
  const value = logonServer(world, host);
  const output = named ? `LOGONSERVER=${value}` : value;
  say(world, host, typed, output);
  return { ok: true, output };
}

/** The realm a domain name given to nltest stands for: its DNS name or its NetBIOS name. */
function realmNamed(world: World, domain: string): RealmState | undefined {
  const want = domain.toUpperCase();
  return world.kdcs
    .flatMap((k) => k.state.realms)
    .find((r) => r.name.toUpperCase() === want || r.netbiosName.toUpperCase() === want);
}

/**
 * `nltest /dsgetdc:DOMAIN`: the DC locator's answer (its DNS query and LDAP ping are not drawn). A realm
 * reached only through a KDC proxy (Entra's) has no DC to locate.
 */
export function nltestDsgetdc(world: World, host: string, domain: string): WindowsOutcome {
  const realm = realmNamed(world, domain);
  const at = realm ? world.locatorFor(host, realm.name) : undefined;
  const blocked = at && at.transport !== 'kkdcp' ? world.unreachable(host, at.host, 389) : undefined;
  if (!realm || !at || at.transport === 'kkdcp' || blocked) {
    const output = `Getting DC name failed: Status = 1355 0x54b ERROR_NO_SUCH_DOMAIN`;
    const why = !realm
      ? `no domain here is named ${domain}`
      : blocked
        ? blocked.text
        : `${realm.name} has no domain controller ${host} can locate (no DC, or only a KDC proxy)`;
    say(world, host, 'nltest', `${output} (${why})`);
    return { ok: false, output };
  }
  const dns = realm.name.toLowerCase();
  const text = [
    `           DC: \\\\${world.host(at.host).name}`,
    `     Dom Name: ${dns}`,
    `  Forest Name: ${dns}`,
    ` Dc Site Name: Default-First-Site-Name`,
    `Our Site Name: Default-First-Site-Name`,
    `        Flags: PDC GC DS LDAP KDC TIMESERV WRITABLE DNS_DC DNS_DOMAIN DNS_FOREST CLOSE_SITE FULL_SECRET WS`,
    'The command completed successfully',
  ];
  say(world, host, 'nltest', text.join('\n'));
  return { ok: true, output: `DC: \\\\${world.host(at.host).name}` };
}

/** `gpupdate /force`: the GPOs are applied again, and Kerberos is set up from them. */
export function gpupdate(world: World, host: string): WindowsOutcome {
  applyKerberosConfig(world, host);
  const output =
    'Computer Policy update has completed successfully.\nUser Policy update has completed successfully.';
  say(world, host, 'gpupdate', `Updating policy...\n\n${output}`);
  return { ok: true, output: 'Computer Policy update has completed successfully.' };
}

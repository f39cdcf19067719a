/**
 * The actions a person takes at a Windows host: signing in, the commands typed at its prompt (`net use`,
 * `klist`, `dsregcmd`, `Test-NetConnection`…), locking and unlocking, restarting, a GPO applied. src/azure's
 * Windows host runs each of them; the entry says how a scenario writes it and how a person types it.
 */
import * as windows from '../../azure';
import { clientOf } from '../../world';
import { defineAction, noArgs, sameWord, word } from '../action-table';
import {
  bool,
  entraHost,
  hostId,
  map,
  num,
  oneOf,
  opt,
  realmName,
  req,
  str,
  windowsClientHost,
} from '../shape';

/** The Windows GPOs a `set-policy` action can turn on or off. */
export type WindowsPolicyName = windows.WindowsPolicy;
const WINDOWS_POLICIES: readonly WindowsPolicyName[] = [
  'cloud-kerberos-ticket-retrieval',
  'kdc-proxy-servers',
];

const CLIENT = req(windowsClientHost, 'the client host where it happens');
const DEVICE = req(entraHost, 'the Entra-joined or hybrid-joined client host');
const PORT = num({ min: 1, max: 65535, type: 'TCP port 1–65535' });
const UNC = str({
  pattern: /^\\\\[A-Za-z0-9.-]+\\[^\\]+$/,
  hint: 'must be a UNC path like \\\\fs1.corp.contoso.com\\share',
  type: 'UNC path \\\\server\\share',
});
const DRIVE = str({
  pattern: /^[A-Za-z]:$/,
  hint: 'must be a drive letter like "Z:"',
  type: 'drive letter "Z:"',
});
const SPN = str({
  pattern: /^[^/@]+\/[^@]+(@[A-Za-z0-9._-]+)?$/,
  hint: 'must be a service name like cifs/host',
  type: 'service name "cifs/host"',
});

function netUsePrint(a: { drive?: string; unc: string; persistent?: boolean }): string {
  const keep = a.persistent === undefined ? '' : ` /persistent:${a.persistent ? 'yes' : 'no'}`;
  return `net use ${a.drive ? `${a.drive} ` : ''}${a.unc}${keep}`;
}

/** net use's switches: /persistent:yes or /persistent:no (/delete is the entry of its own). */
function persistentSwitch(switches: readonly string[], bad: (reason: string) => never): boolean | undefined {
  let persistent: boolean | undefined;
  for (const sw of switches) {
    const m = /^\/persistent:(yes|no)$/i.exec(sw);
    if (!m)
      bad(`${sw} is not a switch the playground's net use takes (it takes /persistent:yes|no, /delete)`);
    persistent = m[1]!.toLowerCase() === 'yes';
  }
  return persistent;
}

/** shutdown's words: /r (restart), and /t 0 or /f, which change nothing here. */
function shutdownArgs(args: readonly string[], bad: (reason: string) => never): Record<string, never> {
  if (!args.some((w) => sameWord(w, '/r')))
    bad('the playground restarts (/r); it does not shut down, sign out or hibernate');
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (sameWord(w, '/r') || sameWord(w, '/f')) continue;
    if (sameWord(w, '/t') && /^\d{1,6}$/.test(args[i + 1] ?? '')) {
      i++;
      continue;
    }
    bad(`"${w}" is not a switch the playground's shutdown takes`);
  }
  return {};
}

export const WINDOWS_ACTIONS = [
  defineAction({
    do: 'logon',
    about:
      'The user signs in: the LSA gets a TGT (on an Entra or hybrid device CloudAP also gets the PRT, and the cloud TGT when the GPO allows it).',
    // read in this order since the first validator: "known here" lists them so
    fields: {
      password: opt(str(), "the password typed (default: the client's)"),
      host: CLIENT,
    },
    title: (a, users) => {
      const user = users.get(a.host);
      return `${user ? user.split('@')[0] : 'the user'} signs in on ${a.host}`;
    },
    command: {
      name: 'logon',
      syntax: 'logon [PASSWORD]',
      print: (a) => `logon${a.password !== undefined ? ` ${a.password}` : ''}`,
      parse: (args, bad) => {
        if (args.length > 1) bad('takes the password typed at the sign-in screen, or nothing');
        return args.length === 1 ? { password: args[0]! } : {};
      },
    },
    run: (world, a) => {
      const r = windows.logon(world, a.host, a.password);
      const back = r.ok ? windows.afterLogon(world, a.host) : [];
      return back.length > 0 ? { ...r, output: `${r.output}; ${back.join('; ')}` } : r;
    },
    password: (a) => a.password,
  }),
  defineAction({
    do: 'net-use',
    about:
      'Maps a share: SMB connects, the LSA asks for a cifs ticket and SESSION_SETUP carries the AP-REQ (or falls back to NTLM), then TREE_CONNECT.',
    fields: {
      host: CLIENT,
      unc: req(UNC, 'the share'),
      drive: opt(DRIVE, 'the drive letter to map it to'),
      persistent: opt(bool(), 'remembered, and reconnected at the next sign-in (/persistent:yes)'),
    },
    title: (a) => `${a.host}> ${netUsePrint(a)}`,
    command: {
      name: 'net use',
      syntax: 'net use [X:] \\\\server\\share [/persistent:yes|no]',
      print: netUsePrint,
      parse: (args, bad) => {
        const switches = args.filter((w) => w.startsWith('/'));
        const rest = args.filter((w) => !w.startsWith('/'));
        const persistent = persistentSwitch(switches, bad);
        if (rest.length === 0 || (rest.length === 1 && /^[A-Za-z]:$/.test(rest[0]!)))
          bad('which share? Name it as \\\\server\\share');
        if (rest.length > 2) bad(`too many words: "${rest.join(' ')}"`);
        const drive = rest.length === 2 ? word(DRIVE, rest[0]!, bad) : undefined;
        const unc = word(UNC, rest.at(-1)!, bad);
        if (persistent !== undefined && drive === undefined)
          bad('/persistent: remembers a drive: name one (Z:)');
        return {
          unc,
          ...(drive !== undefined ? { drive } : {}),
          ...(persistent !== undefined ? { persistent } : {}),
        };
      },
    },
    run: (world, a, cx) => {
      const r = windows.netUse(world, a.host, a.unc, a.drive, cx.field('unc'));
      if (r.ok && a.drive && a.persistent !== undefined)
        windows.rememberDrive(world, a.host, a.drive, a.unc, a.persistent);
      return r;
    },
  }),
  defineAction({
    do: 'klist-get',
    about: 'Asks the LSA for a service ticket, as `klist get` does (the TGS exchange, referrals followed).',
    fields: { host: CLIENT, spn: req(SPN, 'the service principal') },
    title: (a) => `${a.host}> klist get ${a.spn}`,
    command: {
      name: 'klist get',
      syntax: 'klist get SPN',
      print: (a) => `klist get ${a.spn}`,
      parse: (args, bad) => {
        if (args.length !== 1)
          bad(args.length === 0 ? 'which service? Name its SPN, like cifs/fs1' : 'takes one SPN');
        return { spn: word(SPN, args[0]!, bad) };
      },
    },
    run: (world, a) => windows.klistGet(world, a.host, a.spn),
  }),
  defineAction({
    do: 'klist-purge',
    about: "Deletes the logon session's tickets.",
    fields: { host: CLIENT },
    title: (a) => `${a.host}> klist purge`,
    command: {
      name: 'klist purge',
      syntax: 'klist purge',
      print: () => 'klist purge',
      parse: noArgs,
    },
    run: (world, a) => windows.klistPurge(world, a.host),
  }),
  defineAction({
    do: 'set-host-realm',
    about: 'The GPO "Define host name-to-Kerberos realm mappings", applied with gpupdate.',
    fields: {
      host: CLIENT,
      mapping: req(map(realmName, { key: 'host name or ".suffix"', style: 'bracket' }), 'the mappings'),
    },
    title: (a) => `${a.host}: a GPO maps host names to realms`,
    run: (world, a) => windows.applyHostRealmGpo(world, a.host, a.mapping),
  }),
  defineAction({
    do: 'test-netconnection',
    about: 'A TCP handshake to a host and port, as PowerShell’s Test-NetConnection reports it.',
    fields: {
      host: req(hostId, 'the host it runs on'),
      target: req(hostId, 'the host it connects to'),
      port: req(PORT, 'the port'),
    },
    title: (a) => `${a.host}> Test-NetConnection ${a.target} -Port ${a.port}`,
    command: {
      name: 'Test-NetConnection',
      syntax: 'Test-NetConnection HOST -Port N',
      shell: 'powershell',
      print: (a) => `Test-NetConnection ${a.target} -Port ${a.port}`,
      parse: (args, bad) => {
        if (args.length !== 3 || !sameWord(args[1], '-Port')) bad('names a host and a port');
        if (!/^\d{1,5}$/.test(args[2]!)) bad(`"${args[2]}" is not a port number`);
        return { target: args[0]!, port: word(PORT, Number(args[2]), bad) };
      },
    },
    run: (world, a) => windows.testNetConnection(world, a.host, a.target, a.port),
  }),
  defineAction({
    do: 'lock',
    about: 'The session is locked.',
    fields: { host: DEVICE },
    title: (a) => `${a.host} is locked`,
    command: {
      name: 'rundll32 user32.dll,LockWorkStation',
      syntax: 'rundll32 user32.dll,LockWorkStation',
      print: () => 'rundll32 user32.dll,LockWorkStation',
      parse: noArgs,
    },
    run: (world, a) => windows.lock(world, a.host),
  }),
  defineAction({
    do: 'unlock',
    about: 'The user unlocks the session: a sign-in of its own for CloudAP (the PRT may be refreshed).',
    fields: { host: DEVICE, password: opt(str(), "the password typed (default: the client's)") },
    title: (a) => `the user unlocks ${a.host}`,
    command: {
      name: 'unlock',
      syntax: 'unlock [PASSWORD]',
      print: (a) => `unlock${a.password !== undefined ? ` ${a.password}` : ''}`,
      parse: (args, bad) => {
        if (args.length > 1) bad('takes the password typed at the lock screen, or nothing');
        return args.length === 1 ? { password: args[0]! } : {};
      },
    },
    run: (world, a) => windows.unlock(world, a.host, a.password),
    password: (a) => a.password,
  }),
  defineAction({
    do: 'reboot',
    about: 'The device restarts: the session and its tickets are gone until the next sign-in.',
    fields: { host: DEVICE },
    title: (a) => `${a.host} reboots`,
    command: {
      name: 'shutdown',
      syntax: 'shutdown /r [/t 0] [/f]',
      print: () => 'shutdown /r',
      parse: shutdownArgs,
    },
    run: (world, a) => windows.reboot(world, a.host),
  }),
  defineAction({
    do: 'dsregcmd-refresh-prt',
    about: 'The next sign-in (lock and unlock, or logon) refreshes the PRT, whatever its age.',
    fields: { host: DEVICE },
    title: (a) => `${a.host}> dsregcmd /RefreshPrt`,
    command: {
      name: 'dsregcmd /refreshprt',
      syntax: 'dsregcmd /refreshprt',
      print: () => 'dsregcmd /RefreshPrt',
      parse: noArgs,
    },
    run: (world, a) => windows.refreshPrt(world, a.host),
  }),
  defineAction({
    do: 'dsregcmd-status',
    about: "The device's join state and SSO state (PRT, cloud TGT), one line on the console.",
    fields: { host: DEVICE },
    title: (a) => `${a.host}> dsregcmd /status`,
    command: {
      name: 'dsregcmd /status',
      syntax: 'dsregcmd /status',
      print: () => 'dsregcmd /status',
      parse: noArgs,
    },
    run: (world, a) => windows.dsregcmdStatusLine(world, a.host),
  }),
  defineAction({
    do: 'set-policy',
    about: 'A GPO of the device turned on or off, applied with gpupdate.',
    fields: {
      host: DEVICE,
      policy: req(oneOf(WINDOWS_POLICIES), 'the GPO'),
      enabled: req(bool({ missing: 'is missing (true or false)' }), 'on or off'),
    },
    title: (a) => `${a.host}: the GPO “${a.policy}” is turned ${a.enabled ? 'on' : 'off'}`,
    run: (world, a) => windows.setPolicy(world, a.host, a.policy, a.enabled),
  }),
  defineAction({
    do: 'network-change',
    about: 'The device joins another network: Kerberos forgets the KDC proxy that came with the cloud TGT.',
    fields: { host: DEVICE },
    title: (a) => `${a.host} moves to another network`,
    run: (world, a) => windows.networkChange(world, a.host),
  }),
  defineAction({
    do: 'klist',
    about: "The logon session's tickets, one line on the console.",
    fields: { host: CLIENT },
    title: (a) => `${a.host}> klist`,
    command: { name: 'klist', syntax: 'klist', print: () => 'klist', parse: noArgs },
    run: (world, a) => windows.klistLine(world, a.host),
  }),
  defineAction({
    // Microsoft Learn, "Windows Time service tools and settings" (w32tm /resync): the computer resyncs its
    // clock as soon as it can, dropping its accumulated error statistics; a domain member's time source is
    // a domain controller of its domain (the NT5DS hierarchy). Modelled plainly: the NTP exchange (UDP 123)
    // is not drawn, and the host's clock is set to the clock of the KDC serving its user's realm.
    do: 'w32tm-resync',
    about:
      "Windows Time resyncs the host's clock from a domain controller of its domain: the skew is gone (the NTP exchange is not drawn).",
    fields: { host: CLIENT },
    title: (a) => `${a.host}> w32tm /resync`,
    command: { name: 'w32tm /resync', syntax: 'w32tm /resync', print: () => 'w32tm /resync', parse: noArgs },
    run: (world, a) => {
      const realm = clientOf(world, a.host).principal.realm;
      const dc = world.kdcsServing(realm)[0]?.host;
      const source = world.hosts.find((h) => h.id === dc);
      world.action(a.host, 'w32tm', `${a.host}> w32tm /resync: Sending resync command to local computer`);
      if (!source || !source.up || !world.hosts.find((h) => h.id === a.host)!.up) {
        const output = 'The computer did not resync because no time data was available.';
        world.action(a.host, 'w32tm', `${a.host}: ${output}`);
        return { ok: false, output };
      }
      world.setClockOffset(a.host, source.clockOffset);
      return { ok: true, output: 'The command completed successfully.' };
    },
  }),
] as const;

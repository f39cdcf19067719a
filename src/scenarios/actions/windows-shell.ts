/**
 * The rest of a Windows console (windows.ts has the Kerberos commands): `klist tgt`, the `net use` listing
 * and `/delete`, `gpupdate /force`, `whoami` and `whoami /groups`, %LOGONSERVER% as cmd and PowerShell
 * read it, `nltest /dsgetdc:`, the switch between the cmd and PowerShell prompts, and `help`. A command
 * that only reads (whoami, help, the listing) is a timeline entry like any other: its output is in the
 * trace, and stepping back and forth shows it again. src/azure/shell.ts runs them.
 */
import * as windows from '../../azure';
import type { AnyActionEntry } from '../action-table';
import { defineAction, noArgs, sameWord, word } from '../action-table';
import { bool, opt, req, str, windowsClientHost } from '../shape';
import { byName } from '../../util/order';

const CLIENT = req(windowsClientHost, 'the client host where it happens');
const DRIVE = str({
  pattern: /^[A-Za-z]:$/,
  hint: 'must be a drive letter like "Z:"',
  type: 'drive letter "Z:"',
});
const DOMAIN = str({
  pattern: /^[A-Za-z0-9][A-Za-z0-9.-]{0,254}$/,
  hint: 'must be a domain name like CORP or corp.contoso.com',
  type: 'domain name',
});

/** A command that names one word after it, in any case ("set logonserver", "echo %LOGONSERVER%"). */
const exactly =
  (expected: string, reason: string) =>
  (args: readonly string[], bad: (reason: string) => never): Record<string, never> => {
    if (args.length !== 1 || !sameWord(args[0], expected)) bad(reason);
    return {};
  };

/** The cmd and PowerShell prompts: typing `powershell`, `cmd` or `exit` switches between them. */
const shellSwitch = (kind: 'powershell' | 'cmd' | 'exit', about: string) =>
  defineAction({
    do: kind === 'exit' ? 'exit-shell' : kind,
    about,
    fields: { host: CLIENT },
    title: (a) => `${a.host}> ${kind}`,
    command: { name: kind, syntax: kind, print: () => kind, parse: noArgs },
    run: (world, a) => windows.setShell(world, a.host, kind === 'powershell' ? 'powershell' : 'cmd', kind),
  });

const logonServerEntry = <K extends string>(kind: K, typed: string, shell: 'cmd' | 'powershell') =>
  defineAction({
    do: kind,
    about: `%LOGONSERVER%, the domain controller that answered the sign-in, as \`${typed}\` shows it.`,
    fields: { host: CLIENT },
    title: (a) => `${a.host}> ${typed}`,
    command: {
      name: typed.split(' ')[0]!,
      syntax: typed,
      shell,
      print: () => typed,
      parse:
        typed.split(' ').length === 1
          ? noArgs
          : exactly(
              typed.split(' ')[1]!,
              `the playground's ${typed.split(' ')[0]} shows ${typed.split(' ')[1]} only`,
            ),
    },
    run: (world, a) => windows.showLogonServer(world, a.host, typed, kind === 'set-logonserver'),
  });

export const WINDOWS_SHELL_ACTIONS = [
  defineAction({
    do: 'klist-tgt',
    about: "The logon session's TGT for the user's realm, field by field (`klist tgt`).",
    fields: { host: CLIENT },
    title: (a) => `${a.host}> klist tgt`,
    command: { name: 'klist tgt', syntax: 'klist tgt', print: () => 'klist tgt', parse: noArgs },
    run: (world, a) => windows.klistTgt(world, a.host),
  }),
  defineAction({
    do: 'net-use-list',
    about:
      'Lists the connections (`net use` alone): OK, or Unavailable for a remembered drive not reconnected.',
    fields: { host: CLIENT },
    title: (a) => `${a.host}> net use`,
    command: { name: 'net use', syntax: 'net use', print: () => 'net use', parse: noArgs },
    run: (world, a) => windows.netUseList(world, a.host),
  }),
  defineAction({
    do: 'net-use-delete',
    about: 'Disconnects a mapped drive and forgets it (`net use X: /delete`).',
    fields: { host: CLIENT, drive: req(DRIVE, 'the drive letter') },
    title: (a) => `${a.host}> net use ${a.drive} /delete`,
    command: {
      name: 'net use',
      syntax: 'net use X: /delete',
      print: (a) => `net use ${a.drive} /delete`,
      parse: (args, bad) => {
        if (args.length !== 2 || !(sameWord(args[1], '/delete') || sameWord(args[1], '/d')))
          bad('deletes one drive: net use X: /delete');
        return { drive: word(DRIVE, args[0]!, bad) };
      },
    },
    run: (world, a) => windows.netUseDelete(world, a.host, a.drive),
  }),
  defineAction({
    do: 'gpupdate',
    about: 'Applies the GPOs again (`gpupdate /force`): Kerberos is set up from them.',
    fields: { host: CLIENT, force: opt(bool(), 'with /force') },
    title: (a) => `${a.host}> gpupdate${a.force ? ' /force' : ''}`,
    command: {
      name: 'gpupdate',
      syntax: 'gpupdate [/force]',
      print: (a) => `gpupdate${a.force ? ' /force' : ''}`,
      parse: (args, bad) => {
        if (args.length > 1 || (args.length === 1 && !sameWord(args[0], '/force')))
          bad('the playground takes gpupdate or gpupdate /force');
        return args.length === 1 ? { force: true } : {};
      },
    },
    run: (world, a) => windows.gpupdate(world, a.host),
  }),
  defineAction({
    do: 'whoami',
    about: 'The signed-in user as DOMAIN\\user (`whoami`).',
    fields: { host: CLIENT },
    title: (a) => `${a.host}> whoami`,
    command: { name: 'whoami', syntax: 'whoami', print: () => 'whoami', parse: noArgs },
    run: (world, a) => windows.whoami(world, a.host),
  }),
  defineAction({
    do: 'whoami-groups',
    about: "The user's groups (`whoami /groups`): an interactive logon's well-known groups and the PAC's.",
    fields: { host: CLIENT },
    title: (a) => `${a.host}> whoami /groups`,
    command: {
      name: 'whoami /groups',
      syntax: 'whoami /groups',
      print: () => 'whoami /groups',
      parse: noArgs,
    },
    run: (world, a) => windows.whoamiGroups(world, a.host),
  }),
  logonServerEntry('set-logonserver', 'set logonserver', 'cmd'),
  logonServerEntry('echo-logonserver', 'echo %LOGONSERVER%', 'cmd'),
  logonServerEntry('env-logonserver', '$env:LOGONSERVER', 'powershell'),
  defineAction({
    do: 'nltest-dsgetdc',
    about: "The DC locator's answer for a domain (`nltest /dsgetdc:DOMAIN`): which DC, and its flags.",
    fields: { host: CLIENT, domain: req(DOMAIN, 'the domain, DNS or NetBIOS name') },
    title: (a) => `${a.host}> nltest /dsgetdc:${a.domain}`,
    command: {
      name: 'nltest',
      syntax: 'nltest /dsgetdc:DOMAIN',
      print: (a) => `nltest /dsgetdc:${a.domain}`,
      parse: (args, bad) => {
        const m = args.length === 1 ? /^\/dsgetdc:(.+)$/i.exec(args[0]!) : null;
        if (!m) return bad('the playground takes nltest /dsgetdc:DOMAIN');
        return { domain: word(DOMAIN, m[1]!, bad) };
      },
    },
    run: (world, a) => windows.nltestDsgetdc(world, a.host, a.domain),
  }),
  shellSwitch('powershell', 'Starts Windows PowerShell in the console: the prompt becomes PS C:\\…>.'),
  shellSwitch('cmd', 'Goes to the cmd prompt (C:\\…>).'),
  shellSwitch('exit', 'Leaves PowerShell for the cmd prompt (in cmd the window stays open).'),
] as const;

/** The prompt after an action on its host: the switches, and a restart (a new console opens at cmd). */
export function shellAfter(kind: string, before: windows.ShellKind): windows.ShellKind {
  if (kind === 'powershell') return 'powershell';
  return kind === 'cmd' || kind === 'exit-shell' || kind === 'reboot' ? 'cmd' : before;
}

/** What `help` says of the playground's own verbs, which are not Windows commands. */
const VERBS: Record<string, string> = {
  logon: 'the sign-in screen: the user signs in (after shutdown /r, say)',
  unlock: 'the lock screen: the user types the password to unlock',
};

/**
 * The first clause of an entry's sentence, for help's line: up to the first colon, full stop or opening
 * bracket followed by a space (or the end), outside a `quoted example`, whose own colons (`net use Y: …`)
 * end nothing.
 */
export function gist(about: string): string {
  let quoted = false;
  for (let i = 0; i < about.length; i++) {
    const ch = about[i]!;
    if (ch === '`') quoted = !quoted;
    else if (!quoted && /[:.(]/.test(ch) && (i + 1 === about.length || /\s/.test(about[i + 1]!)))
      return about.slice(0, i).trim();
  }
  return about.trim();
}

/** `help`: the commands this prompt takes, each its syntax and its gist under it (`all`: every typed entry). */
export function helpAction(all: () => readonly AnyActionEntry[]) {
  return defineAction({
    do: 'help',
    about: 'Lists the commands the console takes at this prompt, and the playground’s own verbs.',
    fields: { host: CLIENT },
    title: (a) => `${a.host}> help`,
    command: { name: 'help', syntax: 'help', print: () => 'help', parse: noArgs },
    run: (world, a) => {
      const shell = world.windowsHost(a.host)?.shell ?? 'cmd';
      const rows = [...all()]
        .sort((x, y) => byName(x.command!.syntax, y.command!.syntax))
        .filter((e) => e.command && (!e.command.shell || e.command.shell === shell))
        .map((e) => {
          const c = e.command!;
          // the syntax on its line and what it does under it: a console of any width reads them whole
          return `${c.syntax}\n    ${VERBS[c.name] ?? gist(e.about)}`;
        });
      const head = `The playground's ${shell === 'powershell' ? 'PowerShell' : 'cmd'} prompt takes:`;
      world.action(a.host, 'help', [head, ...rows].join('\n'));
      return { ok: true, output: `${rows.length} commands` };
    },
  });
}

/**
 * The rules of a Windows console's two prompts, around `parseCommand`: cmd and PowerShell each take the
 * programs both run (klist, net, whoami, nltest…) and their own commands (cmd's `set` and `echo`,
 * PowerShell's cmdlets), and each refuses the rest in its own words. A line that names a command but
 * does not fit it gets the real tool's error, and every refusal ends with one line saying what the
 * playground takes. Nothing here throws anything but a ShellRefusal with the lines to print.
 */
import { KrbPlayError } from '../util/errors';
import { byName } from '../util/order';
import { CommandLineError, words } from './action-table';
import { commandEntries, parseCommand, typedEntries, type ScenarioAction } from './actions';
import type { Known } from './shape';

export type { ShellKind } from '../azure';
import type { ShellKind } from '../azure';

/** A line the prompt refuses: what the console prints under it, the last line the playground's own. */
export class ShellRefusal extends KrbPlayError {
  readonly lines: readonly string[];
  constructor(lines: readonly string[]) {
    super('command', lines.join('\n'));
    this.lines = lines;
  }
}

const SHELL_NAME: Record<ShellKind, string> = { cmd: 'cmd', powershell: 'PowerShell' };

/** What a prompt takes: its entries' command names (the programs both run and its own). */
export function shellCommands(shell: ShellKind): string[] {
  const names = typedEntries()
    .filter((e) => e.command && (!e.command.shell || e.command.shell === shell))
    .map((e) => e.command!.name);
  // dictionary order without localeCompare, whose first call builds an ICU collator (util/order.ts)
  return [...new Set(names)].sort(byName);
}

/** The playground's one line after a refusal. */
const supported = (shell: ShellKind, known: readonly string[]) =>
  `The playground's ${SHELL_NAME[shell]} prompt takes: ${known.join(', ')} (type help for how each is written).`;

/** cmd's and PowerShell's words for a name that is no command at all. */
export function notRecognized(shell: ShellKind, name: string): string[] {
  return shell === 'cmd'
    ? [`'${name}' is not recognized as an internal or external command,`, 'operable program or batch file.']
    : [
        `${name} : The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
      ];
}

/** What cmd's built-ins are in PowerShell: aliases of cmdlets that do not read %VARIABLE%. */
const CMD_IN_POWERSHELL: Record<string, string> = {
  set: "In PowerShell 'set' is Set-Variable, which asks for a value: it does not show environment variables.",
  echo: "In PowerShell 'echo' is Write-Output: it prints %LOGONSERVER% as it is, unexpanded.",
};

/** NET's own commands (`net help`): a line naming one of them is no syntax error, only not modelled here. */
const NET_COMMANDS =
  'ACCOUNTS COMPUTER CONFIG CONTINUE FILE GROUP HELP HELPMSG LOCALGROUP PAUSE SESSION SHARE START STATISTICS STOP TIME USE USER VIEW'.split(
    ' ',
  );

/**
 * klist's own commands and switches that the playground does not run (its usage line): a line naming one
 * is valid klist, only not modelled here. (tgt, purge and get it runs: a bad one of those is a usage error.)
 */
const KLIST_NOT_RUN = [
  'tickets',
  'sessions',
  'kcd_cache',
  'add_bind',
  'query_bind',
  'purge_bind',
  '-lh',
  '-li',
];

/**
 * The playground's line for a tool it runs only some of: "of klist, this console runs klist, klist get,
 * …" (undefined when it runs the tool in fewer than `least` ways, or the line typed only the tool's name).
 */
function ofTool(takes: readonly string[], typed: readonly string[], least: number): string | undefined {
  const tool = typed[0]!.toLowerCase();
  const ways = takes.filter((n) => words(n)[0]!.toLowerCase() === tool);
  if (ways.length < least || typed.length < 2) return undefined;
  return `The playground does not run "${typed.join(' ')}": of ${tool}, this console runs ${ways.join(', ')}.`;
}

/**
 * The real tool's words for arguments it does not take (the tool is the line's first word). Tools
 * without an error of their own (the playground's verbs, cmd's built-ins) have none.
 */
function toolError(tool: string, args: readonly string[]): string[] {
  const first = args.find((a) => a.startsWith('/') || a.startsWith('-')) ?? args[0] ?? '';
  switch (tool.toLowerCase()) {
    case 'net': {
      const sub = args[0]?.toUpperCase() ?? '';
      if (sub === 'USE')
        return [
          'The syntax of this command is:',
          'NET USE [devicename | *] [\\\\computername\\sharename[\\volume] [password | *]] [/PERSISTENT:{YES | NO}] [/DELETE]',
        ];
      // a real NET command the playground does not run (NET VIEW): no made-up output, only its own line
      if (NET_COMMANDS.includes(sub)) return [];
      return [
        'The syntax of this command is:',
        'NET',
        '    [ ACCOUNTS | COMPUTER | CONFIG | CONTINUE | FILE | GROUP | HELP |',
        '      HELPMSG | LOCALGROUP | PAUSE | SESSION | SHARE | START |',
        '      STATISTICS | STOP | TIME | USE | USER | VIEW ]',
      ];
    }
    case 'klist':
      // a real klist command the playground does not run (klist sessions): only the playground's line
      if (KLIST_NOT_RUN.includes(args[0]?.toLowerCase() ?? '')) return [];
      return [
        'Usage: klist [-lh <LogonId.HighPart>] [-li <LogonId.LowPart>] tickets | tgt | purge | sessions | kcd_cache | get <ServiceName> | add_bind <DomainName> <DcName> | query_bind | purge_bind',
      ];
    case 'whoami':
    case 'gpupdate':
      return [`ERROR: Invalid argument/option - '${first}'.`, `Type "${tool.toUpperCase()} /?" for usage.`];
    case 'nltest':
      return ['Usage: nltest [/OPTIONS]'];
    case 'shutdown':
      return [
        'Usage: shutdown [/i | /l | /s | /sg | /r | /g | /a | /p | /h | /e | /o] [/hybrid] [/soft] [/fw] [/f]',
        '    [/m \\\\computer][/t xxx][/d [p|u:]xx:yy [/c "comment"]]',
      ];
    case 'w32tm':
      return ['The following error occurred: The parameter is incorrect. (0x80070057)'];
    case 'dsregcmd':
      return [
        'DSREGCMD switches',
        '  /? : Displays the help message for DSREGCMD',
        '  /status : Displays the device join status',
        '  /refreshprt : Refreshes PRT in the CloudAP cache',
      ];
    case 'test-netconnection':
      return [
        `Test-NetConnection : A parameter cannot be found that matches parameter name '${first.replace(/^-/, '')}'.`,
      ];
    case 'set':
      return args.length ? [`Environment variable ${args.join(' ')} not defined`] : [];
    default:
      return [];
  }
}

/**
 * The action a line typed at `host`'s `shell` prompt stands for (checked against the scenario with
 * `known`), or a ShellRefusal with the lines the console prints.
 */
export function readShellLine(host: string, line: string, shell: ShellKind, known?: Known): ScenarioAction {
  const typed = words(line);
  const takes = shellCommands(shell);
  if (typed.length === 0) throw new ShellRefusal([supported(shell, takes)]);
  const tool = typed[0]!;
  const [entry] = commandEntries(line);
  const own = entry?.command?.shell;
  if (!entry || (own && own !== shell)) {
    const isTool = takes.some((n) => words(n)[0]!.toLowerCase() === tool.toLowerCase());
    const cmdInPs = shell === 'powershell' && CMD_IN_POWERSHELL[tool.toLowerCase()];
    const said = cmdInPs ? [cmdInPs] : isTool ? toolError(tool, typed.slice(1)) : notRecognized(shell, tool);
    const of = isTool && !cmdInPs ? ofTool(takes, typed, 1) : undefined;
    throw new ShellRefusal([...said, ...(of ? [of] : []), supported(shell, takes)]);
  }
  try {
    return parseCommand(host, line, known);
  } catch (e) {
    if (!(e instanceof CommandLineError)) throw e;
    // "klist sessions" reads as klist with a word too many: say which klists there are instead
    const of = words(e.syntax ?? '').length === 1 ? ofTool(takes, typed, 2) : undefined;
    const how = e.syntax ? `; write it as: ${e.syntax}` : '';
    throw new ShellRefusal([...toolError(tool, typed.slice(1)), of ?? `The playground: ${e.reason}${how}.`]);
  }
}

/**
 * What a console's Tab completes to, read from the world at the current step: the prompt's commands
 * (cmd's or PowerShell's), the hosts' names, the service principals the KDCs hold (a TGS among them,
 * krbtgt/REALM) and the file servers' shares.
 */
import { LINUX_COMMAND_SYNTAX, shellCommands, type ShellKind } from '../../scenarios';
import type { World } from '../../world';
import type { Vocabulary } from './protocol';

/** The most of each kind a console is sent: a world this large is not typed by hand. */
const MAX_WORDS = 500;

/** A Linux host's commands by name (MIT's tools, spelled as typed). */
const linuxCommands = () => [...new Set(LINUX_COMMAND_SYNTAX.map((s) => s.split(' ')[0]!))].sort();

/** The prompt a host's console is at (cmd unless PowerShell was started). */
export const shellOf = (world: World, host: string): ShellKind => world.windowsHost(host)?.shell ?? 'cmd';

export function vocabularyOf(world: World, shell: ShellKind | 'linux'): Vocabulary {
  const hosts = world.hosts.map((h) => h.name);
  const spns = new Set<string>();
  for (const k of world.kdcs) {
    for (const r of k.state.realms) {
      for (const p of r.principals) {
        const [service, instance] = p.name.nameString;
        if (p.name.nameString.length !== 2 || !service || !instance) continue;
        // krbtgt/REALM is the realm's own TGS; krbtgt/OTHER@REALM a trust key, not asked for by name
        if (service === 'krbtgt' && instance !== p.realm) continue;
        spns.add(`${service}/${instance}`);
      }
    }
  }
  const shares = world.services.flatMap((s) =>
    s.smb ? (s.smb.shares ?? []).map((share) => `\\\\${world.host(s.host).name}\\${share}`) : [],
  );
  return {
    commands: shell === 'linux' ? linuxCommands() : shellCommands(shell),
    hosts: hosts.slice(0, MAX_WORDS),
    spns: [...spns].slice(0, MAX_WORDS),
    shares: shares.slice(0, MAX_WORDS),
  };
}

/**
 * Every `krbplay` subcommand, in the order `krbplay --help` lists them. A new subcommand is one module
 * under ./commands and one line here (moving it from PLANNED to COMMANDS).
 */
import type { Command, PlannedCommand } from './command';
import { kdc } from './commands/kdc';
import { string2key } from './commands/string2key';

export const COMMANDS: readonly Command[] = [string2key, kdc];

/** Promised by docs/cli.md, not written yet. */
export const PLANNED: readonly PlannedCommand[] = [
  { name: 'decode', summary: 'Decode Kerberos messages, tokens and captures, decrypting what keys allow.' },
  { name: 'keytab list', summary: 'List the entries of an MIT keytab.' },
  { name: 'ccache list', summary: 'List the credentials of an MIT credential cache.' },
  { name: 'kinit', summary: 'Get a TGT from a KDC into an MIT credential cache.' },
  { name: 'kvno', summary: 'Get a service ticket, chasing referrals and cross-realm paths.' },
  { name: 'scenario list', summary: 'List the built-in scenarios.' },
  { name: 'scenario run', summary: 'Run a scenario and check its outcomes.' },
];

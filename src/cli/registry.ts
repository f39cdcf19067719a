/**
 * Every `krbplay` subcommand, in the order `krbplay --help` lists them. A new subcommand is one module
 * under ./commands and one line here (moving it from PLANNED to COMMANDS).
 */
import type { Command, PlannedCommand } from './command';
import { kdc } from './commands/kdc';
import { string2key } from './commands/string2key';
import { decode } from './commands/decode';
import { keytabList } from './commands/keytab-list';
import { ccacheList } from './commands/ccache-list';
import { kinit } from './commands/kinit';
import { kvno } from './commands/kvno';
import { scenarioList } from './commands/scenario-list';
import { scenarioRun } from './commands/scenario-run';
import { fleet } from './commands/fleet';
import { caseCommand } from './commands/case';

export const COMMANDS: readonly Command[] = [
  string2key,
  decode,
  keytabList,
  ccacheList,
  kdc,
  kinit,
  kvno,
  scenarioList,
  scenarioRun,
  fleet,
  caseCommand,
];

/** Promised by docs/cli.md, not written yet. */
export const PLANNED: readonly PlannedCommand[] = [];

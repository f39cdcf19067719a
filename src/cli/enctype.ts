/** Enctypes as the command line gives them: a number or one of MIT's names and aliases (CLI.md). */
import { ENCTYPES, findEnctype, type EnctypeInfo } from '../crypto';
import { KrbPlayInputError } from '../util';

/** Resolves `--etype` text; an unknown one is an input error that lists what is known. */
export function resolveEnctype(text: string): EnctypeInfo {
  const info = findEnctype(text);
  if (!info) {
    const known = ENCTYPES.filter((e) => e.implemented)
      .map((e) => `${e.etype} ${e.name}`)
      .join(', ');
    throw new KrbPlayInputError(`unknown enctype '${text}' (known: ${known})`);
  }
  return info;
}

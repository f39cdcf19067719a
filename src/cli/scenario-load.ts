/**
 * Finding the scenario `krbplay scenario run` names: a catalogue id, or a JSON file (a path ending in
 * .json, or containing a slash). A bad file names the file, the field and the reason (exit status 1).
 */
import { catalogue, findScenario, parseScenarioJson, ScenarioError, type AnyScenario } from '../scenarios';
import { KrbPlayInputError } from '../util';
import { FILE_LIMITS, readFileBytes } from './commands/files';

export function isScenarioFile(arg: string): boolean {
  return /\.json$/i.test(arg) || arg.includes('/') || arg.includes('\\');
}

export function loadScenario(arg: string): AnyScenario {
  if (!isScenarioFile(arg)) {
    const s = findScenario(arg);
    if (!s) {
      const ids = catalogue().map((x) => x.id);
      throw new KrbPlayInputError(
        `no scenario '${arg}' in the catalogue (one of: ${ids.join(', ')}; or give a FILE.json)`,
      );
    }
    return s;
  }
  const bytes = readFileBytes(arg, 'scenario file', FILE_LIMITS.scenario);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new KrbPlayInputError(`${arg}: not UTF-8 text`);
  }
  try {
    return parseScenarioJson(text);
  } catch (e) {
    if (e instanceof ScenarioError) throw new KrbPlayInputError(`${arg}: ${e.message}`);
    throw e;
  }
}

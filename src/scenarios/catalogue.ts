/**
 * The catalogue: the built-in scenario files, validated once. A file that does not validate is a bug in
 * the catalogue (a test runs them all), reported with its id and the field.
 */
import { CATALOGUE_FILES } from './catalogue/index';
import { ScenarioError, validateScenario, type AnyScenario } from './schema';

let cache: readonly AnyScenario[] | undefined;

export function catalogue(): readonly AnyScenario[] {
  if (!cache) {
    cache = CATALOGUE_FILES.map((file, i) => {
      try {
        return validateScenario(file);
      } catch (e) {
        if (e instanceof ScenarioError) {
          const id = (file as { id?: unknown }).id;
          throw new ScenarioError(`catalogue ${typeof id === 'string' ? id : `#${i}`}: ${e.field}`, e.reason);
        }
        throw e;
      }
    });
  }
  return cache;
}

/** The scenario with this id, or undefined. */
export function findScenario(id: string): AnyScenario | undefined {
  return catalogue().find((s) => s.id === id);
}

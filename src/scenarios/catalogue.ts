/**
 * The catalogue: the built-in scenario files, each validated once, when first asked for. A file that does
 * not validate is a bug in the catalogue (a test runs them all), reported with its id and the field.
 *
 * The picker's list reads only each file's header (`catalogueHeaders`), and `findScenario` validates only
 * the file it returns: the page's first answers (the list, then the scenario its link names) do not
 * validate the 26 others, which the first paint does not need.
 */
import { CATALOGUE_FILES } from './catalogue/index';
import { ScenarioError, validateScenario, type AnyScenario } from './schema';

/** Each file once validated, by its place in CATALOGUE_FILES. */
const validated: (AnyScenario | undefined)[] = [];

function validatedAt(i: number): AnyScenario {
  let s = validated[i];
  if (!s) {
    const file = CATALOGUE_FILES[i];
    try {
      s = validateScenario(file);
    } catch (e) {
      if (e instanceof ScenarioError) {
        const id = (file as { id?: unknown }).id;
        throw new ScenarioError(`catalogue ${typeof id === 'string' ? id : `#${i}`}: ${e.field}`, e.reason);
      }
      throw e;
    }
    validated[i] = s;
  }
  return s;
}

let all: readonly AnyScenario[] | undefined;

/** Every scenario of the catalogue, validated, in its order. */
export function catalogue(): readonly AnyScenario[] {
  all ??= CATALOGUE_FILES.map((_, i) => validatedAt(i));
  return all;
}

/** The scenario with this id, or undefined. */
export function findScenario(id: string): AnyScenario | undefined {
  const i = CATALOGUE_FILES.findIndex((file) => (file as { id?: unknown }).id === id);
  return i < 0 ? undefined : validatedAt(i);
}

/** What the picker lists of a catalogue scenario: the header every file starts with. */
export interface CatalogueHeader {
  id: string;
  title: string;
  summary: string;
  teaches: string;
  available: boolean;
  /** Why it cannot run yet. */
  reason?: string;
}

/**
 * The catalogue's headers, as validation would give them (`available` true when absent, `reason` only
 * when it is false), read from the files without validating the rest of them. A header that is not
 * as the schema says is the whole file validated, which reports the field.
 */
export function catalogueHeaders(): CatalogueHeader[] {
  return CATALOGUE_FILES.map((file, i) => {
    const f = file as Partial<Record<keyof CatalogueHeader, unknown>>;
    const strings = [f.id, f.title, f.summary, f.teaches].every((v) => typeof v === 'string');
    const unavailable = f.available === false;
    if (!strings || !(f.available === undefined || typeof f.available === 'boolean'))
      return headerOf(validatedAt(i));
    if (unavailable && typeof f.reason !== 'string') return headerOf(validatedAt(i));
    return headerOf(f as CatalogueHeader);
  });
}

function headerOf(s: CatalogueHeader): CatalogueHeader {
  const available = s.available !== false;
  return {
    id: s.id,
    title: s.title,
    summary: s.summary,
    teaches: s.teaches,
    available,
    ...(available ? {} : { reason: s.reason }),
  };
}

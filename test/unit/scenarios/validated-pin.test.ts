// Pins what the validator makes of every catalogue file: the objects (defaults filled in, keys, dates)
// must stay the same when the validator is rebuilt from a schema description. The fixture was written
// by the hand validator on main (4193307); regenerate only on purpose with PIN_UPDATE=1.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { validateScenario } from '../../../src/scenarios';
import { CATALOGUE_FILES } from '../../../src/scenarios/catalogue/index';

const FIXTURE = join(__dirname, 'fixtures', 'catalogue-validated.json');

/** A JSON view of any validated value that keeps the types apart (bytes, bigints, dates, undefined). */
function canonical(v: unknown): unknown {
  if (v instanceof Uint8Array) return { $bytes: Array.from(v) };
  if (typeof v === 'bigint') return { $bigint: v.toString() };
  if (v instanceof Date) return { $date: v.toISOString() };
  if (v === undefined) return { $undefined: true };
  if (v instanceof Map) return { $map: [...v.entries()].map(([k, x]) => [canonical(k), canonical(x)]) };
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

test('every catalogue file validates to the same objects as the hand validator made', () => {
  const now = CATALOGUE_FILES.map((f) => canonical(validateScenario(f)));
  if (process.env.PIN_UPDATE === '1') writeFileSync(FIXTURE, JSON.stringify(now, null, 1) + '\n');
  const pinned: unknown = JSON.parse(readFileSync(FIXTURE, 'utf8'));
  expect(now).toEqual(pinned);
});

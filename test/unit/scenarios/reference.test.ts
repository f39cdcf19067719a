// docs/scenarios.md's reference is printed from the schema's description: the committed text must be what
// the description prints now (KRBPLAY_DOCS_UPDATE=1, `npm run docs:scenarios`, writes it again).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { ACTION_KINDS } from '../../../src/scenarios';
import { REFERENCE_BEGIN, REFERENCE_END, scenarioReference } from '../../../src/scenarios/reference';

const DOC = join(fileURLToPath(new URL('../../../', import.meta.url)), 'docs/scenarios.md');

/** The doc with `reference` between the markers. */
function withReference(doc: string, reference: string): string {
  const begin = doc.indexOf(REFERENCE_BEGIN);
  const end = doc.indexOf(REFERENCE_END);
  expect(begin, 'docs/scenarios.md has the begin marker').toBeGreaterThanOrEqual(0);
  expect(end, 'the end marker comes after it').toBeGreaterThan(begin);
  return `${doc.slice(0, begin + REFERENCE_BEGIN.length)}\n\n${reference}\n${doc.slice(end)}`;
}

describe('docs/scenarios.md', () => {
  test('its reference is what the schema description prints', () => {
    const now = withReference(readFileSync(DOC, 'utf8'), scenarioReference());
    if (process.env.KRBPLAY_DOCS_UPDATE === '1') writeFileSync(DOC, now);
    expect(readFileSync(DOC, 'utf8')).toBe(now);
  });

  test('the reference names every part of the file: each object, each kind of action, each predicate', () => {
    const reference = scenarioReference();
    for (const path of ['hosts[]', 'kdc.realms[].principals[].key[]', 'kdc.trusts[]', 'locator.<realm>'])
      expect(reference).toContain(`### \`${path}\``);
    for (const kind of ACTION_KINDS) expect(reference).toContain(`### \`timeline[]\` — "do": "${kind}"`);
    for (const p of ['action', 'klist', 'message', 'messages'])
      expect(reference).toContain(`### \`outcomes[].expect[]\` — holding "${p}"`);
    expect(reference).toContain('| `iterations` | whole number ≥ 1 | no |');
  });
});

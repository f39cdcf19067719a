// Start from scratch: every template (join × realms × Azure Files) is a scenario file the validator
// accepts, that plays, and whose shares the user can then mount by typing `net use` at ws1's console.
import { describe, expect, test } from 'vitest';
import { parseCommand, runScenario, validateScenario, type Scenario } from '../../../src/scenarios';
import {
  allTemplateChoices,
  readTemplateChoices,
  templateId,
  templateScenario,
} from '../../../src/scenarios/templates';
import { KrbPlayInputError } from '../../../src/util/errors';

type Json = Record<string, unknown>;

/** The template with `lines` typed at ws1 after the sign-in, read by the console's own parser. */
function withTyped(s: Json, lines: string[]): Scenario {
  const typed = lines.map((line) => parseCommand('ws1', line));
  return validateScenario({ ...s, timeline: [...(s.timeline as Json[]), ...typed] }) as Scenario;
}

describe('templates', () => {
  test('there are 12, with distinct ids, and each validates and signs alice in', () => {
    const all = allTemplateChoices();
    expect(all).toHaveLength(12);
    expect(new Set(all.map(templateId)).size).toBe(12);
    for (const c of all) {
      const text = JSON.stringify(templateScenario(c));
      const s = validateScenario(JSON.parse(text)) as Scenario;
      expect(s.id).toBe(templateId(c));
      expect(s.timeline).toHaveLength(1);
      const run = runScenario(s);
      expect(run.actions[0]!.ok, `${s.id}: ${run.actions[0]!.output}`).toBe(true);
      expect(run.outcomes.every((o) => o.ok)).toBe(true);
    }
  });

  test.each(allTemplateChoices().map((c) => [templateId(c), c] as const))(
    '%s: every share it has mounts when typed',
    (_id, c) => {
      const s = templateScenario(c);
      const shares = (s.services as Json[]).map(
        (v) => `\\\\${(v.spn as string).slice('cifs/'.length)}\\${(v.shares as string[])[0]}`,
      );
      const run = runScenario(
        withTyped(
          s,
          shares.map((unc) => `net use ${unc}`),
        ),
      );
      for (const [i, a] of run.actions.entries()) expect(a.ok, `${i}: ${a.output}`).toBe(true);
      expect(run.actions).toHaveLength(1 + shares.length);
    },
  );

  test('the cloud realm is where the Entra and hybrid devices get the Azure Files ticket; AD DS otherwise', () => {
    const realmOf = (join: 'ad' | 'entra' | 'hybrid') =>
      ((templateScenario({ join, realms: 1, azureFiles: true }).services as Json[]).at(-1) as Json).realm;
    expect(realmOf('ad')).toBe('CORP.CONTOSO.COM');
    expect(realmOf('entra')).toBe('KERBEROS.MICROSOFTONLINE.COM');
    expect(realmOf('hybrid')).toBe('KERBEROS.MICROSOFTONLINE.COM');
  });

  test('choices that are not choices are refused with a sentence, as input errors', () => {
    const refused = (v: unknown, message: string) =>
      expect(() => readTemplateChoices(v)).toThrow(
        expect.objectContaining({ constructor: KrbPlayInputError, message }),
      );
    refused(
      { join: 'workgroup', realms: 1, azureFiles: false },
      'join must be ad (domain-joined), entra (Entra-joined) or hybrid, not "workgroup"',
    );
    refused(
      { join: 'ad', realms: 3, azureFiles: false },
      'realms must be 1 (one forest) or 2 (two forests), not 3',
    );
    refused({ join: 'ad', realms: 1, azureFiles: 'yes' }, 'azureFiles must be true or false, not "yes"');
  });
});

// docs/modelled.md and the "modelled" badge: every kind of modelled step the catalogue's traces make (each
// runnable scenario played to its end) opens an entry that docs/modelled.md has, with a source; the
// entries the code names by anchor exist; the anchors are the headings' slugs.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { catalogue, findScenario, runScenario, type Scenario } from '../../../src/scenarios';
import { modelledEntries, modelledEntry, readModelledDoc, slugOf } from '../../../src/ui/lib/modelled-doc';
import { modelledEntriesOf } from '../../../src/ui/lib/modelled-note';

const doc = readFileSync(new URL('../../../docs/modelled.md', import.meta.url), 'utf8');
const slugs = new Set(readModelledDoc(doc).map((e) => e.slug));

describe('docs/modelled.md', () => {
  test('one entry per ## heading, its anchor the slug, each with a Source line', () => {
    expect(slugOf('Cloud TGT flags')).toBe('cloud-tgt-flags');
    expect(slugOf('Storage app identifierUris')).toBe('storage-app-identifieruris');
    expect(modelledEntries().map((e) => e.slug)).toEqual([...slugs]);
    expect(slugs.size).toBe((doc.match(/^## /gm) ?? []).length);
    for (const entry of readModelledDoc(doc)) {
      expect(entry.body.length, entry.slug).toBeGreaterThan(40);
      expect(
        /Source:/.test(doc.split(/^## /m).find((p) => slugOf(p.split('\n')[0]!) === entry.slug)!),
        entry.slug,
      ).toBe(true);
    }
  });

  test('every modelled step the catalogue traces make opens entries docs/modelled.md has', () => {
    const kinds = new Map<string, string[]>();
    for (const s of catalogue()) {
      if (!s.available) continue;
      for (const e of runScenario(s as Scenario).world.trace) {
        if (!e.modelled) continue;
        const entries = modelledEntriesOf(e);
        // the first step of each kind stands for it (later ones are checked by the line below)
        if (!kinds.has(`${e.type} ${e.transport}`)) kinds.set(`${e.type} ${e.transport}`, entries);
        for (const slug of entries) expect(slugs.has(slug), `${e.type}: #${slug}`).toBe(true);
      }
    }
    // the kinds there are today, so a new kind is seen here first
    expect([...kinds.keys()].sort()).toEqual([
      'PRT-REQUEST https',
      'PRT-RESPONSE https',
      'SMB2 CLOSE smb',
      'SMB2 CREATE smb',
      'SMB2 NEGOTIATE smb',
      'SMB2 QUERY_DIRECTORY smb',
      'SMB2 QUERY_INFO smb',
      'SMB2 READ smb',
      'SMB2 SESSION_SETUP smb',
      'SMB2 SET_INFO smb',
      'SMB2 TREE_CONNECT smb',
      'SMB2 WRITE smb',
      'timeout smb',
    ]);
    expect(kinds.get('SMB2 CREATE smb')).toEqual(['azure-files-authorization', 'smb2-framing']);
    expect(kinds.get('PRT-RESPONSE https')).toEqual([
      'entra-prt-exchange',
      'cloud-tgt-flags',
      'cloud-tgt-renewal',
    ]);
    expect(kinds.get('SMB2 SESSION_SETUP smb')).toEqual(['ntlm-fallback']);
    // a SESSION_SETUP refused by the storage account's Kerberos ticket encryption setting opens its entry
    const refusedSetup = runScenario(findScenario('rc4-enforcement-2026') as Scenario).world.trace.find(
      (e) => e.type === 'SMB2 SESSION_SETUP' && /Kerberos ticket encryption/.test(e.result),
    )!;
    expect(modelledEntriesOf(refusedSetup)).toEqual(['ad-ds-storage-account-encryption', 'smb2-framing']);
    // a cloud-only identity's share-level decision opens the cloud-only entry first
    const cloudOnly = runScenario(findScenario('cloud-only-identity') as Scenario).world.trace.find(
      (e) => e.type === 'SMB2 TREE_CONNECT' && /cloud-only identity/.test(e.result),
    )!;
    expect(modelledEntriesOf(cloudOnly)).toEqual([
      'cloud-only-identities',
      'azure-files-authorization',
      'smb2-framing',
    ]);
  });

  test('the entries the code points to exist, and an unknown one falls back to the general entry', () => {
    for (const slug of [
      'rc4-phase-out',
      'ad-ds-storage-account-encryption',
      'storage-app-identifieruris',
      'modelled-step',
    ])
      expect(slugs.has(slug), slug).toBe(true);
    expect(modelledEntry('no-such-entry')?.slug).toBe('modelled-step');
    expect(modelledEntry('cloud-tgt-renewal')?.sources[0]?.url).toMatch(/^https:\/\/learn\.microsoft\.com\//);
  });
});

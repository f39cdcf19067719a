// tgt-expiry-cloud-trust: what keeps the share reachable after the cloud TGT's 10 hours is the Azure Files
// cloud trust (Set-AzureADKerberosServer -SetupCloudTrust: a trusted domain object for
// KERBEROS.MICROSOFTONLINE.COM, its TopLevelNames windows.net by default), the scenario's kdc.trusts entry;
// Windows Hello for Business cloud Kerberos trust (the AzureADKerberos object, the partial TGT) is another
// feature, and the referral does not need it.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { findScenario, runScenario, validateScenario, type Scenario } from '../../../src/scenarios';

const ID = 'tgt-expiry-cloud-trust';
const scenario = findScenario(ID) as Scenario;

describe('the referral after the cloud TGT ends', () => {
  test('the scenario credits the Azure Files cloud trust (SetupCloudTrust), not the AzureADKerberos key', () => {
    const words = `${scenario.summary} ${scenario.teaches}`;
    expect(words).toMatch(/Set-AzureADKerberosServer -SetupCloudTrust/);
    expect(words).toMatch(/trusted domain object for KERBEROS\.MICROSOFTONLINE\.COM/);
    expect(words).toMatch(/with or without Windows Hello/);
    expect(words).not.toMatch(/AzureADKerberos object's key shared with Entra/);
    const doc = readFileSync('docs/modelled.md', 'utf8');
    const bullet = doc.slice(doc.indexOf('**The referral after the cloud TGT ends**')).split('\n\n')[0]!;
    expect(bullet).toMatch(/-SetupCloudTrust/);
    expect(bullet).toMatch(/with\s+or\s+without\s+Windows\s+Hello/);
  });

  test('with a password sign-in instead of Hello, the trust alone still refers the evening mount', () => {
    const json = structuredClone(scenario) as unknown as {
      entra: Record<string, unknown>;
      timeline: Record<string, unknown>[];
    };
    delete json.entra.cloudTrust;
    json.timeline[0] = { id: 'hello', do: 'logon', host: 'ws1' };
    const run = runScenario(validateScenario(json) as Scenario);
    // lsa-renews is the PIN session's own (a password session signs in again); the referral holds either way
    const held = (id: string) => run.outcomes.find((o) => o.id === id)!.ok;
    expect(['morning-direct', 'cloud-tgt-ended', 'referral-serves'].map(held)).toEqual([true, true, true]);
  });
});

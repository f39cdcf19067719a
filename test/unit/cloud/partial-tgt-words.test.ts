// The words around the partial TGT. The full TGT is the DC's answer to the TGS-REQ for krbtgt that
// presents the partial TGT; KERB-KEY-LIST-REQ in that request only adds the user's keys (MS-KILE 3.3.5.7.8:
// the NT hash for NTLM single sign-on). And a privileged group is refused because it belongs to the Denied
// RODC Password Replication Group, which msDS-NeverRevealGroup names, not because it is listed there itself.
import { describe, expect, test } from 'vitest';
import { findScenario, runScenario, type Scenario } from '../../../src/scenarios';
import { CLOUD_ACTIONS } from '../../../src/scenarios/actions/cloud';

describe('the partial TGT, said as it works', () => {
  test('hello-logon: the full TGT answers the TGS-REQ; the key list only adds the keys', () => {
    const about = CLOUD_ACTIONS.find((a) => a.do === 'hello-logon')!.about;
    expect(about).not.toMatch(/exchanges it for a full TGT \(KERB-KEY-LIST-REQ\)/);
    expect(about).toMatch(/answers .*TGS-REQ for krbtgt.* with a full TGT/);
    expect(about).toMatch(/KERB-KEY-LIST-REQ .*only adds/);
  });

  test('cloud-trust-partial-tgt says the same in its summary and its outcome', () => {
    const s = findScenario('cloud-trust-partial-tgt') as Scenario;
    expect(s.summary).not.toMatch(/exchanges it at the DC with KERB-KEY-LIST-REQ for a full TGT/);
    expect(s.summary).toMatch(/the DC answers .* with a full TGT, and KERB-KEY-LIST-REQ adds her keys/);
    const bob = s.outcomes.find((o) => /bob/.test(o.description))!;
    expect(bob.description).toMatch(/member of the Denied RODC Password Replication Group/);
  });

  test('a Domain Admin is refused as a member of the Denied RODC Password Replication Group', () => {
    const run = runScenario(findScenario('cloud-trust-partial-tgt') as Scenario);
    const refused = run.trace.find((e) => e.type === 'logon failed')!;
    expect(refused.result).not.toMatch(/-512 is in AzureADKerberos's denied password replication list/);
    expect(refused.result).toMatch(
      /-512 is a member of the Denied RODC Password Replication Group, which AzureADKerberos's msDS-NeverRevealGroup names/,
    );
  });
});

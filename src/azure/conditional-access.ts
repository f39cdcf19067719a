/**
 * Conditional Access on the cloud realm's TGS exchange (modelled; docs/modelled.md). Entra evaluates its
 * policies when its KDC is asked for a service ticket of an app (the storage account's app, whose SPN is
 * cifs/<account>.file.core.windows.net): Kerberos has no way to do MFA, so an MFA policy that covers the
 * app refuses the ticket and the user sees error 1327 ("Account restrictions..."); excluding the app from
 * the policy fixes it. An app that requires user assignment ("Assignment required?" Yes) gets no Kerberos
 * ticket for anyone, assigned or not (AADSTS50105): Entra does not carry app assignments (entitlements)
 * in its Kerberos tickets, so the fix is to turn the setting off, not to assign the user. Microsoft's
 * troubleshooting guide for Entra Kerberos on Azure Files documents both user-visible errors and the
 * assignment fix; the KRB-ERROR code the cloud KDC answers (KDC_ERR_POLICY, 12) is modelled.
 *
 * The policies live in Entra's state; each change is written to the cloud KDC as service rules
 * (src/kdc/key-list.ts `checkServiceRules`), so the KDC itself stays free of Entra.
 */
import { ErrorCode } from '../asn1/registry';
import type { ServiceRule } from '../kdc';
import { WorldError, type ConditionalAccessState, type World } from '../world';
import { entraOf } from './entra';

function stateOf(world: World): ConditionalAccessState {
  const entra = entraOf(world);
  if (!entra)
    throw new WorldError(
      'Conditional Access is a policy of Entra ID, and this world has no Entra ID: add an "entra" block (host, tenantId, realm)',
    );
  entra.conditionalAccess ??= { mfa: [], assignment: {} };
  return entra.conditionalAccess;
}

/** An MFA policy covers the app (or the app is excluded from it). */
export function setMfaPolicy(world: World, app: string, covered: boolean): string {
  const ca = stateOf(world);
  ca.mfa = ca.mfa.filter((a) => a !== app.toLowerCase());
  if (covered) ca.mfa.push(app.toLowerCase());
  writeRules(world);
  const text = covered
    ? `modelled: a Conditional Access policy requiring MFA covers the app ${app}`
    : `modelled: the app ${app} is excluded from the MFA Conditional Access policy`;
  world.action(entraOf(world)!.host, 'conditional-access', text);
  return text;
}

/**
 * The app requires user assignment ("Assignment required?" Yes), with the users assigned. The users are
 * kept (the policy view shows them) but let nobody through: no ticket is issued while it is required.
 */
export function setAssignmentRequired(
  world: World,
  app: string,
  required: boolean,
  assigned: string[],
): string {
  const ca = stateOf(world);
  delete ca.assignment[app.toLowerCase()];
  if (required) ca.assignment[app.toLowerCase()] = assigned.map((u) => u.toLowerCase());
  writeRules(world);
  const text = required
    ? `modelled: the app ${app} requires user assignment; assigned: ${assigned.join(', ') || 'nobody'}`
    : `modelled: the app ${app} no longer requires user assignment`;
  world.action(entraOf(world)!.host, 'app-assignment', text);
  return text;
}

/** The cloud KDC's service rules from the policies (assignment required refuses all, assigned or not). */
function writeRules(world: World): void {
  const entra = entraOf(world)!;
  const ca = stateOf(world);
  const rules: ServiceRule[] = ca.mfa.map((app) => ({
    server: app,
    code: ErrorCode.KDC_ERR_POLICY,
    text: `Conditional Access: a policy requiring multifactor authentication covers ${app}, and a Kerberos service ticket cannot satisfy MFA (the user sees error 1327); exclude the storage app from the policy`,
  }));
  for (const [app, users] of Object.entries(ca.assignment)) {
    rules.push({
      server: app,
      code: ErrorCode.KDC_ERR_POLICY,
      text: `AADSTS50105: ${app} requires user assignment, and Entra issues no Kerberos ticket for such an app, even to users who are assigned (assigned: ${users.join(', ') || 'nobody'}): app assignments are not carried in the ticket; turn "Assignment required" off for the storage app`,
    });
  }
  for (const kdc of world.kdcsServing(entra.realm)) kdc.setServiceRules(entra.realm, rules);
}

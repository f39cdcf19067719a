/**
 * The cloud side's actions: a Windows Hello for Business sign-in with cloud Kerberos trust, the
 * AzureADKerberos object's key (Set-AzureADKerberosServer), and Entra's Conditional Access on the storage
 * app (src/azure/cloud-trust.ts, conditional-access.ts; modelled where Entra's internals are not public).
 */
import {
  helloLogon,
  kerberosServerStatus,
  rotateKerberosServerKey,
  setAssignmentRequired,
  setMfaPolicy,
} from '../../azure';
import { defineAction, noArgs } from '../action-table';
import { bool, entraHost, list, opt, principalName, req, str } from '../shape';

const DEVICE = req(entraHost, 'the Entra-joined or hybrid-joined client host');
const APP = req(
  str({
    pattern: /^[A-Za-z0-9$._-]+\/[A-Za-z0-9._-]+$/,
    hint: 'must be an SPN like "cifs/contosofiles.file.core.windows.net"',
    type: 'SPN',
  }),
  'the storage app, by its service principal name',
);

export const CLOUD_ACTIONS = [
  defineAction({
    do: 'hello-logon',
    about:
      "The user signs in with a Windows Hello for Business PIN on a device with cloud Kerberos trust: Entra sends a partial TGT with the PRT; a writable DC answers the TGS-REQ for krbtgt that presents it with a full TGT, and the KERB-KEY-LIST-REQ in that request only adds the user's keys (for NTLM single sign-on).",
    fields: { host: DEVICE },
    title: (a) => `${a.host}: sign in with Windows Hello (PIN)`,
    run: (world, a) => helloLogon(world, a.host),
  }),
  defineAction({
    do: 'rotate-azuread-kerberos-key',
    about:
      'Set-AzureADKerberosServer -RotateServerKey: a new krbtgt_AzureAD key version on the DCs and, unless `cloud` is false, in Entra (modelled).',
    fields: {
      host: DEVICE,
      cloud: opt(bool(), 'Entra gets the new key too (default true)'),
    },
    title: (a) => `${a.host}> Set-AzureADKerberosServer -RotateServerKey`,
    command: {
      name: 'Set-AzureADKerberosServer -RotateServerKey',
      shell: 'powershell',
      syntax: 'Set-AzureADKerberosServer -RotateServerKey',
      print: () => 'Set-AzureADKerberosServer -RotateServerKey',
      parse: noArgs,
    },
    run: (world, a) => rotateKerberosServerKey(world, a.host, a.cloud ?? true),
  }),
  defineAction({
    do: 'get-azuread-kerberos-server',
    about:
      'Get-AzureADKerberosServer: the AzureADKerberos object, its KeyVersion and CloudKeyVersion (modelled).',
    fields: { host: DEVICE },
    title: (a) => `${a.host}> Get-AzureADKerberosServer`,
    command: {
      name: 'Get-AzureADKerberosServer',
      shell: 'powershell',
      syntax: 'Get-AzureADKerberosServer',
      print: () => 'Get-AzureADKerberosServer',
      parse: noArgs,
    },
    run: (world) => ({ ok: true, output: kerberosServerStatus(world) }),
  }),
  defineAction({
    do: 'conditional-access-mfa',
    about:
      "A Conditional Access policy requiring MFA covers the storage app, or the app is excluded from it (modelled: the cloud KDC refuses the app's tickets, error 1327).",
    fields: {
      app: APP,
      covered: req(
        bool({ missing: 'is missing (true or false)' }),
        'the policy covers the app (false: excluded)',
      ),
    },
    title: (a) => `Entra: the MFA policy ${a.covered ? 'covers' : 'excludes'} ${a.app}`,
    run: (world, a) => ({ ok: true, output: setMfaPolicy(world, a.app, a.covered) }),
  }),
  defineAction({
    do: 'app-assignment-required',
    about:
      'The storage app requires user assignment: no user gets a ticket for it, assigned or not (AADSTS50105).',
    fields: {
      app: APP,
      required: req(bool({ missing: 'is missing (true or false)' }), 'assignment is required'),
      assigned: opt(list(principalName), 'the users assigned to the app (no ticket for them either)'),
    },
    title: (a) => `Entra: ${a.app} ${a.required ? 'requires' : 'does not require'} user assignment`,
    run: (world, a) => ({
      ok: true,
      output: setAssignmentRequired(world, a.app, a.required, a.assigned ?? []),
    }),
  }),
];

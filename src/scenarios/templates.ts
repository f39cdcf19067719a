/**
 * Start from scratch: a new world made from a few choices — how ws1 is joined (Active Directory, Entra
 * ID, or both), one realm or two (a second forest with a two-way trust and a file server of its own),
 * with or without an Azure Files share — as a scenario file like any other, which the validator checks
 * and the player plays. Its timeline is one step (alice signs in); the rest is the user's to type.
 *
 * The names are the catalogue's: CORP.CONTOSO.COM on dc1, FABRIKAM.COM on dc2, the cloud realm
 * KERBEROS.MICROSOFTONLINE.COM on Entra's modelled host, contosofiles.file.core.windows.net for Azure
 * Files. Without Entra (an AD-joined device), the storage account is joined to AD DS instead, as Azure
 * Files' "AD DS authentication" does, so the share is reached with an on-prem service ticket.
 */
import { KrbPlayInputError } from '../util/errors';

export type JoinChoice = 'ad' | 'entra' | 'hybrid';

export interface TemplateChoices {
  join: JoinChoice;
  realms: 1 | 2;
  azureFiles: boolean;
}

export const JOIN_CHOICES: readonly { value: JoinChoice; label: string; about: string }[] = [
  {
    value: 'ad',
    label: 'Active Directory joined',
    about: 'ws1 is joined to CORP.CONTOSO.COM only: tickets come from dc1, no PRT.',
  },
  {
    value: 'entra',
    label: 'Entra joined',
    about: 'ws1 is joined to Entra ID; alice is a synced user: the cloud TGT comes with the PRT.',
  },
  {
    value: 'hybrid',
    label: 'Hybrid joined',
    about: 'ws1 is joined to both: a TGT from dc1 and a cloud TGT with the PRT.',
  },
];

const CORP = 'CORP.CONTOSO.COM';
const FAB = 'FABRIKAM.COM';
const CLOUD = 'KERBEROS.MICROSOFTONLINE.COM';
const TENANT = '3c4e9b1d-5a8f-4e2b-9d6c-1f0a7e8b2c4d';
const CORP_SID = 'S-1-5-21-2146773085-903363285-719344707';
const FAB_SID = 'S-1-5-21-1004336348-1177238915-682003330';
const CLOUD_SID = 'S-1-5-21-3623811015-3361044348-30300820';
const PASSWORD = 'Contoso-Alice-2026!';
const FILES = 'contosofiles.file.core.windows.net';

type Json = Record<string, unknown>;

/** The id a template's scenario gets: "new-hybrid-2-realms-azure-files". */
export function templateId(c: TemplateChoices): string {
  return `new-${c.join}-${c.realms}-realm${c.realms === 1 ? '' : 's'}${c.azureFiles ? '-azure-files' : ''}`;
}

/** Every combination of choices, in the order a picker lists them. */
export function allTemplateChoices(): TemplateChoices[] {
  const out: TemplateChoices[] = [];
  for (const j of JOIN_CHOICES)
    for (const realms of [1, 2] as const)
      for (const azureFiles of [false, true]) out.push({ join: j.value, realms, azureFiles });
  return out;
}

/** Reads choices from anywhere (a form, a test): a clear error for anything else. */
export function readTemplateChoices(v: unknown): TemplateChoices {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  if (!JOIN_CHOICES.some((j) => j.value === o.join))
    throw new KrbPlayInputError(
      `join must be ad (domain-joined), entra (Entra-joined) or hybrid, not ${JSON.stringify(o.join)}`,
    );
  if (o.realms !== 1 && o.realms !== 2)
    throw new KrbPlayInputError(
      `realms must be 1 (one forest) or 2 (two forests), not ${JSON.stringify(o.realms)}`,
    );
  if (typeof o.azureFiles !== 'boolean')
    throw new KrbPlayInputError(`azureFiles must be true or false, not ${JSON.stringify(o.azureFiles)}`);
  return { join: o.join as JoinChoice, realms: o.realms, azureFiles: o.azureFiles };
}

function describeChoices(c: TemplateChoices): string {
  const join = JOIN_CHOICES.find((j) => j.value === c.join)!.label;
  const realms = c.realms === 1 ? 'one realm' : 'two forests with a trust';
  return `${join}, ${realms}, ${c.azureFiles ? 'with' : 'without'} Azure Files`;
}

function realmsOf(c: TemplateChoices, cloud: boolean): Json[] {
  const corp: Json = {
    name: CORP,
    domainSid: CORP_SID,
    netbiosName: 'CORP',
    principals: [
      {
        name: 'alice',
        password: PASSWORD,
        sid: `${CORP_SID}-1104`,
        groups: [`${CORP_SID}-513`],
        upn: 'alice@corp.contoso.com',
        fullName: 'Alice Smith',
      },
      { name: 'cifs/fs1.corp.contoso.com', password: 'fs1-machine-account-secret' },
      ...(c.azureFiles && !cloud
        ? [{ name: `cifs/${FILES}`, password: 'contosofiles-ad-ds-computer-account-secret' }]
        : []),
    ],
  };
  const out = [corp];
  if (c.realms === 2) {
    corp.hostRealm = { '.fabrikam.com': FAB };
    out.push({
      name: FAB,
      domainSid: FAB_SID,
      netbiosName: 'FABRIKAM',
      principals: [{ name: 'cifs/files.fabrikam.com', password: 'files-machine-secret', etypes: [18] }],
    });
  }
  if (cloud)
    out.push({
      name: CLOUD,
      etypes: [18],
      domainSid: CLOUD_SID,
      netbiosName: 'KERBEROS',
      principals: c.azureFiles
        ? [
            {
              name: `cifs/${FILES}`,
              password: 'contosofiles-storage-account-kerb1-key',
              maxLife: '1h',
              maxRenew: '0s',
            },
          ]
        : [],
    });
  return out;
}

function servicesOf(c: TemplateChoices, cloud: boolean): Json[] {
  const out: Json[] = [
    {
      id: 'fs1',
      host: 'fs1',
      spn: 'cifs/fs1.corp.contoso.com',
      realm: CORP,
      shares: ['share'],
      ntlm: 'refused',
    },
  ];
  if (c.realms === 2)
    out.push({
      id: 'files',
      host: 'files',
      spn: 'cifs/files.fabrikam.com',
      realm: FAB,
      shares: ['share'],
      ntlm: 'refused',
    });
  if (c.azureFiles)
    out.push({
      id: 'contosofiles',
      host: 'contosofiles',
      spn: `cifs/${FILES}`,
      realm: cloud ? CLOUD : CORP,
      shares: ['profiles'],
      ntlm: 'refused',
    });
  return out;
}

function hostsOf(c: TemplateChoices, cloud: boolean): Json[] {
  return [
    { id: 'ws1', name: 'ws1.corp.contoso.com' },
    { id: 'dc1', name: 'dc1.corp.contoso.com' },
    { id: 'fs1', name: 'fs1.corp.contoso.com' },
    ...(c.realms === 2
      ? [
          { id: 'dc2', name: 'dc2.fabrikam.com' },
          { id: 'files', name: 'files.fabrikam.com' },
        ]
      : []),
    ...(cloud ? [{ id: 'entra', name: 'login.microsoftonline.com', modelled: true }] : []),
    ...(c.azureFiles ? [{ id: 'contosofiles', name: FILES }] : []),
  ];
}

function networkOf(c: TemplateChoices, cloud: boolean): Json {
  const far = (b: string, latency: number) => ({ a: 'ws1', b, latency });
  return {
    latency: 1,
    links: [
      ...(c.realms === 2 ? [far('dc2', 12), far('files', 12)] : []),
      ...(cloud ? [far('entra', 15)] : []),
      ...(c.azureFiles ? [far('contosofiles', 12)] : []),
    ],
  };
}

function locatorOf(c: TemplateChoices, cloud: boolean): Json {
  return {
    [CORP]: { host: 'dc1', transport: 'tcp' },
    ...(c.realms === 2 ? { [FAB]: { host: 'dc2', transport: 'tcp' } } : {}),
    ...(cloud ? { [CLOUD]: { host: 'entra', transport: 'kkdcp', proxyPath: `/${TENANT}/kerberos` } } : {}),
  };
}

/**
 * The scenario file for `choices`, as a value (JSON.stringify it for the editor or a link). Validate it
 * as any other with `validateScenario`.
 */
export function templateScenario(choices: TemplateChoices): Json {
  const c = readTemplateChoices(choices);
  const cloud = c.join !== 'ad';
  const client: Json = { host: 'ws1', user: `alice@${CORP}`, password: PASSWORD, join: c.join };
  if (cloud) client.policies = { cloudKerberosTicketRetrieval: true };
  return {
    id: templateId(c),
    title: `A new world: ${describeChoices(c)}`,
    summary: `alice signs in on ws1 (${describeChoices(c)}); the rest of the story is yours to type at the console.`,
    teaches:
      'Whatever you make of it: type commands at ws1’s console, flip policies, move the clock, add faults.',
    start: '2026-03-02T08:00:00Z',
    seed: 1,
    hosts: hostsOf(c, cloud),
    kdc: {
      realms: realmsOf(c, cloud),
      ...(c.realms === 2
        ? {
            trusts: [
              { from: CORP, to: FAB, password: 'forest-trust-secret', bidirectional: true, etypes: [18] },
            ],
          }
        : {}),
    },
    kdcs: [
      { host: 'dc1', realms: [CORP] },
      ...(c.realms === 2 ? [{ host: 'dc2', realms: [FAB] }] : []),
      ...(cloud ? [{ host: 'entra', realms: [CLOUD] }] : []),
    ],
    locator: locatorOf(c, cloud),
    network: networkOf(c, cloud),
    services: servicesOf(c, cloud),
    clients: [client],
    ...(cloud
      ? { entra: { host: 'entra', tenantId: TENANT, realm: CLOUD, topLevelNames: ['.windows.net'] } }
      : {}),
    timeline: [{ id: 'logon', do: 'logon', host: 'ws1' }],
    outcomes: [
      {
        id: 'signed-in',
        description: 'alice signs in on ws1',
        expect: [{ action: 'logon', ok: true }],
      },
    ],
  };
}

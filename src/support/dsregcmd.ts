/**
 * `dsregcmd /status` read back: the device's join state and its SSO state (the PRT, its update time, the
 * on-prem and cloud TGTs, KerbTopLevelNames), section by section. Each "Name : value" row of a known name
 * is read; rows and lines of any other shape are kept as unread.
 */
import { pastedLines, utcTime, type PasteLimits, type PastedLine } from './paste';

/** The join state, from the Device State and Tenant Details sections. */
export interface DsregJoin {
  azureAdJoined?: boolean;
  enterpriseJoined?: boolean;
  domainJoined?: boolean;
  domainName?: string;
  deviceName?: string;
  tenantId?: string;
  tenantName?: string;
}

/** The SSO State section. */
export interface DsregSso {
  azureAdPrt?: boolean;
  /** AzureAdPrtUpdateTime ("2026-03-02 08:00:00.000 UTC") as milliseconds. */
  prtUpdateTime?: number;
  prtExpiryTime?: number;
  prtAuthority?: string;
  enterprisePrt?: boolean;
  onPremTgt?: boolean;
  cloudTgt?: boolean;
  /** KerbTopLevelNames, split at commas (empty when the row is empty: no cloud Kerberos ticket retrieval). */
  kerbTopLevelNames?: string[];
}

export interface Dsregcmd {
  join: DsregJoin;
  sso: DsregSso;
  /** Every row read, by its name, as printed. */
  fields: Record<string, string>;
  /** The boxed section titles, in order ("Device State", "SSO State"). */
  sections: string[];
  unread: PastedLine[];
}

/** "2026-03-02 08:00:00.000 UTC" as milliseconds; undefined when it is not that shape. */
export function dsregcmdTime(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))? UTC$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  return utcTime(y, mo, d, [h, mi, s, Number((m[7] ?? '0').padEnd(3, '0'))]);
}

const yes = (v: string) => (v === 'YES' ? true : v === 'NO' ? false : undefined);

type Row = (out: Dsregcmd, value: string) => boolean;
const flag =
  <K extends string>(target: (o: Dsregcmd) => Partial<Record<K, boolean>>, key: K): Row =>
  (o, v) => {
    const b = yes(v);
    if (b !== undefined) target(o)[key] = b;
    return b !== undefined;
  };
const join =
  (key: 'domainName' | 'deviceName' | 'tenantId' | 'tenantName'): Row =>
  (o, v) => {
    o.join[key] = v;
    return true;
  };
const at =
  (key: 'prtUpdateTime' | 'prtExpiryTime'): Row =>
  (o, v) => {
    o.sso[key] = dsregcmdTime(v);
    return o.sso[key] !== undefined;
  };
const any: Row = () => true;

/** The rows whose meaning the rules use, and the others Windows prints that are read but not used. */
const ROWS: Record<string, Row> = {
  AzureAdJoined: flag((o) => o.join, 'azureAdJoined'),
  EnterpriseJoined: flag((o) => o.join, 'enterpriseJoined'),
  DomainJoined: flag((o) => o.join, 'domainJoined'),
  DomainName: join('domainName'),
  'Device Name': join('deviceName'),
  TenantId: join('tenantId'),
  TenantName: join('tenantName'),
  AzureAdPrt: flag((o) => o.sso, 'azureAdPrt'),
  AzureAdPrtUpdateTime: at('prtUpdateTime'),
  AzureAdPrtExpiryTime: at('prtExpiryTime'),
  AzureAdPrtAuthority: (o, v) => {
    o.sso.prtAuthority = v;
    const tenant = /^https:\/\/[^/]+\/([0-9a-f-]{36})$/i.exec(v);
    if (tenant && o.join.tenantId === undefined) o.join.tenantId = tenant[1];
    return true;
  },
  EnterprisePrt: flag((o) => o.sso, 'enterprisePrt'),
  EnterprisePrtAuthority: any,
  OnPremTgt: flag((o) => o.sso, 'onPremTgt'),
  CloudTgt: flag((o) => o.sso, 'cloudTgt'),
  KerbTopLevelNames: (o, v) => {
    o.sso.kerbTopLevelNames = v
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    return true;
  },
};
for (const name of [
  'DeviceId',
  'Thumbprint',
  'DeviceCertificateValidity',
  'KeyContainerId',
  'KeySignTest',
  'TpmProtected',
  'DeviceAuthStatus',
  'IsDeviceJoined',
  'IsUserAzureAD',
  'PolicyEnabled',
  'PostLogonEnabled',
  'DeviceEligible',
  'SessionIsNotRemote',
  'CertEnrollment',
  'PreReqResult',
  'WorkplaceJoined',
  'WamDefaultSet',
  'WamDefaultAuthority',
  'WamDefaultId',
  'WamDefaultGUID',
  'NgcSet',
  'NgcKeyId',
  'CanReset',
  'IdpDomain',
  'TenantDisplayName',
  'AuthCodeUrl',
  'AccessTokenUrl',
  'MdmUrl',
  'MdmTouUrl',
  'MdmComplianceUrl',
  'SettingsUrl',
  'JoinSrvVersion',
  'JoinSrvUrl',
  'JoinSrvId',
  'KeySrvVersion',
  'KeySrvUrl',
  'KeySrvId',
  'WebAuthNSrvVersion',
  'WebAuthNSrvUrl',
  'WebAuthNSrvId',
  'DeviceManagementSrvVer',
  'DeviceManagementSrvUrl',
  'DeviceManagementSrvId',
  'AzureAdPrtExpiryTime',
  'EnterprisePrtUpdateTime',
  'EnterprisePrtExpiryTime',
  'Executing Account Name',
  'DeviceAuthStatus',
  'AdfsRefreshToken',
  'AdfsRaIsReady',
  'EnterprisePrtAuthority',
])
  ROWS[name] ??= any;

const BORDER = /^\+-+\+$/;
const TITLE = /^\|\s*(.+?)\s*\|$/;

/** `dsregcmd /status` lines (numbered as pasted) into the join and SSO state, keeping unread lines. */
export function readDsregcmd(lines: readonly PastedLine[]): Dsregcmd {
  const out: Dsregcmd = { join: {}, sso: {}, fields: {}, sections: [], unread: [] };
  for (const line of lines) {
    const rest = line.text.trim();
    if (rest === '' || BORDER.test(rest)) continue;
    const title = TITLE.exec(rest);
    if (title) {
      out.sections.push(title[1]!);
      continue;
    }
    const row = /^(.+?)\s+:(?: (.*))?$/.exec(rest);
    const name = row?.[1];
    const value = (row?.[2] ?? '').trim();
    // own names only: a pasted "__proto__ :" or "hasOwnProperty :" is a line not understood, not a lookup
    if (name !== undefined && Object.hasOwn(ROWS, name) && ROWS[name]!(out, value)) out.fields[name] = value;
    else out.unread.push(line);
  }
  return out;
}

/** `dsregcmd /status` output into the join and SSO state it shows, keeping unread lines. */
export function parseDsregcmd(text: string, limits?: PasteLimits): Dsregcmd {
  return readDsregcmd(pastedLines(text, limits));
}

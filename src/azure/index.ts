/**
 * The story's actors (ARCHITECTURE.md): Entra ID with the PRT and the cloud realm's KDC behind the KDC
 * proxy (entra.ts), the Windows device around the Kerberos client — GPOs, logon session, LSA cached logon,
 * CloudAP, dsregcmd and klist (windows.ts) — and Windows' realm choice for an SPN (realm.ts). What is not
 * public (Entra's internals) is modelled, labelled so in the trace, and keeps the Kerberos bytes standard.
 */
export {
  CLOUD_REALM,
  PRT_LIFETIME,
  PRT_REFRESH_INTERVAL,
  entraOf,
  setUpEntra,
  requestPrt,
  entraListener,
} from './entra';
export type { IssuedPrt, PrtResult } from './entra';
export {
  addWindowsDevice,
  windowsDevice,
  applyKerberosConfig,
  setMapping,
  prtRefreshReason,
  logon,
  lock,
  unlock,
  reboot,
  refreshPrt,
  setPolicy,
  networkChange,
  ensureOnPremTgt,
  dsregcmdStatus,
  ssoStateLine,
  klist,
} from './windows';
export type { WindowsDeviceConfig, WindowsOutcome, WindowsPolicy } from './windows';
export { smbListener, findSmbServer, smbNegotiate, smbSessionSetup, smbTreeConnect } from './smb';
export type { SmbSession } from './smb';
export { chooseRealm, hostRealmTableFor } from './realm';
export type { CloudNames, WindowsRealmChoice } from './realm';
export { dcc2, checkDcc2, DCC2_ITERATIONS } from './dcc2';

/**
 * The story's actors (ARCHITECTURE.md): Entra ID with the PRT and the cloud realm's KDC behind the KDC
 * proxy (entra.ts); the Windows host, whatever its join — its state and Kerberos set-up (windows-host.ts),
 * its logon session and LSA (windows.ts), CloudAP and dsregcmd (cloudap.ts), the commands at its prompt
 * (console.ts), its errors (windows-errors.ts) — and Windows' realm choice for an SPN (realm.ts); the SMB
 * server of a file share or Azure Files (smb.ts). What is not public (Entra's internals, SMB's own
 * messages) is modelled, labelled so in the trace, and keeps the Kerberos bytes standard.
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
export { addWindowsHost, windowsHost, windowsDevice, applyKerberosConfig } from './windows-host';
export type { WindowsHostConfig, WindowsOutcome, WindowsDevice } from './windows-host';
export { logon, lock, unlock, reboot, setMapping, passwordChanged, ensureTgt } from './windows';
export {
  prtRefreshReason,
  refreshPrt,
  networkChange,
  setPolicy,
  dsregcmdStatus,
  ssoStateLine,
} from './cloudap';
export type { WindowsPolicy } from './cloudap';
export {
  netUse,
  klistGet,
  klistPurge,
  klist,
  klistLine,
  testNetConnection,
  dsregcmdStatusLine,
  applyHostRealmGpo,
} from './console';
export {
  shellPrompt,
  promptFor,
  setShell,
  klistTgt,
  netUseList,
  netUseDelete,
  rememberDrive,
  afterLogon,
  whoami,
  whoamiGroups,
  logonServer,
  showLogonServer,
  nltestDsgetdc,
  gpupdate,
} from './shell';
export type { ShellKind } from './shell';
export { setAllowedEtypes, inWindowsOrder, GPO_ETYPES, GPO_ETYPE_NAMES } from './enctypes-gpo';
export { WINDOWS_ERRORS, systemError, LOGON_ERRORS } from './windows-errors';
export { smbListener, findSmbServer, smbNegotiate, smbSessionSetup, smbTreeConnect } from './smb';
export type { SmbSession } from './smb';
export { chooseRealm, hostRealmTableFor } from './realm';
export type { CloudNames, WindowsRealmChoice } from './realm';
export { dcc2, checkDcc2, DCC2_ITERATIONS } from './dcc2';
export { passTime, clockMarks, MAX_HAPPENINGS } from './on-its-own';
export type { ClockMark } from './on-its-own';
export { setUpCloudTrust, helloLogon, rotateKerberosServerKey, kerberosServerStatus } from './cloud-trust';
export { setMfaPolicy, setAssignmentRequired } from './conditional-access';

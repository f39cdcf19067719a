/**
 * Everything the world holds, as plain data: `World.snapshot()` is a structuredClone of a `WorldState`
 * and `World.restore` takes one back, so stepping back is a restore and a restored world plays on exactly
 * as the original would. Behaviour lives elsewhere — the KDC in src/kdc, the Kerberos client in
 * src/client, Windows and Entra in src/azure — and reads and writes this state through the World's
 * methods. Each host carries its own state: its Kerberos client, its own view of where the KDCs are, and
 * Windows (the LSA's logon session and caches, its GPOs, CloudAP).
 */
import type { SecurityEvent } from './security-log';
import type { Smb2ConnectionState } from '../smb2';
import type { PendingTamper } from './tamper';
import type { CachedCredential, ClientSnapshot } from '../client';
import type { KdcState, KeyEntry } from '../kdc';
import type { ServiceState } from '../services';
import type { RandomState } from './random';
import type { TraceEvent, Transport } from './trace';

export interface HostState {
  id: string;
  /** DNS name ("ws1.corp.contoso.com"). */
  name: string;
  /** How far this host's clock is from the world's, ms (a skewed workstation: +6 min). */
  clockOffset: number;
  up: boolean;
  /** The Kerberos client on this host: its configuration (krb5.conf) and credential cache. */
  client?: ClientSnapshot;
  /**
   * This host's own KDC locator, over the world's (`WorldState.locator`, what DNS answers): an entry
   * says where this host finds a realm's KDC (krb5.conf's `kdc =`, a KDC proxy setting); `null` says it
   * finds none for that realm although DNS would answer (Windows reaches the cloud realm only through a
   * KDC proxy it has been told about).
   */
  locator?: Record<string, KdcLocation | null>;
  /** Windows on this host, when it runs Windows (src/azure/windows.ts). */
  windows?: WindowsHostState;
  /** A Linux host with MIT krb5's kinit, klist, kvno and kdestroy (world/linux-host.ts); no Windows. */
  linux?: LinuxHostState;
}

/** A Linux host's login and what its MIT tools need beside the Kerberos client. */
export interface LinuxHostState {
  /** The login user's principal ("alice@CORP.CONTOSO.COM"): kinit's name when no cache says another. */
  user: string;
  /** The password the user types at kinit's prompt. */
  password: string;
  /** The login's uid: its default credential cache is FILE:/tmp/krb5cc_<uid>. */
  uid: number;
}

export interface LinkState {
  a: string;
  b: string;
  up: boolean;
  /** One-way latency in ms (default: the network's). */
  latency?: number;
  /** Probability a packet is lost, 0–1. */
  loss?: number;
}

export interface NetworkState {
  /** Default one-way latency, ms. */
  latency: number;
  links: LinkState[];
  /** Ports a firewall drops on their way to a host ("an ISP blocks TCP 445"). */
  blocked: { host: string; port: number }[];
  /** Tampers waiting for the message each names (tamper.ts); absent when none was ever armed. */
  tampers?: PendingTamper[];
}

/** Where a realm's KDC is, and how clients reach it (MIT's [realms] kdc = …, or Windows' DC locator). */
export interface KdcLocation {
  host: string;
  transport: 'udp' | 'tcp' | 'kkdcp';
  /** For kkdcp: the proxy URL path (Entra: /<tenant>/kerberos). */
  proxyPath?: string;
}

export interface KdcActorState {
  id: string;
  host: string;
  state: KdcState;
  /**
   * Keys this KDC held earlier in the run and replaced (a password change, keys copied over): tickets made
   * with them may still be in a capture, so the keytab export writes them too (export.ts keytabEntries).
   */
  retired?: { principal: string; keys: KeyEntry[] }[];
  /** The DC's Security log: the audit events written for each exchange it answered (security-log.ts). */
  securityLog?: SecurityEvent[];
}

/** What an SMB server adds around the Kerberized service it runs (src/azure/smb.ts). */
export interface SmbShareState {
  /** The shares it serves (TREE_CONNECT to another name: STATUS_BAD_NETWORK_NAME); absent: any name. */
  shares?: string[];
  /** What it does when the client falls back to NTLM (modelled). */
  ntlm: 'refused' | 'accepted';
  /** Azure Files' authorization (share-level RBAC, the default permission, the storage key), when configured. */
  azure?: AzureFilesAuthzState;
  /** The files and folders of each share (by share name, lowercase), made on first use. */
  files?: Record<string, FileNodeState[]>;
  /** The SMB sessions it holds, each with the identity SESSION_SETUP authenticated (src/azure/files-authz.ts). */
  sessions?: SmbSessionState[];
  /** The NTLMSSP CHALLENGE (hex) sent to each host, awaiting its AUTHENTICATE (the storage account key). */
  ntlmChallenges?: Record<string, string>;
  /**
   * A storage account's SMB security setting "Kerberos ticket encryption" (src/azure/ticket-encryption.ts):
   * the ticket enctypes SESSION_SETUP accepts. Absent: both, RC4-HMAC and AES-256 (Maximum compatibility).
   */
  ticketEncryption?: TicketEncryption[];
}

/** The values of Azure Files' "Kerberos ticket encryption" setting. */
export type TicketEncryption = 'RC4-HMAC' | 'AES-256';

/** A share-level permission: an RBAC role or the default permission, by the name Azure gives it. */
export interface ShareRoleAssignmentState {
  /** Who: a user ("alice@CORP.CONTOSO.COM") or a SID (a synced user or group). */
  principal: string;
  role: string;
  /** When it takes effect (virtual ms: the assignment plus the propagation delay). */
  effectiveAt: number;
  /** When its removal takes effect, if removed. */
  removedAt?: number;
}

export interface AzureFilesAuthzState {
  /** The storage account's name ("contosofiles"): the user name of `localhost\contosofiles`. */
  account: string;
  /** The storage account key, for the admin's NTLMv2 sign-in as localhost\account (modelled). */
  accountKey?: string;
  /** The default share-level permission, each value from when it takes effect (the last one in force wins). */
  defaults: { value: string; effectiveAt: number }[];
  roles: ShareRoleAssignmentState[];
  /** How long a role change takes to reach the file service, ms (Microsoft: up to hours). */
  propagationMs: number;
}

/** One access control entry (an icacls line): allow or deny rights (a mask) to a SID. */
export interface AceState {
  type: 'allow' | 'deny';
  sid: string;
  mask: number;
  /** Inherited by the folder's files and subfolders ((OI)(CI)). */
  inherit?: boolean;
}

/** A file or folder of a share ("" is the share's root). */
export interface FileNodeState {
  path: string;
  dir: boolean;
  content?: string;
  /** The explicit ACEs (the inherited ones come from the folders above, unless protected). */
  acl: AceState[];
  /** Inheritance disabled (icacls /inheritance:r). */
  protected?: boolean;
  owner?: string;
  modified: number;
}

/** A session SESSION_SETUP opened: who it is, as the server's check of the ticket (or the key) found. */
export interface SmbSessionState {
  id: number;
  /** The client host that opened it. */
  host: string;
  principal: string;
  /** The user's SID and group SIDs, from the PAC the service validated (absent for the storage key). */
  userSid?: string;
  groupSids: string[];
  /** Signed in with the storage account key: superuser, no ACL applies. */
  superuser?: boolean;
  /** The shares TREE_CONNECT opened on it. */
  trees: string[];
}

export interface ServiceActorState {
  id: string;
  host: string;
  port: number;
  transport: Transport;
  state: ServiceState;
  /** Present when the service is an SMB server (a file share: on-prem, or Azure Files). */
  smb?: SmbShareState;
}

// ---- Windows (src/azure/windows.ts) ------------------------------------------------------------------

/** How a Windows host is joined: to Active Directory only, to Entra ID, or to both (hybrid). */
export type JoinType = 'ad' | 'entra' | 'hybrid';

export interface WindowsPolicyState {
  /** GPO "Define host name-to-Kerberos realm mappings": "host" or ".suffix" → realm. */
  hostRealm: Record<string, string>;
  /** GPO "Allow retrieving the cloud kerberos ticket during the logon". */
  cloudKerberosTicketRetrieval: boolean;
  /** GPO "Specify KDC proxy servers for Kerberos clients" names the cloud realm's proxy. */
  kdcProxy: boolean;
  /**
   * On a host that is not Entra-joined: the cloud realm and its top-level names (KerbTopLevelNames) set
   * by policy, which send matching hosts to that realm after the explicit mappings.
   */
  topLevelNames?: { realm: string; topLevelNames: string[] };
  /**
   * GPO "Network security: Configure encryption types allowed for Kerberos" (absent: not configured): the
   * only enctypes the client offers in its AS-REQs and TGS-REQs, in Windows' order.
   */
  allowedEtypes?: number[];
  /** The client's own enctype list before that GPO was configured, given back when it is cleared. */
  etypesBeforeGpo?: number[];
}

export interface PrtState {
  id: string;
  updateTime: number;
  expiresAt: number;
}

/** CloudAP, the LSA's plugin for Entra on an Entra-joined or hybrid-joined host. */
export interface CloudApState {
  /** A boot happened since CloudAP last spoke to Entra. */
  freshBoot: boolean;
  prt?: PrtState;
  /** `dsregcmd /RefreshPrt` was run: the next logon or unlock refreshes the PRT. */
  refreshPending: boolean;
  /** What the last PRT response brought for Kerberos (CloudAP keeps it in memory). */
  cloud?: { realm: string; topLevelNames: string[]; kdcProxy: string; tgt?: CachedCredential };
  /** Kerberos knows how to reach the cloud realm's KDC (its KDC proxy). */
  kdcProxyKnown: boolean;
  /** Cloud Kerberos trust: the partial TGT of the last PRT response, until a DC exchanges it. */
  partialTgt?: CachedCredential;
}

export interface WindowsHostState {
  join: JoinType;
  /** The user who signs in here ("alice@CORP.CONTOSO.COM"). */
  user: string;
  /** The password the LSA holds for the user (it signs in again with it when the TGT is gone). */
  password: string;
  session: 'signed-out' | 'active' | 'locked';
  /** The logon session's LogonId as klist prints it ("0:0x2d4c1"), new at each sign-in; absent signed out. */
  logonId?: string;
  logonKind?: 'online' | 'cached';
  /**
   * The session began with a Windows Hello PIN: the LSA holds no password for it, so it renews the on-prem
   * TGT (src/azure/on-its-own.ts) instead of signing in again.
   */
  pinLogon?: boolean;
  /** DCC2 of the last online logon, hex (Entra and hybrid hosts keep one). */
  cachedVerifier?: string;
  policy: WindowsPolicyState;
  /** Mapped drives: "Z:" → "\\server\share". */
  drives: Record<string, string>;
  /** Drives mapped with /persistent:yes: remembered, and reconnected at the next sign-in. */
  persistent?: Record<string, string>;
  /** The console's prompt: cmd (absent) or PowerShell, switched by typing `powershell`, `cmd`, `exit`. */
  shell?: 'cmd' | 'powershell';
  /**
   * The logon token's SIDs (`whoami /groups`): the user and groups the PAC of the logon's TGT carried,
   * fixed until the next online logon; a cached logon keeps the last one.
   */
  token?: { userSid?: string; groupSids: string[] };
  /** %LOGONSERVER%: "\\DC1", the DC that answered the last online sign-in. */
  logonServer?: string;
  /** Entra-joined and hybrid-joined hosts. */
  cloudAp?: CloudApState;
  /** The Windows release (absent: a current Windows 11); Entra Kerberos for cloud-only users needs 11 or Server 2025. */
  os?: WindowsRelease;
}

/** The Windows releases a scenario names (what a cloud-only user's Entra Kerberos depends on). */
export type WindowsRelease = 'windows-11' | 'windows-10' | 'server-2025' | 'server-2022';

// ---- Entra ID (src/azure/entra.ts) -------------------------------------------------------------------

export interface EntraConfig {
  /** The world host that stands for login.microsoftonline.com (it runs the cloud realm's KDC). */
  host: string;
  tenantId: string;
  realm: string;
  /** KerbTopLevelNames handed to Kerberos with the cloud TGT (".windows.net"). */
  topLevelNames: string[];
  /** Windows Hello for Business cloud Kerberos trust (src/azure/cloud-trust.ts). */
  cloudTrust?: { domain: string; rodcId: number; allowed: string[]; denied: string[] };
  /** Users who exist only in Entra (no AD account): the cloud realm is their only realm (src/azure/cloud-only.ts). */
  cloudOnlyUsers?: CloudOnlyUser[];
}

/** A cloud-only Entra user: its SIDs come from object IDs (src/azure/cloud-sid.ts). */
export interface CloudOnlyUser {
  /** The account name in the cloud realm ("bob" is bob@KERBEROS.MICROSOFTONLINE.COM to Kerberos). */
  name: string;
  /** Its sign-in name in Entra ("bob@contoso.onmicrosoft.com"). */
  upn: string;
  /** Its Entra object ID (a GUID): its SID is S-1-12-1 and the ID's four 32-bit numbers. */
  objectId: string;
  /** Its Entra password (Entra checks it at sign-in, modelled). */
  password: string;
  /** Object IDs of the Entra groups it belongs to: their cloud SIDs join the PAC. */
  groups?: string[];
  fullName?: string;
}

/** Entra's copy of the AzureADKerberos object's key (src/azure/cloud-trust.ts, modelled). */
export interface KerberosServerState {
  domain: string;
  rodcId: number;
  account: string;
  /** The key version Entra holds (CloudKeyVersion), and the key (AES-256). */
  cloudKeyVersion: number;
  key: Uint8Array;
}

/** Conditional Access as modelled on the cloud realm's TGS exchange (src/azure/conditional-access.ts). */
export interface ConditionalAccessState {
  /** Storage apps (cifs SPNs) an MFA policy covers. */
  mfa: string[];
  /** Apps that require user assignment, and the users assigned to each. */
  assignment: Record<string, string[]>;
}

export interface EntraState extends EntraConfig {
  /** The KDC proxy as Windows is told it: "login.microsoftonline.com:443:/<tenant>/kerberos". */
  kdcProxy: string;
  prtsIssued: number;
  kerberosServer?: KerberosServerState;
  conditionalAccess?: ConditionalAccessState;
}

// ---- the whole --------------------------------------------------------------------------------------

/**
 * What a layer above the world notes about a trace event: the Windows error a console showed for it. Kept
 * beside the event (by seq), so the event stays what crossed the wire.
 */
export interface TraceNote {
  windowsError?: number;
}

export interface WorldState {
  /** The world's virtual time, ms since the epoch. */
  now: number;
  random: RandomState;
  hosts: HostState[];
  network: NetworkState;
  /** Where each realm's KDC is, as DNS answers it (a host's own locator goes first). */
  locator: Record<string, KdcLocation>;
  kdcs: KdcActorState[];
  services: ServiceActorState[];
  /** Entra ID, when the world has it. */
  entra?: EntraState;
  trace: TraceEvent[];
  /** Notes on trace events, by seq. */
  notes: Record<number, TraceNote>;
  /** The SMB2 connections hosts hold, "host>service" → the connection's state (src/smb2). */
  smb?: Record<string, Smb2ConnectionState>;
  /** How many interactive logon sessions the world's Windows hosts have started (each takes the next LogonId). */
  logonSessions?: number;
}

/**
 * The rules the playground knows, checked against a pasted case: each finding says what the paste shows,
 * why it matters, what to do, and where the rule comes from (an entry of docs/modelled.md, Microsoft's
 * documents, the catalogue scenario that plays it). Times in a paste have no zone: Windows klist writes
 * local time, dsregcmd UTC; the playground's hosts keep UTC, so the two agree in its own output.
 */
import { formatDuration, isoSeconds } from '../asn1/time';
import { CLOUD_REALM, PRT_REFRESH_INTERVAL } from '../azure';
import { RC4_PHASE_DATES } from '../kdc/rc4-phase';
import type { PastedCase } from './case';

export type FindingId =
  | 'cloud-tgt-expired'
  | 'cloud-tgt-policy-off'
  | 'prt-older-than-4h'
  | 'rc4-ticket'
  | 'clock-skew'
  | 'no-storage-ticket';

export interface Finding {
  id: FindingId;
  severity: 'problem' | 'warning' | 'note';
  /** One line: what the paste shows. */
  title: string;
  /** Why, and what to do. */
  reason: string;
  /** The docs/modelled.md entry (its anchor) the rule rests on, when there is one. */
  modelled?: string;
  sources: { text: string; url: string }[];
  /** The catalogue scenario that plays this case. */
  scenario?: string;
}

/** A ticket of any listing, its server written "service/host@REALM". */
export interface CaseTicket {
  server: string;
  start?: number;
  end?: number;
  expired: boolean;
  etypes: string[];
}

/** The time the rules judge the paste at: the one the engineer gave, or the latest time the paste shows. */
export interface CaseClock {
  now: number;
  given: boolean;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
/** The cloud TGT's 10 hours (docs/modelled.md, Cloud TGT flags). */
const CLOUD_TGT_LIFE = 10 * HOUR;
/** Kerberos' default tolerance for clocks apart (Windows' "Maximum tolerance for computer clock synchronization"). */
const MAX_SKEW = 5 * MIN;
const CLOUD_TGT = `krbtgt/${CLOUD_REALM}@`.toLowerCase();
const STORAGE = /^cifs\/[^@\s]+\.file\.core\.windows\.net@/i;
const RC4 = /rc4|arcfour/i;

const AZURE_FILES_TROUBLESHOOT = {
  text: 'Troubleshoot Azure Files identity-based authentication (SMB)',
  url: 'https://learn.microsoft.com/en-us/troubleshoot/azure/azure-storage/files/security/files-troubleshoot-smb-authentication',
};
const ENTRA_KERBEROS = {
  text: 'Enable Microsoft Entra Kerberos for Azure Files',
  url: 'https://learn.microsoft.com/en-us/azure/storage/files/storage-files-identity-auth-hybrid-identities-enable',
};
const PRT_DOC = {
  text: 'Primary Refresh Token',
  url: 'https://learn.microsoft.com/en-us/entra/identity/devices/concept-primary-refresh-token',
};
const RC4_DOC = {
  text: 'KB5073381, Kerberos KDC usage of RC4 (CVE-2026-20833)',
  url: 'https://support.microsoft.com/en-us/topic/how-to-manage-kerberos-kdc-usage-of-rc4-for-service-account-ticket-issuance-changes-related-to-cve-2026-20833-1ebcda33-720a-4da8-93c1-b0496e1910dc',
};
const SKEW_DOC = {
  text: 'Maximum tolerance for computer clock synchronization',
  url: 'https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-10/security/threat-protection/security-policy-settings/maximum-tolerance-for-computer-clock-synchronization',
};

/** Every ticket the case's listings show, whatever command listed it. */
export function caseTickets(c: PastedCase): CaseTicket[] {
  const out: CaseTicket[] = [];
  for (const k of c.windowsKlists)
    for (const t of k.tickets)
      out.push({
        server: (t.server ?? '').replace(' @ ', '@'),
        start: t.start?.ms,
        end: t.end?.ms,
        expired: t.expired === true,
        etypes: [t.ticketEtype, t.sessionKeyType].filter((e): e is string => e !== undefined),
      });
  for (const k of c.klistTgts)
    if (k.serviceName !== undefined)
      out.push({
        server: `${k.serviceName}/${k.targetDomainName ?? k.domainName ?? ''}@${k.domainName ?? ''}`,
        start: k.start?.ms,
        end: k.end?.ms,
        expired: k.expired === true,
        etypes: k.sessionKeyType !== undefined ? [k.sessionKeyType] : [],
      });
  for (const k of c.mitKlists)
    for (const t of k.tickets)
      out.push({
        server: t.server,
        start: t.start.ms,
        end: t.end.ms,
        expired: t.expired === true,
        etypes: [t.skeyEtype, t.ticketEtype].filter((e): e is string => e !== undefined),
      });
  return out;
}

/** The rules' clock: the time given, else the latest ticket start or PRT update the paste shows. */
export function caseClock(c: PastedCase, takenAt?: number): CaseClock | undefined {
  if (takenAt !== undefined) return { now: takenAt, given: true };
  const times = [
    ...caseTickets(c).map((t) => t.start),
    ...c.dsregcmds.map((d) => d.sso.prtUpdateTime),
  ].filter((t): t is number => t !== undefined);
  return times.length ? { now: Math.max(...times), given: false } : undefined;
}

const ago = (ms: number) => formatDuration(Math.floor(ms / MIN) * MIN);
const at = (ms: number) => isoSeconds(ms).replace('T', ' ').replace('Z', '');

interface RuleInput {
  c: PastedCase;
  tickets: CaseTicket[];
  clock: CaseClock | undefined;
}

type Rule = (input: RuleInput) => Finding[];

/** The PRT's last update, when a dsregcmd shows one. */
const prtUpdate = (c: PastedCase) => c.dsregcmds.map((d) => d.sso.prtUpdateTime).find((t) => t !== undefined);

/** What brings a new cloud TGT, given how old the PRT is. */
function unlockAdvice(c: PastedCase, now: number): string {
  const updated = prtUpdate(c);
  if (updated !== undefined && now - updated < PRT_REFRESH_INTERVAL)
    return `The PRT was updated ${ago(now - updated)} before: an unlock within 4 h of that brings no new PRT; run dsregcmd /RefreshPrt, then lock and unlock.`;
  return 'Lock and unlock (or sign out and in): CloudAP asks Entra for a new PRT, which brings a new cloud TGT.';
}

const cloudTgtExpired: Rule = ({ c, tickets, clock }) => {
  const cloud = tickets.filter((t) => t.server.toLowerCase().startsWith(CLOUD_TGT));
  if (!clock) return [];
  const { now } = clock;
  const live = cloud.some((t) => !t.expired && (t.end === undefined || t.end > now));
  const ended = cloud.map((t) => t.end).filter((e): e is number => e !== undefined && e <= now);
  const prt = prtUpdate(c);
  const dsregSays = c.dsregcmds.some(
    (d) => d.sso.cloudTgt === false && (d.sso.kerbTopLevelNames?.length ?? 0) > 0,
  );
  let end: number | undefined = ended.length ? Math.max(...ended) : undefined;
  if (end === undefined && dsregSays && prt !== undefined && prt + CLOUD_TGT_LIFE <= now)
    end = prt + CLOUD_TGT_LIFE;
  if (live || end === undefined) return [];
  return [
    {
      id: 'cloud-tgt-expired',
      severity: 'problem',
      title: `The cloud TGT expired ${ago(now - end)} ago (at ${at(end)}) and Entra does not renew it`,
      reason:
        'A cloud TGT lives 10 hours and Entra does not renew it: until a new one comes with a new PRT, no ' +
        'ticket for Azure Files can be had and a mount falls back to NTLM, which Azure Files refuses for ' +
        `Entra identities (system error 1326). ${unlockAdvice(c, now)}`,
      modelled: 'cloud-tgt-renewal',
      sources: [AZURE_FILES_TROUBLESHOOT, PRT_DOC],
      scenario: 'tgt-expiry-10h',
    },
  ];
};

const cloudTgtPolicyOff: Rule = ({ c }) =>
  c.dsregcmds
    .filter(
      (d) => d.sso.cloudTgt === false && d.sso.azureAdPrt === true && d.sso.kerbTopLevelNames?.length === 0,
    )
    .slice(0, 1)
    .map(() => ({
      id: 'cloud-tgt-policy-off',
      severity: 'problem',
      title: 'CloudTgt is NO and KerbTopLevelNames is empty: the device does not ask for a cloud TGT',
      reason:
        'The device has a PRT but Windows did not ask Entra for a cloud Kerberos ticket: the policy "Allow ' +
        'retrieving the cloud kerberos ticket during the logon" (Administrative Templates > System > ' +
        'Kerberos, or CloudKerberosTicketRetrievalEnabled) is not enabled. Enable it, then sign out and in.',
      modelled: 'entra-prt-exchange',
      sources: [ENTRA_KERBEROS],
      scenario: 'policy-off',
    }));

const prtOld: Rule = ({ c, clock }) => {
  const updated = prtUpdate(c);
  if (!clock || updated === undefined || clock.now - updated < PRT_REFRESH_INTERVAL) return [];
  return [
    {
      id: 'prt-older-than-4h',
      severity: 'note',
      title: `The PRT was last updated ${ago(clock.now - updated)} ago (at ${at(updated)}), more than 4 h`,
      reason:
        'CloudAP asks Entra for a new PRT at a sign-in or an unlock once the PRT is 4 hours old or more; ' +
        'until then it keeps the one it has, and the cloud TGT that came with it. The next unlock will ' +
        'update the PRT and bring a new cloud TGT.',
      modelled: 'entra-prt-exchange',
      sources: [PRT_DOC],
      scenario: 'cached-logon-4h-gap',
    },
  ];
};

const rc4Tickets: Rule = ({ tickets }) => {
  const rc4 = tickets.filter(
    (t) => t.start !== undefined && t.start >= RC4_PHASE_DATES.audit && t.etypes.some((e) => RC4.test(e)),
  );
  if (rc4.length === 0) return [];
  const enforced = rc4.some((t) => t.start! >= RC4_PHASE_DATES.enforced);
  const servers = [...new Set(rc4.map((t) => t.server))].join(', ');
  return [
    {
      id: 'rc4-ticket',
      severity: enforced ? 'problem' : 'warning',
      title: `RC4 is in use after ${enforced ? 'the April 2026 update' : 'the January 2026 update'}: ${servers}`,
      reason: enforced
        ? 'Since the 14 April 2026 update a DC issues AES-only service tickets to an account without ' +
          'msDS-SupportedEncryptionTypes (in a domain without DefaultDomainSupportedEncTypes); an account ' +
          'that has only an RC4 key then gets KDC_ERR_ETYPE_NOSUPP. Give the account AES keys (reset its ' +
          'password) and set msDS-SupportedEncryptionTypes.'
        : 'From the 13 January 2026 update DCs log KDCSVC events 201 and 202 for RC4 used only because an ' +
          'account has no msDS-SupportedEncryptionTypes; from April it is refused. Move the account to AES now.',
      modelled: 'rc4-phase-out',
      sources: [RC4_DOC],
      scenario: 'rc4-enforcement-2026',
    },
  ];
};

const clockSkew: Rule = ({ c, tickets, clock }) => {
  const skews = c.klistTgts
    .map((k) => k.timeSkewMinutes)
    .filter((m): m is number => m !== undefined && Math.abs(m) * MIN > MAX_SKEW);
  const ahead = clock?.given
    ? tickets.map((t) => t.start).filter((s): s is number => s !== undefined && s - clock.now > MAX_SKEW)
    : [];
  if (skews.length === 0 && ahead.length === 0) return [];
  const title = skews.length
    ? `klist tgt shows a time skew of ${skews[0]} minutes, more than Kerberos' 5`
    : `A ticket starts ${ago(Math.max(...ahead) - clock!.now)} after the paste's time: the clocks are apart`;
  return [
    {
      id: 'clock-skew',
      severity: 'problem',
      title,
      reason:
        "The client's clock and the KDC's (or the server's) are more than 5 minutes apart: a KDC answers " +
        'KRB_AP_ERR_SKEW (37) and a server refuses the AP-REQ. Sync the clock with the domain (w32tm /resync).',
      sources: [SKEW_DOC],
      scenario: 'clock-skew',
    },
  ];
};

const noStorageTicket: Rule = ({ c, tickets }) => {
  const listed = c.windowsKlists.length + c.mitKlists.length > 0;
  const entra =
    tickets.some((t) => t.server.toLowerCase().startsWith(CLOUD_TGT)) ||
    c.dsregcmds.some((d) => (d.sso.kerbTopLevelNames?.length ?? 0) > 0);
  if (!listed || !entra || tickets.some((t) => STORAGE.test(t.server))) return [];
  return [
    {
      id: 'no-storage-ticket',
      severity: 'warning',
      title: 'No cifs ticket for a storage account (cifs/ACCOUNT.file.core.windows.net) in the klist',
      reason:
        'The device uses Entra Kerberos but holds no service ticket for Azure Files: either no mount was ' +
        'tried in this logon session (a klist of another session: klist -li), or the mount got no ticket and ' +
        'fell back to NTLM (1326). Mount the share, then run klist again in the same session.',
      modelled: 'ntlm-fallback',
      sources: [AZURE_FILES_TROUBLESHOOT],
      scenario: 'tgt-expiry-10h',
    },
  ];
};

const RULES: Rule[] = [cloudTgtExpired, cloudTgtPolicyOff, prtOld, rc4Tickets, clockSkew, noStorageTicket];

/** Every rule checked against the case, at `takenAt` when the engineer gave the paste's time. */
export function caseFindings(
  c: PastedCase,
  takenAt?: number,
): { clock: CaseClock | undefined; findings: Finding[] } {
  const input: RuleInput = { c, tickets: caseTickets(c), clock: caseClock(c, takenAt) };
  return { clock: input.clock, findings: RULES.flatMap((rule) => rule(input)) };
}

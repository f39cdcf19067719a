/**
 * The DC's RC4 phase-out for service tickets (CVE-2026-20833, KB5073381), driven by the KDC's own clock —
 * the virtual calendar. Until then a Windows DC assumed RC4 for an account without
 * msDS-SupportedEncryptionTypes; the updates change that default in three steps:
 *
 * - from the January 13, 2026 update: audit. Nothing changes in what is issued; the DC writes KDCSVC events
 *   to its System log when a service ticket uses RC4 only because of that default: 201 (the client offers
 *   only RC4), 202 (the service account has no AES key);
 * - from the April 14, 2026 update: enforced by default. An account without the attribute, in a domain
 *   without DefaultDomainSupportedEncTypes, is treated as AES-only (AES-SHA1: enctypes 18 and 17). It gets
 *   an AES ticket when it has an AES key; without one the request is refused with KDC_ERR_ETYPE_NOSUPP (14)
 *   and events 203 (client) or 204 (account) are written;
 * - from the July 14, 2026 update: audit mode is gone (the RC4DefaultDisablementPhase rollback to 1 no
 *   longer exists); the behaviour is that of enforcement.
 *
 * A domain whose DefaultDomainSupportedEncTypes is set keeps it (the KB: "not functionally impacted").
 * Only realms that issue a PAC (Active Directory's) follow this; an MIT-style realm does not, nor a realm
 * whose policy says `rc4PhaseOut: false` (`krbplay kdc`'s, which is no Windows DC). The dates are
 * the updates' release days (Patch Tuesday): a DC in the playground is taken to install each on its day
 * (modelled: a real DC has them when its administrator installs them). docs/modelled.md, "rc4-phase-out".
 */
import { etypeName } from '../crypto';
import { ErrorCode } from '../asn1/registry';
import { formatPrincipal } from '../asn1/principal';
import type { KeyEntry, PrincipalEntry, RealmState } from './database';
import type { Narrator } from './events';
import { KdcRefusal } from './refusal';

export type Rc4Phase = 'before' | 'audit' | 'enforced' | 'final';

/** The days the updates came out, UTC (KB5073381; the April 2026 update's release notes). */
export const RC4_PHASE_DATES = {
  audit: Date.UTC(2026, 0, 13),
  enforced: Date.UTC(2026, 3, 14),
  final: Date.UTC(2026, 6, 14),
} as const;

/** AES-SHA1 (aes256-cts-hmac-sha1-96, aes128-cts-hmac-sha1-96): what "AES-only" means here. */
export const AES_SHA1 = [18, 17] as const;

export function rc4Phase(now: number): Rc4Phase {
  if (now >= RC4_PHASE_DATES.final) return 'final';
  if (now >= RC4_PHASE_DATES.enforced) return 'enforced';
  if (now >= RC4_PHASE_DATES.audit) return 'audit';
  return 'before';
}

const PHASE_WORDS: Record<Rc4Phase, string> = {
  before: 'before the January 2026 update',
  audit: 'audit phase (January 2026 update)',
  enforced: 'enforced by default (April 2026 update)',
  final: 'enforced, audit mode removed (July 2026 update)',
};

/** Whether `server`'s enctypes come from the phase-out's default: a service account of an AD realm, no attribute, no DDSET. */
function followsDefault(server: PrincipalEntry, db: RealmState): boolean {
  return (
    db.policy.pac &&
    db.policy.rc4PhaseOut !== false &&
    server.supportedEtypes === undefined &&
    db.policy.defaultSupportedEtypes === undefined &&
    server.name.nameString[0] !== 'krbtgt'
  );
}

/**
 * The enctypes assumed for `server` when it has no msDS-SupportedEncryptionTypes: the domain's
 * DefaultDomainSupportedEncTypes, AES-only once the phase-out is enforced, or undefined (the realm's list).
 */
export function implicitEtypes(server: PrincipalEntry, db: RealmState, now?: number): number[] | undefined {
  if (db.policy.defaultSupportedEtypes) return db.policy.defaultSupportedEtypes;
  if (now === undefined || !followsDefault(server, db)) return undefined;
  const phase = rc4Phase(now);
  return phase === 'enforced' || phase === 'final' ? [...AES_SHA1] : undefined;
}

const hasAes = (etypes: readonly number[]) => etypes.some((e) => (AES_SHA1 as readonly number[]).includes(e));

const event = (id: number, text: string) => `KDCSVC event ${id} in the DC's System log: ${text}`;

/**
 * Before a service ticket is issued, once the phase-out is enforced: an account left to the default that
 * has no AES key, or a client that offers no AES enctype, is refused (14), with the event the DC writes.
 */
export function enforceRc4Phase(
  requested: readonly number[],
  server: PrincipalEntry,
  db: RealmState,
  now: number,
  say: Narrator,
): void {
  if (!followsDefault(server, db)) return;
  const phase = rc4Phase(now);
  if (phase !== 'enforced' && phase !== 'final') return;
  const name = formatPrincipal(server);
  say.say(
    'policy',
    `RC4 phase-out (CVE-2026-20833), ${PHASE_WORDS[phase]}: ${name} has no msDS-SupportedEncryptionTypes and the domain no DefaultDomainSupportedEncTypes, so it is treated as AES-only (${AES_SHA1.map(etypeName).join(', ')})`,
  );
  if (!hasAes(server.keys.map((k) => k.etype))) {
    say.say(
      'policy',
      event(
        204,
        `RC4 blocked: ${name} has no AES key and no msDS-SupportedEncryptionTypes (reset its password to make AES keys)`,
      ),
      false,
    );
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_ETYPE_NOSUPP,
      `${name} is treated as AES-only since the April 2026 update, and has only ${server.keys.map((k) => etypeName(k.etype)).join(', ')} keys`,
    );
  }
  if (!hasAes(requested)) {
    say.say(
      'policy',
      event(203, `RC4 blocked: the client offers only ${requested.map(etypeName).join(', ')} for ${name}`),
      false,
    );
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_ETYPE_NOSUPP,
      `${name} is treated as AES-only since the April 2026 update, and the client offers no AES enctype`,
    );
  }
}

/**
 * After a service ticket is issued in the audit phase: when RC4 was used only because of the default,
 * the event the DC writes (nothing is refused).
 */
export function auditRc4Phase(
  server: PrincipalEntry,
  db: RealmState,
  now: number,
  used: { sessionEtype: number; ticketKey: KeyEntry },
  say: Narrator,
): void {
  if (!followsDefault(server, db) || rc4Phase(now) !== 'audit') return;
  const name = formatPrincipal(server);
  if (used.ticketKey.etype === 23 && !hasAes(server.keys.map((k) => k.etype))) {
    say.say(
      'policy',
      event(
        202,
        `RC4 used for ${name}: the account has no AES key and no msDS-SupportedEncryptionTypes (audit phase: issued; from the April 2026 update this is refused)`,
      ),
    );
  } else if (used.sessionEtype === 23) {
    say.say(
      'policy',
      event(
        201,
        `RC4 used for ${name}: the client offers only RC4 and the account has no msDS-SupportedEncryptionTypes (audit phase: issued; from the April 2026 update this is refused)`,
      ),
    );
  }
}

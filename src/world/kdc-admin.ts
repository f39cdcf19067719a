/**
 * The administrator's side of a KDC in the world: what kadmin (MIT) or Active Directory's tools do to its
 * database — read a principal's entries, change a password, rotate or copy a key, add a principal — and
 * Entra's own use of its KDC inside the modelled PRT step. Nothing above the world writes into a KDC's
 * state but through here.
 */
import type { SecurityEvent } from './security-log';
import { principalSalt, stringToKey, type Key } from '../crypto';
import type { EncryptedData } from '../asn1/common';
import {
  Kdc,
  type KdcContext,
  type KdcResult,
  type KeyEntry,
  type PrincipalEntry,
  type RealmState,
  type RodcEntry,
  type ServiceRule,
} from '../kdc';
import { parsePrincipal, sameName } from '../asn1/principal';
import { WorldError } from './errors';
import type { KdcActorState } from './state';
import { copyKey, keyOf } from '../protocol/long-term-key';

/** The keys a password makes for a principal, one per enctype, at one key version (RC4 has no salt). */
export function keysFromPassword(
  principal: string,
  password: string,
  etypes: readonly number[],
  kvno: number,
): KeyEntry[] {
  const p = parsePrincipal(principal);
  const salt = principalSalt(p.realm, p.name.nameString);
  return etypes.map((etype) => ({
    etype,
    kvno,
    key: stringToKey(etype, password, salt).bytes,
    ...(etype !== 23 ? { salt } : {}),
  }));
}

const nextKvno = (e: PrincipalEntry) => Math.max(...e.keys.map((k) => k.kvno)) + 1;

/** How many events a DC's Security log keeps (the newest), so a long run's log stays bounded. */
export const SECURITY_LOG_MAX = 10_000;

export class KdcAdmin {
  readonly #actor: KdcActorState;

  constructor(actor: KdcActorState) {
    this.#actor = actor;
  }

  /** The host the KDC runs on. */
  get host(): string {
    return this.#actor.host;
  }

  /** The DC's Security log, oldest first. */
  get securityLog(): readonly SecurityEvent[] {
    return this.#actor.securityLog ?? [];
  }

  /**
   * Writes one audit event to the DC's Security log. Like a Windows log set to "overwrite events as
   * needed", it keeps the newest SECURITY_LOG_MAX events and drops the oldest.
   */
  audit(event: SecurityEvent): void {
    const log = (this.#actor.securityLog ??= []);
    log.push(event);
    if (log.length > SECURITY_LOG_MAX) log.splice(0, log.length - SECURITY_LOG_MAX);
  }

  /** The realms it serves. */
  get realms(): string[] {
    return this.#actor.state.realms.map((r) => r.name);
  }

  /** Keys about to be replaced, kept for the keytab export (tickets made with them may be in a capture). */
  #retire(principal: string, keys: readonly KeyEntry[]): void {
    if (keys.length === 0) return;
    (this.#actor.retired ??= []).push({ principal, keys: keys.map(copyKey) });
  }

  #database(realm: string): RealmState | undefined {
    return this.#actor.state.realms.find((r) => r.name === realm);
  }

  #entries(principal: string, inRealm?: string): PrincipalEntry[] {
    const p = parsePrincipal(principal);
    const dbs =
      inRealm === undefined ? this.#actor.state.realms : [this.#database(inRealm)].filter((d) => !!d);
    return dbs.flatMap((db) => db.principals.filter((e) => e.realm === p.realm && sameName(e.name, p.name)));
  }

  /**
   * A principal's entries: in one realm's database, or in all this KDC serves (a cross-realm key sits in
   * both realms' databases).
   */
  entries(principal: string, inRealm?: string): readonly Readonly<PrincipalEntry>[] {
    return this.#entries(principal, inRealm);
  }

  /** The key of `principal` a ticket's part is sealed in (its enctype and, when given, its key version). */
  keyFor(principal: string, realm: string, sealed: Pick<EncryptedData, 'etype' | 'kvno'>): Key | undefined {
    const k = this.#entries(principal, realm)[0]?.keys.find(
      (k) => k.etype === sealed.etype && (sealed.kvno === undefined || k.kvno === sealed.kvno),
    );
    return k ? { etype: k.etype, bytes: keyOf(k) } : undefined;
  }

  /** Every principal in one realm's database. */
  principals(realm: string): readonly Readonly<PrincipalEntry>[] {
    return this.#database(realm)?.principals ?? [];
  }

  /**
   * A password change in the principal's own realm: new keys from the new password at the next key
   * version, in the given enctypes or the realm's. Returns the new kvno and enctypes of each entry changed.
   */
  changePassword(
    principal: string,
    password: string,
    etypes?: readonly number[],
  ): { kvno: number; etypes: number[] }[] {
    const realm = parsePrincipal(principal).realm;
    const db = this.#database(realm);
    if (!db) return [];
    return this.#entries(principal, realm).map((e) => {
      const kvno = nextKvno(e);
      this.#retire(principal, e.keys);
      e.keys = keysFromPassword(principal, password, etypes ?? db.policy.etypes, kvno);
      return { kvno, etypes: [...new Set(e.keys.map((k) => k.etype))] };
    });
  }

  /**
   * A new key version from a password, in the enctypes each entry has (this KDC only: another KDC holding
   * the principal is not told). The old versions stay beside it unless `keepOld` is false. Returns the
   * version made, or undefined when this KDC holds no such principal.
   */
  rotateKey(
    principal: string,
    password: string,
    options: { kvno?: number; keepOld?: boolean } = {},
  ): number | undefined {
    let kvno: number | undefined;
    for (const e of this.#entries(principal)) {
      kvno = options.kvno ?? nextKvno(e);
      const fresh = keysFromPassword(principal, password, [...new Set(e.keys.map((k) => k.etype))], kvno);
      const kept = options.keepOld === false ? [] : e.keys.filter((k) => k.kvno !== kvno);
      this.#retire(
        principal,
        e.keys.filter((k) => !kept.includes(k)),
      );
      e.keys = [...fresh, ...kept];
    }
    return kvno;
  }

  /** Replaces the keys of every entry of a principal (a key copied from another KDC). Returns how many. */
  setKeys(principal: string, keys: readonly KeyEntry[]): number {
    const entries = this.#entries(principal);
    for (const e of entries) {
      this.#retire(principal, e.keys);
      e.keys = keys.map(copyKey);
    }
    return entries.length;
  }

  /** A principal's group SIDs (what the PAC of its next TGT carries). Returns how many entries were changed. */
  setGroups(principal: string, groups: readonly string[]): number {
    const entries = this.#entries(principal);
    for (const e of entries) e.groups = [...groups];
    return entries.length;
  }

  /**
   * Sets an account's msDS-SupportedEncryptionTypes on every entry of a principal (undefined clears it:
   * the realm's default applies). Returns how many entries were changed.
   */
  setSupportedEtypes(principal: string, etypes: readonly number[] | undefined): number {
    const entries = this.#entries(principal);
    for (const e of entries) {
      if (etypes) e.supportedEtypes = [...etypes];
      else delete e.supportedEtypes;
    }
    return entries.length;
  }

  /** Sets DefaultDomainSupportedEncTypes of a realm this KDC serves (undefined clears it). False if none. */
  setDefaultSupportedEtypes(realm: string, etypes: readonly number[] | undefined): boolean {
    const db = this.#database(realm);
    if (!db) return false;
    if (etypes) db.policy.defaultSupportedEtypes = [...etypes];
    else delete db.policy.defaultSupportedEtypes;
    return true;
  }

  /** From now on this KDC refuses every renewal in `realm`, saying `why` (Entra's cloud realm, modelled). */
  refuseRenewals(realm: string, why: string): void {
    const db = this.#database(realm);
    if (!db) throw new WorldError(`the KDC on ${this.host} does not serve ${realm}`);
    db.policy.refuseRenewal = why;
  }

  /** Adds or replaces a read-only DC object in a realm this KDC serves (src/kdc/key-list.ts). */
  setRodc(realm: string, rodc: RodcEntry): void {
    const db = this.#database(realm);
    if (!db) throw new WorldError(`the KDC on ${this.host} does not serve ${realm}`);
    db.rodcs = [...(db.rodcs ?? []).filter((r) => r.id !== rodc.id), structuredClone(rodc)];
  }

  /** Replaces the modelled service rules of a realm this KDC serves (Conditional Access). */
  setServiceRules(realm: string, rules: readonly ServiceRule[]): void {
    const db = this.#database(realm);
    if (!db) throw new WorldError(`the KDC on ${this.host} does not serve ${realm}`);
    if (rules.length) db.serviceRules = rules.map((r) => ({ ...r }));
    else delete db.serviceRules;
  }

  /** Adds a principal to one of its realms' databases. */
  addPrincipal(realm: string, entry: PrincipalEntry): void {
    const db = this.#database(realm);
    if (!db) throw new WorldError(`the KDC on ${this.host} does not serve ${realm}`);
    db.principals.push(entry);
  }

  /** The KDC answers a request that did not come over the network (Entra's own AS exchange). */
  handle(request: Uint8Array, ctx: KdcContext): KdcResult {
    return new Kdc(this.#actor.state).handle(request, ctx);
  }
}

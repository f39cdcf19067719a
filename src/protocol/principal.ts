/**
 * Principal names as people write them ("cifs/fs1.example.test@EXAMPLE.TEST") and as the wire carries
 * them (PrincipalName {name-type, name-string} plus a separate realm, RFC 4120 §5.2.2, §6.2).
 */
import type { PrincipalName } from '../asn1';
import { KrbPlayInputError } from '../util/errors';

/** A principal with its realm. */
export interface Principal {
  realm: string;
  name: PrincipalName;
}

/** RFC 4120 §6.2 name types the playground uses. */
export const NT = {
  UNKNOWN: 0,
  PRINCIPAL: 1,
  SRV_INST: 2,
  SRV_HST: 3,
  ENTERPRISE: 10,
} as const;

/**
 * Parses "name/instance@REALM" (MIT syntax: "\" escapes "/", "@" and "\"). Without a realm, defaultRealm
 * is used. The name type defaults to NT-SRV-INST for krbtgt, NT-SRV-HST for other two-component names
 * (CLI.md: "two components: host-based"), and NT-PRINCIPAL otherwise.
 */
export function parsePrincipal(text: string, defaultRealm?: string, nameType?: number): Principal {
  const components: string[] = [];
  let current = '';
  let realm: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[++i];
      if (next === undefined) throw new KrbPlayInputError(`principal "${text}" ends with a lone backslash`);
      current += next === 'n' ? '\n' : next === 't' ? '\t' : next === '0' ? '\0' : next;
    } else if (c === '/' && realm === undefined) {
      components.push(current);
      current = '';
    } else if (c === '@' && realm === undefined) {
      components.push(current);
      current = '';
      realm = '';
    } else if (realm !== undefined) {
      if (c === '@') throw new KrbPlayInputError(`principal "${text}" has more than one "@"`);
      realm += c;
    } else {
      current += c;
    }
  }
  if (realm === undefined) components.push(current);
  else realm = current === '' ? realm : realm + current;
  if (realm === undefined || realm === '') {
    if (!defaultRealm)
      throw new KrbPlayInputError(`principal "${text}" has no realm (write it as name@REALM)`);
    realm = defaultRealm;
  }
  if (components.some((c) => c === ''))
    throw new KrbPlayInputError(`principal "${text}" has an empty name component`);
  const type =
    nameType ??
    (components[0] === 'krbtgt' ? NT.SRV_INST : components.length === 2 ? NT.SRV_HST : NT.PRINCIPAL);
  return { realm, name: { nameType: type, nameString: components } };
}

const escapeComponent = (s: string) => s.replace(/[\\/@]/g, (c) => `\\${c}`);

/** "name/instance" (MIT escaping), without the realm. */
export function formatName(name: PrincipalName): string {
  return name.nameString.map(escapeComponent).join('/');
}

/** "name/instance@REALM". */
export function formatPrincipal(p: Principal): string {
  return `${formatName(p.name)}@${p.realm.replace(/[\\@]/g, (c) => `\\${c}`)}`;
}

/** Same components (name types are not compared: RFC 4120 §6.2 says they are hints). */
export function sameName(a: PrincipalName, b: PrincipalName, caseInsensitive = false): boolean {
  if (a.nameString.length !== b.nameString.length) return false;
  return a.nameString.every((c, i) =>
    caseInsensitive ? c.toLowerCase() === b.nameString[i]!.toLowerCase() : c === b.nameString[i],
  );
}

/** The TGS principal krbtgt/REALM (RFC 4120 §7.3), as it is named in requests. */
export function krbtgtName(realm: string): PrincipalName {
  return { nameType: NT.SRV_INST, nameString: ['krbtgt', realm] };
}

/** krbtgt/X: the realm X a ticket-granting ticket is for, or undefined for any other name. */
export function tgsRealmOf(name: PrincipalName): string | undefined {
  return name.nameString.length === 2 && name.nameString[0] === 'krbtgt' ? name.nameString[1] : undefined;
}

/** The host of a host-based service name (cifs/host, HTTP/host), lowercase; undefined otherwise. */
export function hostOf(name: PrincipalName): string | undefined {
  if (name.nameString.length !== 2 || name.nameString[0] === 'krbtgt') return undefined;
  if (![NT.UNKNOWN, NT.SRV_INST, NT.SRV_HST].includes(name.nameType as 0 | 2 | 3)) return undefined;
  return name.nameString[1]!.toLowerCase();
}

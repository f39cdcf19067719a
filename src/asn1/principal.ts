/**
 * Principal names, in one place for every layer above: as people write them
 * ("cifs/fs1.example.test@EXAMPLE.TEST", MIT's krb5_parse_name and krb5_unparse_name syntax), as the wire
 * carries them (PrincipalName {name-type, name-string} plus a separate realm, RFC 4120 §5.2.2, §6.2), and
 * as the MIT file formats store them (keytab, ccache: the same name type, components and realm).
 */
import { KrbPlayInputError } from '../util/errors';
import type { PrincipalName } from './common';

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

/** The characters after a backslash that stand for control characters (MIT quoting). */
const UNESCAPE: Readonly<Record<string, string>> = { n: '\n', t: '\t', b: '\b', '0': '\0' };

/**
 * Parses "name/instance@REALM" (MIT syntax: "\" escapes "/", "@" and "\"; "\n", "\t", "\b", "\0" are
 * control characters). Without a realm, defaultRealm is used. The name type defaults to NT-SRV-INST for
 * krbtgt, NT-SRV-HST for other two-component names (CLI.md: "two components: host-based"), and
 * NT-PRINCIPAL otherwise.
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
      current += UNESCAPE[next] ?? next;
    } else if (c === '@') {
      if (realm !== undefined) throw new KrbPlayInputError(`principal "${text}" has more than one "@"`);
      components.push(current);
      current = '';
      realm = '';
    } else if (c === '/' && realm === undefined) {
      components.push(current);
      current = '';
    } else {
      current += c; // a name component's character, or the realm's once "@" was read
    }
  }
  if (realm === undefined) components.push(current);
  else realm = current;
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

/** One component or the realm with MIT's quoting (krb5_unparse_name): "\", "@" and, in names, "/". */
function quote(text: string, inRealm: boolean): string {
  let out = '';
  for (const ch of text) {
    if (ch === '\\' || ch === '@' || (!inRealm && ch === '/')) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\0') out += '\\0';
    else out += ch;
  }
  return out;
}

/** "name/instance" (MIT quoting), without the realm. */
export function formatName(name: PrincipalName): string {
  return name.nameString.map((c) => quote(c, false)).join('/');
}

/** "name/instance@REALM", quoted the way MIT's klist prints it. */
export function formatPrincipal(p: Principal): string {
  return `${formatName(p.name)}@${quote(p.realm, true)}`;
}

/** Same components (name types are not compared: RFC 4120 §6.2 says they are hints). */
export function sameName(a: PrincipalName, b: PrincipalName, caseInsensitive = false): boolean {
  if (a.nameString.length !== b.nameString.length) return false;
  return a.nameString.every((c, i) =>
    caseInsensitive ? c.toLowerCase() === b.nameString[i]!.toLowerCase() : c === b.nameString[i],
  );
}

/** Same realm and components, name type ignored (MIT's krb5_principal_compare). */
export function samePrincipal(a: Principal, b: Principal): boolean {
  return a.realm === b.realm && sameName(a.name, b.name);
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

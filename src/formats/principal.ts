/**
 * A principal as the MIT file formats store it: a name type (RFC 4120 §6.2), the name components and
 * the realm. Strings are UTF-8 on disk (RFC 4120 §5.2.1 KerberosString, as MIT and Windows write it).
 */

export interface Principal {
  /** NT-PRINCIPAL (1), NT-SRV-INST (2), NT-SRV-HST (3), NT-ENTERPRISE (10), … (RFC 4120 §6.2). */
  readonly nameType: number;
  readonly components: readonly string[];
  readonly realm: string;
}

/** One component or realm with MIT's quoting: `\`, `/` and `@` are escaped (krb5_unparse_name). */
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

/** "name/instance@REALM", quoted the way MIT's `klist` prints it. */
export function principalToString(p: Principal): string {
  const name = p.components.map((c) => quote(c, false)).join('/');
  return `${name}@${quote(p.realm, true)}`;
}

/**
 * Parses "name/instance@REALM" (MIT quoting understood). Without a realm, `defaultRealm` is used.
 * The name type defaults to NT-PRINCIPAL (1); pass another when it matters (NT-SRV-HST is 3).
 */
export function parsePrincipal(text: string, nameType = 1, defaultRealm = ''): Principal {
  const components: string[] = [];
  let current = '';
  let realm: string | undefined;
  const unescape: Record<string, string> = { n: '\n', t: '\t', b: '\b', '0': '\0' };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[++i]!;
      current += unescape[next] ?? next;
    } else if (ch === '/' && realm === undefined) {
      components.push(current);
      current = '';
    } else if (ch === '@' && realm === undefined) {
      components.push(current);
      current = '';
      realm = '';
    } else {
      current += ch;
    }
  }
  if (realm === undefined) components.push(current);
  else realm = current;
  return { nameType, components, realm: realm ?? defaultRealm };
}

/** Whether two principals name the same thing (name type ignored, as MIT's krb5_principal_compare). */
export function samePrincipal(a: Principal, b: Principal): boolean {
  return (
    a.realm === b.realm &&
    a.components.length === b.components.length &&
    a.components.every((c, i) => c === b.components[i])
  );
}

/**
 * Which realm to ask for a host's service (Windows' order, PROTOCOL-NOTES.md): an explicit host-to-realm
 * mapping wins (an exact host name, then the longest ".suffix", like MIT's [domain_realm] and the GPO
 * "Define host name-to-Kerberos realm mappings"); otherwise the home realm, asked with canonicalize so
 * that its KDC can answer with a referral (RFC 6806 §8).
 */

export interface RealmChoice {
  realm: string;
  /** exact: the host is in the table; suffix: a ".domain" entry matched; home: nothing matched. */
  how: 'exact' | 'suffix' | 'home';
  /** The table entry that decided ("fs1.example.test", ".other.test"). */
  rule?: string;
}

export function realmForHost(
  host: string,
  table: Readonly<Record<string, string>> | undefined,
  homeRealm: string,
): RealmChoice {
  const h = host.toLowerCase().replace(/\.$/, '');
  const entries = Object.entries(table ?? {}).map(([k, v]) => [k.toLowerCase(), v] as const);
  const exact = entries.find(([k]) => !k.startsWith('.') && k === h);
  if (exact) return { realm: exact[1], how: 'exact', rule: exact[0] };
  let best: readonly [string, string] | undefined;
  for (const e of entries) {
    if (e[0].startsWith('.') && h.endsWith(e[0]) && (!best || e[0].length > best[0].length)) best = e;
  }
  if (best) return { realm: best[1], how: 'suffix', rule: best[0] };
  return { realm: homeRealm, how: 'home' };
}

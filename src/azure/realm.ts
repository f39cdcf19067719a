/**
 * Which realm Windows asks for a service's ticket (PROTOCOL-NOTES.md, "Windows client behaviour"):
 *
 *   1. an explicit host-to-realm mapping (GPO "Define host name-to-Kerberos realm mappings",
 *      `ksetup /addhosttorealmmap`) wins: an exact host, else the longest ".suffix";
 *   2. then the cloud realm's top-level names (KerbTopLevelNames, handed to Kerberos with the cloud TGT);
 *   3. then the home realm, asked with canonicalize so that its KDC can refer the client on (RFC 6806 §8).
 *
 * Only the first rule is documented; the order of the other two is inferred, and the tests pin it down.
 * The Kerberos client itself (src/client/realm.ts) knows one table and longest-match; `hostRealmTableFor`
 * builds the table whose longest match gives exactly this precedence.
 */

export interface CloudNames {
  realm: string;
  /** ".windows.net": suffixes the cloud realm serves. */
  topLevelNames: readonly string[];
}

export interface WindowsRealmChoice {
  realm: string;
  how: 'mapping' | 'cloud-top-level-name' | 'home';
  /** The mapping key or top-level name that decided. */
  rule?: string;
}

const norm = (host: string) => host.toLowerCase().replace(/\.$/, '');

/** The best explicit mapping for a host: an exact entry, else the longest matching ".suffix". */
function explicitMatch(
  host: string,
  mapping: Readonly<Record<string, string>>,
): { key: string; realm: string } | undefined {
  const h = norm(host);
  const entries = Object.entries(mapping).map(([k, v]) => [k.toLowerCase(), v] as const);
  const exact = entries.find(([k]) => !k.startsWith('.') && k === h);
  if (exact) return { key: exact[0], realm: exact[1] };
  let best: readonly [string, string] | undefined;
  for (const e of entries) {
    if (e[0].startsWith('.') && h.endsWith(e[0]) && (!best || e[0].length > best[0].length)) best = e;
  }
  return best ? { key: best[0], realm: best[1] } : undefined;
}

/** The realm Windows asks for `host`'s services, and which rule decided. */
export function chooseRealm(
  host: string,
  opts: { mapping?: Readonly<Record<string, string>>; cloud?: CloudNames; home: string },
): WindowsRealmChoice {
  const explicit = explicitMatch(host, opts.mapping ?? {});
  if (explicit) return { realm: explicit.realm, how: 'mapping', rule: explicit.key };
  const h = norm(host);
  const tln = opts.cloud?.topLevelNames
    .map((t) => t.toLowerCase())
    .filter((t) => h.endsWith(t))
    .sort((a, b) => b.length - a.length)[0];
  if (tln && opts.cloud) return { realm: opts.cloud.realm, how: 'cloud-top-level-name', rule: tln };
  return { realm: opts.home, how: 'home' };
}

/**
 * The host-to-realm table for the Kerberos client: the explicit mappings, plus each top-level name, which
 * points at the cloud realm unless an explicit suffix covers it (then at that mapping's realm, since an
 * explicit mapping wins over a top-level name even when it is the shorter suffix). Longest-match over this
 * table gives `chooseRealm`'s answer for every host.
 */
export function hostRealmTableFor(
  mapping: Readonly<Record<string, string>> | undefined,
  cloud: CloudNames | undefined,
): Record<string, string> | undefined {
  const table: Record<string, string> = {};
  const explicit = Object.fromEntries(Object.entries(mapping ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  for (const t of cloud?.topLevelNames ?? []) {
    const key = t.toLowerCase();
    // a suffix covers the top-level name when the name ends with it ("x.windows.net" and ".windows.net" alike)
    const cover = explicitMatch(
      `x${key}`,
      Object.fromEntries(Object.entries(explicit).filter(([k]) => k.startsWith('.'))),
    );
    table[key] = cover ? cover.realm : cloud!.realm;
  }
  Object.assign(table, explicit);
  return Object.keys(table).length ? table : undefined;
}

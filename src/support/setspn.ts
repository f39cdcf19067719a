/**
 * `setspn -L ACCOUNT` read back: for each account (its distinguished name), the service principal names
 * registered on it. Lines not understood (an account not found, another command's output) are kept.
 */
import { pastedLines, type PasteLimits, type PastedLine } from './paste';

export interface SetspnAccount {
  /** "CN=FS1,OU=Servers,DC=contoso,DC=com". */
  dn: string;
  spns: string[];
}

export interface Setspn {
  accounts: SetspnAccount[];
  unread: PastedLine[];
}

/** An SPN as setspn lists it: service class, a slash, a host (and maybe a port or a service name). */
const SPN = /^[A-Za-z][\w.-]*\/[^\s/]+(?::\d+)?(?:\/\S+)?$/;

/** `setspn -L` lines (numbered as pasted) into the accounts and their SPNs, keeping unread lines. */
export function readSetspn(lines: readonly PastedLine[]): Setspn {
  const out: Setspn = { accounts: [], unread: [] };
  let account: SetspnAccount | undefined;
  for (const line of lines) {
    const rest = line.text.trim();
    if (rest === '') continue;
    const head = /^Registered ServicePrincipalNames? for (.+):$/.exec(rest);
    if (head) {
      account = { dn: head[1]!, spns: [] };
      out.accounts.push(account);
    } else if (account && /^\s/.test(line.text) && SPN.test(rest)) account.spns.push(rest);
    else out.unread.push(line);
  }
  return out;
}

/** `setspn -L` output into the accounts and their SPNs, keeping unread lines. */
export function parseSetspn(text: string, limits?: PasteLimits): Setspn {
  return readSetspn(pastedLines(text, limits));
}

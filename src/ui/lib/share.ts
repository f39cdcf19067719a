/**
 * Share links, with no server: the URL's hash names the scenario ("#/s/kerberos-101"), or carries the
 * user's own scenario JSON itself, deflated and in base64url ("#/j/…"). The browser's own
 * CompressionStream does the deflating (RFC 1951 raw deflate), so nothing is fetched and nothing added.
 */

/** What a share link asks the page to play. */
export type SharedScenario = { kind: 'catalogue'; id: string } | { kind: 'json'; text: string };

const ID = /^[a-z0-9][a-z0-9-]*$/;

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('the link’s scenario is not base64url');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const bin = atob(b64);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The hash for a catalogue scenario: "#/s/clock-skew". */
export function catalogueHash(id: string): string {
  return `#/s/${encodeURIComponent(id)}`;
}

/** The hash carrying a scenario's JSON: "#/j/" and the deflated text in base64url. */
export async function jsonHash(text: string): Promise<string> {
  const packed = await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw'));
  return `#/j/${toBase64Url(packed)}`;
}

/**
 * What a hash asks for, or undefined when it names no scenario ("#/", "#/crypto"). A "#/j/" link that
 * does not inflate throws, with a sentence the page can show.
 */
export async function readShareHash(hash: string): Promise<SharedScenario | undefined> {
  const s = /^#\/s\/([^/?#]+)\/?$/.exec(hash);
  if (s) {
    const id = decodeURIComponent(s[1]!);
    return ID.test(id) ? { kind: 'catalogue', id } : undefined;
  }
  const j = /^#\/j\/([^/?#]*)$/.exec(hash);
  if (!j) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = await pipe(fromBase64Url(j[1]!), new DecompressionStream('deflate-raw'));
  } catch {
    throw new Error('the scenario in this link is damaged (it does not inflate): was the link cut short?');
  }
  return { kind: 'json', text: new TextDecoder().decode(bytes) };
}

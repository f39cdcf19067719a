/**
 * The page's routes, from the URL's hash: "#/crypto" is the crypto proof, "#/capture" opens a capture, "#/paste" reads a pasted case,
 * anything else the playground.
 */
export type Route = 'playground' | 'crypto' | 'capture' | 'paste';

export function routeOf(hash: string): Route {
  if (/^#\/?crypto\/?$/.test(hash)) return 'crypto';
  if (/^#\/?capture\/?$/.test(hash)) return 'capture';
  if (/^#\/?paste\/?$/.test(hash)) return 'paste';
  return 'playground';
}

/**
 * Whether a playground link's hash is none the page makes: not empty or "#/", and not a scenario's (#/s/,
 * #/j/), a saved run's (#/m/) or a run link (#/r1/ …). Such a link is said, not silently dropped.
 */
export function unknownPlaygroundLink(hash: string): boolean {
  if (hash === '' || hash === '#' || hash === '#/') return false;
  return !/^#\/(s|j|m|r\d+)\//.test(hash);
}

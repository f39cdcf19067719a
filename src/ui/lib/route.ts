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

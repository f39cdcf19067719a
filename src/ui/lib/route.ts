/**
 * The page's routes, from the URL's hash: "#/crypto" is the crypto proof, "#/capture" opens a capture,
 * anything else the playground.
 */
export type Route = 'playground' | 'crypto' | 'capture';

export function routeOf(hash: string): Route {
  if (/^#\/?crypto\/?$/.test(hash)) return 'crypto';
  if (/^#\/?capture\/?$/.test(hash)) return 'capture';
  return 'playground';
}

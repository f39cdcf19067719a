/** The page's routes, from the URL's hash: "#/crypto" is the crypto proof, anything else the playground. */
export type Route = 'playground' | 'crypto';

export function routeOf(hash: string): Route {
  return /^#\/?crypto\/?$/.test(hash) ? 'crypto' : 'playground';
}

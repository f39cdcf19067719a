/**
 * Every summary from the worker is new, all of it. A list drawn from it keeps, where it can, the objects it
 * drew from before: Svelte then sees the same item and runs nothing for it, so that a step or a clock move
 * updates in the page only what it changed, not every line a long run has printed.
 */

/** Two flat records (strings, numbers, booleans) alike field by field. */
export function sameFlat<T extends object>(a: T | undefined, b: T | undefined): boolean {
  if (!a || !b) return a === b;
  const keys = Object.keys(a) as (keyof T)[];
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** `now`, where each item alike to the one at its place in `before` is that very object. */
export function keepAlike<T extends object>(before: readonly T[], now: readonly T[]): T[] {
  return now.map((item, i) => {
    const old = before[i];
    return old !== undefined && sameFlat(old, item) ? old : item;
  });
}

/** How many items at the start of `now` are the very objects at the start of `before`. */
export function keptAtStart<T>(before: readonly T[], now: readonly T[]): number {
  let n = 0;
  while (n < now.length && n < before.length && now[n] === before[n]) n++;
  return n;
}

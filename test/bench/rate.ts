// How often a function runs in a second, for the benches that compare ours with a reference side by side.

/**
 * Runs fn for at least minMs and minRuns, after a warm-up of a quarter of minMs (at most 200 ms);
 * operations per second.
 */
export function opsPerSecond(fn: () => void, minMs: number, minRuns: number): number {
  const warmUntil = performance.now() + Math.min(200, minMs / 4);
  do fn();
  while (performance.now() < warmUntil);
  let runs = 0;
  const start = performance.now();
  let elapsed = 0;
  while (runs < minRuns || elapsed < minMs) {
    fn();
    runs++;
    elapsed = performance.now() - start;
  }
  return (runs * 1000) / elapsed;
}

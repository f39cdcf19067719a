/**
 * Where the sequence diagram draws an arrow: hosts are lanes of equal width, an arrow runs from the
 * centre of the sender's lane to the centre of the receiver's. Percentages of the lanes' width.
 */
export interface ArrowGeometry {
  /** Left end, % of the lanes' width. */
  left: number;
  /** Length, %; 0 for something that happens on one host (an action). */
  width: number;
  /** The arrow points right to left (a reply to a host further left). */
  leftward: boolean;
}

export function arrowGeometry(hosts: readonly string[], from: string, to: string): ArrowGeometry | undefined {
  const a = hosts.indexOf(from);
  const b = hosts.indexOf(to);
  if (a < 0 || b < 0 || hosts.length === 0) return undefined;
  const centre = (i: number) => ((i + 0.5) / hosts.length) * 100;
  return { left: centre(Math.min(a, b)), width: Math.abs(centre(b) - centre(a)), leftward: b < a };
}

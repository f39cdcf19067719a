/**
 * Which rows of a long list of equal-height rows to put in the page: the ones in sight plus a few either side.
 * A list that renders only these (and pads above and below to keep the scrollbar true) costs the same to draw
 * at 40 rows or 40,000. Pure: the component measures, this decides.
 */

export interface RowWindow {
  /** First row to render (inclusive). */
  readonly start: number;
  /** Row after the last to render (exclusive). */
  readonly end: number;
  /** Empty space above the first rendered row, in pixels. */
  readonly padTop: number;
  /** Empty space below the last rendered row, in pixels. */
  readonly padBottom: number;
}

export interface WindowInput {
  /** How many rows the list has. */
  readonly count: number;
  /** The height of one row, in pixels (> 0). */
  readonly rowHeight: number;
  /** How far the list is scrolled, in pixels. */
  readonly scrollTop: number;
  /** The height of the visible part of the list, in pixels. */
  readonly viewport: number;
  /** Rows rendered beyond each edge, so that a short scroll shows no blank. */
  readonly overscan?: number;
}

/** The rows to render for one scroll position. Out-of-range positions are clamped, never an empty window. */
export function rowWindow(input: WindowInput): RowWindow {
  const count = Math.max(0, Math.floor(input.count));
  const h = input.rowHeight > 0 ? input.rowHeight : 1;
  const overscan = Math.max(0, Math.floor(input.overscan ?? 4));
  const viewport = Math.max(0, input.viewport);
  const maxTop = Math.max(0, count * h - viewport);
  const top = Math.min(Math.max(0, input.scrollTop), maxTop);
  const firstSeen = Math.floor(top / h);
  const lastSeen = Math.ceil((top + viewport) / h);
  const start = Math.max(0, firstSeen - overscan);
  const end = Math.min(count, Math.max(lastSeen + overscan, start + 1));
  return { start, end, padTop: start * h, padBottom: (count - end) * h };
}

/**
 * The scroll position that brings row `index` into sight, or `scrollTop` unchanged when it already is: the
 * row goes a third of the way down, as the page's other panes do when they reveal a selection.
 */
export function scrollToReveal(
  index: number,
  rowHeight: number,
  scrollTop: number,
  viewport: number,
): number {
  const h = rowHeight > 0 ? rowHeight : 1;
  const top = index * h;
  if (top >= scrollTop && top + h <= scrollTop + viewport) return scrollTop;
  return Math.max(0, top - viewport / 3);
}

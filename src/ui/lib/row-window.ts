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

/**
 * The same for rows of differing heights (the trace: a step heading, a row with its narration, a failure on
 * two lines; the field tree: a field with an opened part under it). Each row has a key that follows it when
 * rows come and go; a row drawn once has its height measured and kept under its key, the others count at an
 * estimate until they are drawn. `offsetsOf` turns that into where each row starts; the rest is arithmetic
 * on those offsets.
 */

/**
 * Where each row starts, in pixels from the top of the list, and (last) the whole list's height: `count + 1`
 * numbers. A measured height wins over `estimate`; heights that are no positive number count as the estimate.
 */
export function offsetsOf(
  keys: readonly string[],
  measured: ReadonlyMap<string, number>,
  estimate: number,
): Float64Array {
  const guess = estimate > 0 ? estimate : 1;
  const out = new Float64Array(keys.length + 1);
  for (let i = 0; i < keys.length; i++) {
    const h = measured.get(keys[i]!);
    out[i + 1] = out[i]! + (h !== undefined && h > 0 ? h : guess);
  }
  return out;
}

/** The row holding pixel `y` (the first row at 0 or above, the last at the end or below). */
export function rowAt(offsets: Float64Array, y: number): number {
  const count = offsets.length - 1;
  if (count <= 0) return 0;
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface SpanInput {
  /** `offsetsOf`'s answer. */
  readonly offsets: Float64Array;
  /** The top of the part of the list in sight, in pixels from the list's top (negative: the list starts lower). */
  readonly from: number;
  /** The height of the part in sight, in pixels. */
  readonly viewport: number;
  /** Rows rendered beyond each edge. */
  readonly overscan?: number;
}

/** `rowWindow` for rows of differing heights: the rows that meet the part in sight, and an overscan. */
export function spanWindow(input: SpanInput): RowWindow {
  const { offsets } = input;
  const count = offsets.length - 1;
  if (count <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const total = offsets[count]!;
  const overscan = Math.max(0, Math.floor(input.overscan ?? 4));
  const viewport = Math.max(0, input.viewport);
  const top = Math.min(Math.max(0, input.from), Math.max(0, total - viewport));
  const firstSeen = rowAt(offsets, top);
  // the last row that starts before the bottom edge
  const lastSeen = rowAt(offsets, Math.max(top, top + viewport - 0.001));
  const start = Math.max(0, firstSeen - overscan);
  const end = Math.min(count, lastSeen + 1 + overscan);
  return { start, end, padTop: offsets[start]!, padBottom: total - offsets[end]! };
}

/**
 * How far to scroll (a change of the scroll position, in pixels; 0 when it is already in sight) so that row
 * `index` is in sight within the part of the list from `from` for `viewport` pixels, `margin` pixels clear of
 * either edge when there is room. A row out of sight goes a third of the way down, as `scrollToReveal` does.
 */
export function revealDelta(
  offsets: Float64Array,
  index: number,
  from: number,
  viewport: number,
  margin = 0,
): number {
  const count = offsets.length - 1;
  if (index < 0 || index >= count) return 0;
  const top = offsets[index]!;
  const bottom = offsets[index + 1]!;
  const m = Math.max(0, Math.min(margin, (viewport - (bottom - top)) / 2));
  if (top >= from + m && bottom <= from + viewport - m) return 0;
  return top - viewport / 3 - from;
}

/** A piece of a windowed list: rows to draw, and the empty space (`gap`, in pixels) standing for rows not drawn. */
export type Piece = { readonly gap: number; readonly key: string } | { readonly index: number };

/**
 * The window's rows, and also the rows in `keep` outside it (the focused one: a row that holds the focus stays
 * in the page when it scrolls out of sight, or the focus would fall to the page's body), in order, with the
 * gaps between them. The gaps' keys stay the same while the rows around them do.
 */
export function pieces(offsets: Float64Array, win: RowWindow, keep: readonly number[] = []): Piece[] {
  const count = offsets.length - 1;
  const drawn = new Set<number>();
  for (let i = win.start; i < win.end; i++) drawn.add(i);
  for (const i of keep) if (Number.isInteger(i) && i >= 0 && i < count) drawn.add(i);
  const order = [...drawn].sort((a, b) => a - b);
  const out: Piece[] = [];
  let at = 0;
  for (const i of order) {
    if (i > at) out.push({ gap: offsets[i]! - offsets[at]!, key: `gap-${at}-${i}` });
    out.push({ index: i });
    at = i + 1;
  }
  if (count > at) out.push({ gap: offsets[count]! - offsets[at]!, key: `gap-${at}-end` });
  return out;
}

/**
 * The hex dump's layout, as Wireshark's packet bytes pane draws it: rows of offset, bytes and their
 * printable ASCII, with a byte range highlighted.
 */

export interface HexRow {
  /** Offset of the row's first byte. */
  offset: number;
  cells: HexCell[];
}

export interface HexCell {
  offset: number;
  hex: string;
  /** The byte as ASCII, or "·" when it is not printable. */
  ascii: string;
}

/** "0000", "05d0": the offset column, wide enough for the whole buffer. */
export function offsetLabel(offset: number, total: number): string {
  const width = Math.max(4, Math.max(total - 1, 0).toString(16).length);
  return offset.toString(16).padStart(width, '0');
}

export function hexRows(bytes: Uint8Array, perRow = 16): HexRow[] {
  if (!Number.isInteger(perRow) || perRow < 1)
    throw new RangeError(`a hex row holds at least 1 byte, not ${perRow}`);
  const rows: HexRow[] = [];
  for (let start = 0; start < bytes.length; start += perRow) {
    const cells: HexCell[] = [];
    for (let i = start; i < Math.min(start + perRow, bytes.length); i++) {
      const b = bytes[i]!;
      cells.push({
        offset: i,
        hex: b.toString(16).padStart(2, '0'),
        ascii: b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·',
      });
    }
    rows.push({ offset: start, cells });
  }
  return rows;
}

/** A byte range [start, end). */
export interface Span {
  start: number;
  end: number;
}

export function inSpan(span: Span | undefined, offset: number): boolean {
  return span !== undefined && offset >= span.start && offset < span.end;
}

/** The rows a span touches, to scroll the first into view. */
export function rowOf(offset: number, perRow: number): number {
  return Math.floor(offset / perRow);
}

/**
 * Walking the inspector's tree (ViewNode, protocol.ts): find a node, its ancestors, the field that holds
 * a byte (clicking the hex dump), and which nodes start open.
 */
import type { ViewNode } from '../engine/protocol';

export function findNode(root: ViewNode | undefined, id: string): ViewNode | undefined {
  if (!root) return undefined;
  if (root.id === id) return root;
  for (const c of root.children ?? []) {
    const hit = findNode(c, id);
    if (hit) return hit;
  }
  return undefined;
}

/** The ids from the root down to `id` (both included), or [] when it is not in the tree. */
export function pathTo(root: ViewNode | undefined, id: string): string[] {
  if (!root) return [];
  if (root.id === id) return [root.id];
  for (const c of root.children ?? []) {
    const below = pathTo(c, id);
    if (below.length > 0) return [root.id, ...below];
  }
  return [];
}

/**
 * The innermost field of byte space `space` whose bytes include `offset` — what Wireshark selects when a
 * byte is clicked. Opened parts live in their own spaces, so a click in the ciphertext selects `cipher`,
 * a click in the plaintext the decrypted field.
 */
export function nodeAtByte(root: ViewNode | undefined, space: number, offset: number): ViewNode | undefined {
  if (!root) return undefined;
  let best: ViewNode | undefined;
  let bestDepth = -1;
  const visit = (n: ViewNode, depth: number) => {
    const covers = n.space === space && offset >= n.offset && offset < n.offset + n.length;
    // The deepest wins; among fields with the same bytes (NDR members of one PAC buffer), the first.
    if (covers && depth > bestDepth) {
      best = n;
      bestDepth = depth;
    }
    // A node of another space may hold this space below it (an EncryptedData holds its plaintext).
    if (covers || n.space !== space || n.part !== undefined) {
      for (const c of n.children ?? []) visit(c, depth + 1);
    }
  };
  visit(root, 0);
  return best;
}

/**
 * The nodes open when a message is first shown: the top two levels, every opened part with the path
 * down to it, and the top two levels inside each plaintext — so what was decrypted (the session key,
 * the client's name) is in sight at once.
 */
export function initiallyOpen(root: ViewNode | undefined): Set<string> {
  const open = new Set<string>();
  if (!root) return open;
  const isPlainRoot = (n: ViewNode) => /^p\d+$/.test(n.id);
  const visit = (n: ViewNode, depth: number, trail: string[]) => {
    const kids = n.children ?? [];
    if (kids.length === 0) return;
    if (depth < 2) open.add(n.id);
    if (n.part !== undefined) for (const id of [...trail, n.id]) open.add(id);
    // Inside a plaintext, depth counts again from its root.
    for (const c of kids) visit(c, isPlainRoot(c) ? 0 : depth + 1, [...trail, n.id]);
  };
  visit(root, 0, []);
  return open;
}

/** The spaces a message has: 0 its bytes, then each opened part with plaintext bytes. */
export function spaceOfPart(part: number): number {
  return part + 1;
}

/** One field of the tree as drawn: a flat list of these is the tree, each knowing its place (WAI-ARIA). */
export interface TreeRow {
  readonly node: ViewNode;
  /** 1 for the root (aria-level). */
  readonly level: number;
  /** Its parent's id; undefined for the root. */
  readonly parent: string | undefined;
  /** How many siblings it has, itself included, and its place among them from 1 (aria-setsize, aria-posinset). */
  readonly setSize: number;
  readonly posInSet: number;
  /** The names from the root down to it. */
  readonly path: readonly string[];
}

/**
 * The fields on screen, in the order they are seen: the root, and below every open node its children. A
 * list (not nested elements) so that a long one can be drawn a window at a time.
 */
export function visibleRows(root: ViewNode | undefined, open: ReadonlySet<string>): TreeRow[] {
  const out: TreeRow[] = [];
  if (!root) return out;
  const visit = (n: ViewNode, level: number, parent: ViewNode | undefined, pos: number, above: string[]) => {
    const path = [...above, n.name];
    const setSize = parent?.children?.length ?? 1;
    out.push({ node: n, level, parent: parent?.id, setSize, posInSet: pos, path });
    if (!open.has(n.id)) return;
    (n.children ?? []).forEach((c, i) => visit(c, level + 1, n, i + 1, path));
  };
  visit(root, 1, undefined, 1, []);
  return out;
}

/**
 * "Expand all" in slices of at most `size` nodes, parents before their children (breadth first): opened a
 * slice per frame, a big tree never costs one long task, and what is opened first is what is seen first.
 * Only nodes with children are listed (a leaf has nothing to open).
 */
export function expansionSlices(root: ViewNode | undefined, size: number): string[][] {
  const ids: string[] = [];
  let level = root ? [root] : [];
  while (level.length > 0) {
    const next: ViewNode[] = [];
    for (const n of level) {
      if (!n.children?.length) continue;
      ids.push(n.id);
      next.push(...n.children);
    }
    level = next;
  }
  const step = Math.max(1, Math.floor(size));
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += step) out.push(ids.slice(i, i + step));
  return out;
}

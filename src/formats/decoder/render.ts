/**
 * The text view of decoded messages (`krbplay decode` without --json): an indented tree, one field a
 * line with its tag, byte offset and length, and each encrypted part's plaintext inline under it with
 * the key that opened it — or the reason it stayed shut.
 */
import type { KrbNode } from '../../asn1';
import { errorCodes, messageTypes, nameTypes, paTypes, adTypes } from '../../asn1/registry';
import { describeEnctype, findKeyUsage } from '../../crypto';
import { escapeControls } from '../../util';
import { explainPath, type Explanation, type SpecLink } from '../explain';
import type { DecodedMessage } from './messages';
import type { EncPart } from './open';

/** Hex values longer than this many bytes are cut in the text view (JSON keeps them whole). */
const HEX_SHOWN = 32;

const NAMED: Record<string, (n: number) => string> = {
  etype: describeEnctype,
  keytype: describeEnctype,
  'msg-type': (n) => messageTypes.describe(n),
  'error-code': (n) => errorCodes.describe(n),
  'padata-type': (n) => paTypes.describe(n),
  'data-type': (n) => paTypes.describe(n),
  'name-type': (n) => nameTypes.describe(n),
  'ad-type': (n) => adTypes.describe(n),
};

function shown(n: KrbNode): string {
  const v = n.value;
  if (v === undefined) return '';
  if (typeof v === 'number') {
    const base = n.name.replace(/\[\d+\]$/, '');
    const f = NAMED[base];
    return f ? ` = ${f(v)}` : ` = ${v}`;
  }
  if (
    typeof v === 'string' &&
    /^[0-9a-f]*$/.test(v) &&
    v.length > HEX_SHOWN * 2 &&
    n.children === undefined
  ) {
    return ` = ${v.slice(0, HEX_SHOWN * 2)}… (${v.length / 2} bytes)`;
  }
  if (typeof v === 'string' && /^[0-9a-f]*$/.test(v) && v.length > HEX_SHOWN * 2) {
    return ` = ${v.slice(0, 16)}… (${v.length / 2} bytes)`;
  }
  return ` = ${String(v)}`;
}

/** Follows an ENCPART path ("padata[0].padata-value.ticket.enc-part") down a tree. */
export function nodeAtPath(root: KrbNode, path: string): KrbNode | undefined {
  if (path === '') return root;
  let node: KrbNode | undefined = root;
  for (const step of path.split('.')) {
    node = stepInto(node, step);
    if (!node) return undefined;
  }
  return node;
}

function stepInto(node: KrbNode, step: string): KrbNode | undefined {
  for (let hops = 0; hops < 4; hops++) {
    const kids: KrbNode[] = node.children ?? [];
    const direct = kids.find((c) => c.name === step);
    if (direct) return direct;
    const base = step.replace(/\[\d+\]$/, '');
    if (base !== step) {
      const list = kids.find((c) => c.name === base);
      const item = list?.children?.find((c) => c.name === step);
      if (item) return item;
    }
    // An embedded value (an OCTET STRING holding DER, a CHOICE) has one child standing for it.
    if (kids.length !== 1) return undefined;
    node = kids[0]!;
  }
  return undefined;
}

/** The message's own node inside its framing (TCP record, KDC proxy, GSS-API, SPNEGO). */
export function messageNode(m: Pick<DecodedMessage, 'tree' | 'type'>): KrbNode {
  const queue: KrbNode[] = [m.tree];
  while (queue.length > 0) {
    const n = queue.shift()!;
    if (n.name === m.type) return n;
    queue.push(...(n.children ?? []));
  }
  return m.tree;
}

function partHeader(p: EncPart): string {
  const usage = findKeyUsage(p.keyUsage);
  const u = `key usage ${p.keyUsage}${usage ? ` ${usage.name}` : ''}`;
  if (p.decrypted) {
    return `[decrypted with ${p.key} (${u})${p.reason ? `; ${p.reason}` : ''}]`;
  }
  return `[not decrypted (${u}): ${p.reason ?? 'no key'}]`;
}

/** The tree as lines; parts hang under the node their path names, nested parts under their parent. */
function renderTree(
  root: KrbNode,
  parts: readonly EncPart[],
  prefix: string,
  depth: number,
  lines: string[],
  opts: TreeOptions,
): void {
  const note = opts.note ?? '';
  const attached = new Map<KrbNode, EncPart[]>();
  // Parts nested in another part's plaintext are drawn under that plaintext, not here.
  const mine = parts.filter((p) => !parts.some((q) => q !== p && q.plain && p.path.startsWith(`${q.path}.`)));
  const unplaced: EncPart[] = [];
  for (const p of mine) {
    const rel = prefix ? p.path.slice(prefix.length + 1) : p.path;
    const at = nodeAtPath(root, rel);
    if (at) attached.set(at, [...(attached.get(at) ?? []), p]);
    else unplaced.push(p);
  }
  const walk = (n: KrbNode, d: number, first: boolean, above: readonly string[]): void => {
    const pad = '  '.repeat(d);
    const names = [...above, n.name];
    lines.push(`${pad}${n.name} ${n.tag} @${n.offset}+${n.length}${shown(n)}${first ? note : ''}`);
    if (opts.explain) explanationLines(names, n, pad, lines);
    for (const c of n.children ?? []) walk(c, d + 1, false, names);
    for (const p of attached.get(n) ?? []) {
      lines.push(`${pad}  ${partHeader(p)}`);
      if (p.plain) {
        const nested = parts.filter((q) => q.path.startsWith(`${p.path}.`));
        renderTree(p.plain, nested, p.path, d + 2, lines, {
          note: ' (offsets in the plaintext)',
          ...(opts.explain ? { explain: true } : {}),
        });
      }
    }
  };
  walk(root, depth, true, opts.above ?? []);
  for (const p of unplaced) lines.push(`${'  '.repeat(depth + 1)}${p.path}: ${partHeader(p)}`);
}

function messageHeader(m: DecodedMessage): string {
  const bits = [`frame ${m.frame}`];
  if (m.time) bits.push(m.time);
  if (m.src || m.dst) bits.push(`${m.src ?? '?'} -> ${m.dst ?? '?'}`);
  if (m.transport) bits.push(m.transport);
  if (m.smb2)
    bits.push(`SMB2 ${m.smb2.command}${m.smb2.status !== 0 ? ` 0x${m.smb2.status.toString(16)}` : ''}`);
  let type = m.type;
  if (m.ntlmssp) type += ` (NTLMSSP ${m.ntlmssp})`;
  if (m.errorCode !== undefined) type += ` ${m.errorName ?? ''} (${m.errorCode})`;
  bits.push(type);
  const opened = m.encParts.filter((p) => p.decrypted).length;
  if (m.encParts.length > 0) bits.push(`${opened}/${m.encParts.length} encrypted parts opened`);
  return bits.join('  ');
}

interface TreeOptions {
  /** Said after the first line (the plaintext's offsets are its own). */
  readonly note?: string;
  /** Under each field, what it is and the spec clause (`krbplay decode --explain`). */
  readonly explain?: boolean;
  /** The names of the nodes above the root, for the explanations. */
  readonly above?: readonly string[];
}

export interface RenderOptions {
  /** Under each field, its explanation from the catalogue (src/formats/explain) with the spec's link. */
  readonly explain?: boolean;
}

function linksText(refs: readonly SpecLink[]): string {
  return refs.map((r) => (r.url ? `${r.text} <${r.url}>` : r.text)).join(', ');
}

/** The lines `--explain` adds under a field: its words and clause, then what its value or bits mean. */
function explanationLines(names: readonly string[], n: KrbNode, pad: string, lines: string[]): void {
  const e = explainPath(names, n.value);
  if (!e) return;
  lines.push(`${pad}  | ${e.words} (${linksText(e.refs)})`);
  if (e.value) lines.push(`${pad}  | = ${e.value.name}: ${e.value.words} (${linksText(e.value.refs)})`);
  for (const b of e.bits ?? []) {
    lines.push(`${pad}  | + ${b.name}: ${b.words}${b.refs.length > 0 ? ` (${linksText(b.refs)})` : ''}`);
  }
}

/** The `explain` member `--json --explain` adds to a NODE. */
export interface NodeExplanation {
  key: string;
  words: string;
  refs: SpecLink[];
  value?: { name: string; words: string; refs: SpecLink[] };
  bits?: { name: string; words: string; refs: SpecLink[] }[];
}

function nodeExplanation(e: Explanation): NodeExplanation {
  const copy = (v: { name: string; words: string; refs: readonly SpecLink[] }) => ({
    name: v.name,
    words: v.words,
    refs: [...v.refs],
  });
  return {
    key: e.key,
    words: e.words,
    refs: [...e.refs],
    ...(e.value ? { value: copy(e.value) } : {}),
    ...(e.bits ? { bits: e.bits.map(copy) } : {}),
  };
}

type ExplainedNode = KrbNode & { explain?: NodeExplanation; children?: ExplainedNode[] };

/** A copy of a tree with each node's explanation as `explain` (after its own members). */
function explainedTree(n: KrbNode, above: readonly string[]): ExplainedNode {
  const names = [...above, n.name];
  const e = explainPath(names, n.value);
  const { children, ...own } = n;
  return {
    ...own,
    ...(e ? { explain: nodeExplanation(e) } : {}),
    ...(children ? { children: children.map((c) => explainedTree(c, names)) } : {}),
  };
}

/** The messages of `--json --explain`: every NODE, plaintexts included, with its `explain`. */
export function explainMessages(messages: readonly DecodedMessage[]): DecodedMessage[] {
  return messages.map((m) => ({
    ...m,
    tree: explainedTree(m.tree, []),
    encParts: m.encParts.map((p) => (p.plain ? { ...p, plain: explainedTree(p.plain, []) } : p)),
  }));
}

/** The text of `krbplay decode`: one block per message, a blank line between blocks. */
export function renderMessages(messages: readonly DecodedMessage[], options: RenderOptions = {}): string {
  const opts: TreeOptions = options.explain ? { explain: true } : {};
  const blocks = messages.map((m) => {
    const lines = [messageHeader(m)];
    if (m.error) {
      lines.push(`  ${m.error}`);
      return lines.map(escapeControls).join('\n');
    }
    const msgNode = messageNode(m);
    if (msgNode === m.tree) {
      renderTree(m.tree, m.encParts, '', 0, lines, opts);
    } else {
      // Framing around the message: draw it, with the parts under the message node.
      const parts = m.encParts;
      const walkFraming = (n: KrbNode, d: number, above: readonly string[]): void => {
        if (n === msgNode) {
          renderTree(n, parts, '', d, lines, { ...opts, above });
          return;
        }
        const pad = '  '.repeat(d);
        lines.push(`${pad}${n.name} ${n.tag} @${n.offset}+${n.length}${shown(n)}`);
        if (opts.explain) explanationLines([...above, n.name], n, pad, lines);
        for (const c of n.children ?? []) walkFraming(c, d + 1, [...above, n.name]);
      };
      walkFraming(m.tree, 0, []);
    }
    // Every line escaped: a field's value (a name, an e-text) must not start a line of its own or send
    // a terminal an ESC sequence.
    return lines.map(escapeControls).join('\n');
  });
  return blocks.join('\n\n') + '\n';
}

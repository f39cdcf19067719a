/**
 * docs/modelled.md, read into the page (bundled at build time: nothing is fetched): one entry per
 * `## Heading`, its anchor the heading's slug, its words and its sources. The inspector's "modelled"
 * badge opens the entry of the step it shows (`modelledEntryOf`, modelled-note.ts).
 */
import text from '../../../docs/modelled.md?raw';

export interface ModelledEntry {
  /** The anchor in docs/modelled.md: "cloud-tgt-flags". */
  slug: string;
  title: string;
  /** The paragraphs before the Source line, as plain text. */
  body: string;
  /** The Source line's links, in order. */
  sources: { text: string; url: string }[];
}

/** The anchor of a heading, as GitHub makes it: lower case, spaces as dashes, other punctuation dropped. */
export function slugOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}

/** Markdown links and inline code as plain words. */
const plain = (s: string) => s.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').replace(/`([^`]+)`/g, '$1');

/** Every `## ` entry of a modelled.md text. */
export function readModelledDoc(doc: string): ModelledEntry[] {
  const parts = doc.split(/^## /m).slice(1);
  return parts.map((part) => {
    const [heading = '', ...rest] = part.split('\n');
    const body = rest.join('\n').trim();
    const at = body.search(/^Source:/m);
    const words = at < 0 ? body : body.slice(0, at);
    const sourceLine = at < 0 ? '' : body.slice(at);
    const sources = [...sourceLine.matchAll(/\[([^\]]+)\]\((https?:[^)]+)\)/g)].map((m) => ({
      text: m[1]!,
      url: m[2]!,
    }));
    return {
      slug: slugOf(heading),
      title: heading.trim(),
      body: plain(words)
        .replace(/\s*\n\s*/g, ' ')
        .trim(),
      sources,
    };
  });
}

let entries: readonly ModelledEntry[] | undefined;

/**
 * Every entry of the page's modelled.md, read when first asked for (a MODELLED badge opened), not while the
 * page's modules evaluate on its way to the first paint.
 */
export function modelledEntries(): readonly ModelledEntry[] {
  return (entries ??= readModelledDoc(text));
}

/** The entry of `slug`, else the general one ("modelled-step"). */
export function modelledEntry(slug: string): ModelledEntry | undefined {
  const all = modelledEntries();
  return all.find((e) => e.slug === slug) ?? all.find((e) => e.slug === 'modelled-step');
}

/**
 * Share links, with no server: the URL's hash names the scenario ("#/s/kerberos-101"), or carries the
 * user's own scenario JSON itself, deflated and in base64url ("#/j/…"). The browser's own
 * CompressionStream does the deflating (RFC 1951 raw deflate), so nothing is fetched and nothing added.
 *
 * A link is input from anyone: it is bounded before it is decoded (its length) and while it is inflated
 * (the text it may become), so a deflate bomb stops at the cap instead of filling the tab's memory.
 */
import { KrbPlayError } from '../../util/errors';

/** What a share link asks the page to play. */
export type SharedScenario = { kind: 'catalogue'; id: string } | { kind: 'json'; text: string };

/** A share link the page cannot open, with a sentence that says why. */
export class ShareLinkError extends KrbPlayError {
  constructor(message: string) {
    super('input', message);
  }
}

/**
 * The most a link's scenario may inflate to: 1 MiB of JSON, about 140 times the largest catalogue
 * scenario (7.6 KB), and far below what a tab can hold.
 */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/**
 * The longest hash a link may carry, checked before any decoding: 256 Ki characters of base64url are
 * 192 KiB of deflate, room for any scenario within MAX_SCENARIO_BYTES that compresses at least 5:1 (JSON
 * compresses 3–4 times better). The largest catalogue scenario's link is about 2,500 characters.
 */
export const MAX_LINK_CHARS = 256 * 1024;

/** Input is fed to the inflater this many bytes at a time: deflate expands a byte at most 1032 times. */
const INFLATE_SLICE = 1024;

const ID = /^[a-z0-9][a-z0-9-]*$/;
const MAX_ID_CHARS = 100;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

const mib = (n: number) => `${(n / (1024 * 1024)).toLocaleString('en', { maximumFractionDigits: 1 })} MiB`;

async function compress(bytes: Uint8Array): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/**
 * Inflates raw deflate, stopping as soon as the output passes `max` bytes. The input goes in small
 * slices and the output is read as it comes, so no more than about one slice's worth of expansion
 * (≈ 1 MiB) is ever waiting beyond the cap.
 */
export async function inflateBounded(bytes: Uint8Array, max: number): Promise<Uint8Array> {
  const stream = new DecompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const feeding = (async () => {
    for (let i = 0; i < bytes.length; i += INFLATE_SLICE) {
      await writer.ready;
      await writer.write(bytes.subarray(i, i + INFLATE_SLICE) as BufferSource);
    }
    await writer.close();
  })();
  // the reader reports a damaged stream; the feeder's own rejection says the same thing again
  feeding.catch(() => undefined);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > max) {
        await reader.cancel().catch(() => undefined);
        await writer.abort().catch(() => undefined);
        throw new ShareLinkError(
          `the scenario in this link inflates to more than ${mib(max)}, the most a shared scenario may hold: it is not a scenario this playground made (a "deflate bomb"?), so it was not opened`,
        );
      }
      chunks.push(value);
    }
    await feeding;
  } catch (e) {
    if (e instanceof ShareLinkError) throw e;
    throw new ShareLinkError(
      'the scenario in this link is damaged (it does not inflate): the link may have been cut short',
    );
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  if (!BASE64URL.test(text)) {
    const i = [...text].findIndex((c) => !BASE64URL.test(c));
    const c = [...text][i]!;
    throw new ShareLinkError(
      c === '/'
        ? `the scenario in this link is damaged: it holds a "/" (at character ${i + 1}), which a share link never does. A share link is base64url (A–Z, a–z, 0–9, "-" and "_"): was it edited, or written in plain base64 (where "-" and "_" are "+" and "/")?`
        : `the scenario in this link is damaged: it holds ${JSON.stringify(c)} (at character ${i + 1}), and a share link holds only A–Z, a–z, 0–9, "-" and "_" (base64url)`,
    );
  }
  if (text.length % 4 === 1)
    throw new ShareLinkError(
      'the scenario in this link is damaged (its length is not base64’s): was it cut?',
    );
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const bin = atob(b64);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The hash for a catalogue scenario: "#/s/clock-skew". */
export function catalogueHash(id: string): string {
  return `#/s/${encodeURIComponent(id)}`;
}

/** The hash carrying a scenario's JSON: "#/j/" and the deflated text in base64url. */
export async function jsonHash(text: string): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > MAX_SCENARIO_BYTES)
    throw new ShareLinkError(
      `this scenario is ${mib(bytes.length)}, more than a share link may carry (${mib(MAX_SCENARIO_BYTES)}): export it as a file instead`,
    );
  const hash = `#/j/${toBase64Url(await compress(bytes))}`;
  if (hash.length > MAX_LINK_CHARS)
    throw new ShareLinkError(
      `this scenario compresses to a link of ${hash.length.toLocaleString('en')} characters, more than a share link may be (${MAX_LINK_CHARS.toLocaleString('en')})`,
    );
  return hash;
}

/**
 * What a hash asks for, or undefined when it names no scenario ("#/", "#/crypto"). A link that cannot be
 * opened — too long, damaged, inflating past the cap, not UTF-8, an id no scenario could have — throws a
 * ShareLinkError with a sentence the page can show. Whether a well-formed id is in the catalogue is the
 * page's to check (it holds the catalogue).
 */
export async function readShareHash(hash: string): Promise<SharedScenario | undefined> {
  if (!/^#\/(s|j)\//.test(hash)) return undefined;
  if (hash.length > MAX_LINK_CHARS)
    throw new ShareLinkError(
      `this link is ${hash.length.toLocaleString('en')} characters long, more than a share link may be (${MAX_LINK_CHARS.toLocaleString('en')}): it was not made by this playground, so it was not opened`,
    );
  // one "/" at the end is forgiven, as a path's would be
  const rest = hash.slice(4).replace(/\/$/, '');
  if (hash[2] === 's') {
    let id: string;
    try {
      // ids are lowercase: a link typed or pasted in capitals (#/s/HAPPY-PATH) names the same scenario
      id = decodeURIComponent(rest).replace(/[A-Z]/g, (c) => c.toLowerCase());
    } catch {
      throw new ShareLinkError(
        `this link names no scenario: "${rest.slice(0, MAX_ID_CHARS)}" is not a scenario id`,
      );
    }
    if (!ID.test(id) || id.length > MAX_ID_CHARS)
      throw new ShareLinkError(
        `there is no scenario with the id "${id.slice(0, MAX_ID_CHARS)}": ids are lowercase letters, digits and dashes, like kerberos-101`,
      );
    return { kind: 'catalogue', id };
  }
  const bytes = await inflateBounded(fromBase64Url(rest), MAX_SCENARIO_BYTES);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ShareLinkError('the scenario in this link is not UTF-8 text, so it is not a scenario’s JSON');
  }
  return { kind: 'json', text };
}

/**
 * The user's work, kept in this browser (localStorage) so that nothing is lost without a word.
 *
 * - Documents of several kinds: a kind names itself ("scenario-json"; later runs, faults, workspaces) and
 *   checks its values, so a stored value that is not one of its kind is reported as damaged, never used,
 *   and never overwritten without the caller asking (it is then set aside under another key, not erased).
 * - Versioned: a document holds a bounded history of versions. A write that replaces the content adds a
 *   version, so there is always one to go back to; restoring one adds it again as the newest, so a
 *   restore can itself be undone. Only typing amends the newest version (one version per burst of typing,
 *   not one per keystroke), and only when that version is this tab's own typing.
 * - Tab conflicts: every document carries a revision that every write bumps. A write names the revision
 *   it started from; a different one means another tab wrote meanwhile, and the write is refused as a
 *   conflict with the other tab's document, for the user to settle. `watch` hears the other tab's writes
 *   at once (the `storage` event).
 * - Said aloud: a write the browser refuses (storage full, storage switched off) comes back as a reason
 *   with a sentence, never as an exception and never silently.
 *
 * Plain TypeScript over the Storage interface: the tests run it in Node with a Storage of their own.
 */

/** Every key this store writes starts with this. */
export const KEY_PREFIX = 'kerberos-playground:';
const DOC_PREFIX = `${KEY_PREFIX}doc:`;
const SET_ASIDE_PREFIX = `${KEY_PREFIX}damaged:`;

/** The layout of a stored document; a document in another layout is not touched. */
export const STORE_FORMAT = 1;

/** Versions kept per document (the oldest go first). */
export const MAX_VERSIONS = 20;

/**
 * The most characters one document may take in storage (about 4 MiB in UTF-16, within any browser's 5 MiB
 * quota for a site): older versions go first, and the newest two are always kept.
 */
export const MAX_DOC_CHARS = 2 * 1024 * 1024;

/** A kind of document: its name (a key segment) and the check its stored values must pass. */
export interface DocKind<T> {
  readonly name: string;
  is(value: unknown): value is T;
}

export interface Version<T> {
  /** 1, 2, 3… in the order made; never reused within a document. */
  n: number;
  /** When it was made (ms since the epoch, by the tab's clock). */
  at: number;
  /** Why it was made: "typed", "copy of kerberos-101", "restored version 3"… */
  label: string;
  /** The tab that made it. */
  tab: string;
  value: T;
}

export interface Doc<T> {
  kind: string;
  id: string;
  /** Bumped by every write, from any tab. */
  rev: number;
  /** Oldest first; the last is the current content. */
  versions: Version<T>[];
}

export type ReadResult<T> =
  | { status: 'absent' }
  | { status: 'ok'; doc: Doc<T> }
  | { status: 'damaged'; message: string }
  | { status: 'unavailable'; message: string };

/** Why a write was not made. */
export type Refusal<T> =
  /** Another tab wrote (or removed) the document since `base`: theirs is what storage holds now. */
  | { ok: false; why: 'conflict'; theirs: Doc<T> | undefined; message: string }
  /** The browser's storage for this site is full. */
  | { ok: false; why: 'full'; message: string }
  /** Storage is switched off or cannot be reached. */
  | { ok: false; why: 'unavailable'; message: string }
  /** What storage holds under this document's key is not a document of this kind. */
  | { ok: false; why: 'damaged'; message: string }
  /** The version asked for is not (or no longer) in the history. */
  | { ok: false; why: 'missing'; message: string };

export type WriteResult<T> =
  | {
      ok: true;
      doc: Doc<T>;
      /** False when nothing needed writing (the content was already the current version's). */
      written: boolean;
    }
  | Refusal<T>;

export interface WriteOptions {
  /** The revision this write starts from: the last one this tab read or wrote (0: no document yet). */
  base: number;
  /** Why: becomes the version's label. */
  label: string;
  /** Amend the current version instead of adding one, when it is this tab's and has the same label. */
  amend?: boolean;
  /** When storage holds something damaged under this key: set it aside under another key and write. */
  replaceDamaged?: boolean;
}

/** One document, as a list shows it. */
export interface DocSummary {
  kind: string;
  id: string;
  rev: number;
  at: number;
  label: string;
  versions: number;
  /** Characters it takes in storage. */
  size: number;
  /** Set when it cannot be read (the rest of the store is unaffected). */
  damaged?: string;
}

/** What another tab did to a document. */
export interface ExternalChange<T> {
  kind: string;
  /** Undefined when the other tab cleared all of the site's storage. */
  id: string | undefined;
  /** The document now; undefined when it was removed; a string when what is stored is damaged. */
  doc: Doc<T> | undefined | { damaged: string };
}

export interface WorkStoreOptions {
  /** This tab's name in the versions it makes. */
  tab: string;
  /** The clock for a version's time. */
  now: () => number;
  maxVersions?: number;
  maxDocChars?: number;
}

const NAME = /^[a-z0-9][a-z0-9-]*$/;

function keyOf(kind: string, id: string): string {
  if (!NAME.test(kind))
    throw new Error(`"${kind}" is not a document kind (lowercase letters, digits, dashes)`);
  return `${DOC_PREFIX}${kind}:${encodeURIComponent(id)}`;
}

function isQuotaError(e: unknown): boolean {
  if (!(e instanceof Error) && !(typeof DOMException !== 'undefined' && e instanceof DOMException))
    return false;
  const { name, code } = e as { name?: string; code?: number };
  // Chromium and WebKit say QuotaExceededError (code 22); Firefox said NS_ERROR_DOM_QUOTA_REACHED (1014)
  return (
    name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22 || code === 1014
  );
}

const kib = (chars: number) => `${Math.ceil((chars * 2) / 1024).toLocaleString('en')} KiB`;

export class WorkStore {
  readonly #storage: Storage | undefined;
  readonly #tab: string;
  readonly #now: () => number;
  readonly #maxVersions: number;
  readonly #maxDocChars: number;

  constructor(storage: Storage | undefined, options: WorkStoreOptions) {
    this.#storage = storage;
    this.#tab = options.tab;
    this.#now = options.now;
    this.#maxVersions = Math.max(2, options.maxVersions ?? MAX_VERSIONS);
    this.#maxDocChars = options.maxDocChars ?? MAX_DOC_CHARS;
  }

  /** This tab's name, as it appears in the versions it makes. */
  get tab(): string {
    return this.#tab;
  }

  read<T>(kind: DocKind<T>, id: string): ReadResult<T> {
    const key = keyOf(kind.name, id);
    let raw: string | null;
    try {
      if (!this.#storage) return { status: 'unavailable', message: UNAVAILABLE };
      raw = this.#storage.getItem(key);
    } catch (e) {
      return { status: 'unavailable', message: `${UNAVAILABLE} (${errorText(e)})` };
    }
    if (raw === null) return { status: 'absent' };
    return this.#parse(kind, id, raw);
  }

  /**
   * Writes `value` as the document's content: a new version, or the current one amended (see
   * WriteOptions.amend). Content equal to the current version's is not written again.
   */
  write<T>(kind: DocKind<T>, id: string, value: T, options: WriteOptions): WriteResult<T> {
    if (!kind.is(value)) throw new Error(`a ${kind.name} document cannot hold this value`);
    const current = this.read(kind, id);
    if (current.status === 'unavailable') return { ok: false, why: 'unavailable', message: current.message };
    if (current.status === 'damaged') {
      if (!options.replaceDamaged) return { ok: false, why: 'damaged', message: current.message };
      const aside = this.#setAside(kind.name, id);
      if (aside) return aside;
    }
    const doc = current.status === 'ok' ? current.doc : undefined;
    const rev = doc?.rev ?? 0;
    if (current.status !== 'damaged' && rev !== options.base) return this.#conflict(doc);
    const head = doc?.versions.at(-1);
    if (doc && head && same(head.value, value)) return { ok: true, doc, written: false };
    const amend = options.amend === true && head?.tab === this.#tab && head.label === options.label;
    const version: Version<T> = {
      n: amend ? head.n : (head?.n ?? 0) + 1,
      at: this.#now(),
      label: options.label,
      tab: this.#tab,
      value,
    };
    const versions = [...(doc?.versions ?? []).slice(0, amend ? -1 : undefined), version];
    return this.#put({ kind: kind.name, id, rev: rev + 1, versions });
  }

  /** Makes version `n` the current content again, as a new version (so the restore can be undone too). */
  restore<T>(
    kind: DocKind<T>,
    id: string,
    n: number,
    options: { base: number; label?: string },
  ): WriteResult<T> {
    const current = this.read(kind, id);
    if (current.status !== 'ok') {
      if (current.status === 'absent')
        return { ok: false, why: 'missing', message: `there is no saved ${kind.name} "${id}"` };
      return { ok: false, why: current.status, message: current.message };
    }
    if (current.doc.rev !== options.base) return this.#conflict(current.doc);
    const v = current.doc.versions.find((x) => x.n === n);
    if (!v) return { ok: false, why: 'missing', message: `version ${n} is no longer kept` };
    const head = current.doc.versions.at(-1)!;
    if (v === head) return { ok: true, doc: current.doc, written: false };
    const version: Version<T> = {
      n: head.n + 1,
      at: this.#now(),
      label: options.label ?? `restored version ${n}`,
      tab: this.#tab,
      value: v.value,
    };
    return this.#put({
      ...current.doc,
      rev: current.doc.rev + 1,
      versions: [...current.doc.versions, version],
    });
  }

  /**
   * Removes a document; the removed document comes back, for an undo (`putBack`). A removal made from
   * an old revision is a conflict, as a write is.
   */
  remove<T>(
    kind: DocKind<T>,
    id: string,
    options: { base: number },
  ): { ok: true; removed: Doc<T> | undefined } | Refusal<T> {
    const current = this.read(kind, id);
    if (current.status === 'unavailable' || current.status === 'damaged')
      return { ok: false, why: current.status, message: current.message };
    if (current.status === 'absent') return { ok: true, removed: undefined };
    if (current.doc.rev !== options.base) return this.#conflict(current.doc);
    try {
      this.#storage!.removeItem(keyOf(kind.name, id));
    } catch (e) {
      return { ok: false, why: 'unavailable', message: `${UNAVAILABLE} (${errorText(e)})` };
    }
    return { ok: true, removed: current.doc };
  }

  /** Undoes a removal: the document comes back as it was (its revision bumped), if nothing took its place. */
  putBack<T>(kind: DocKind<T>, removed: Doc<T>): WriteResult<T> {
    const current = this.read(kind, removed.id);
    if (current.status === 'unavailable' || current.status === 'damaged')
      return { ok: false, why: current.status, message: current.message };
    if (current.status === 'ok') return this.#conflict(current.doc);
    return this.#put({ ...removed, rev: removed.rev + 1 });
  }

  /** Drops all but the newest `keep` versions (at least 2): what a user does to free space. */
  trim<T>(kind: DocKind<T>, id: string, options: { base: number; keep?: number }): WriteResult<T> {
    const current = this.read(kind, id);
    if (current.status !== 'ok') {
      if (current.status === 'absent')
        return { ok: false, why: 'missing', message: `there is no saved ${kind.name} "${id}"` };
      return { ok: false, why: current.status, message: current.message };
    }
    if (current.doc.rev !== options.base) return this.#conflict(current.doc);
    const keep = Math.max(2, options.keep ?? 2);
    if (current.doc.versions.length <= keep) return { ok: true, doc: current.doc, written: false };
    return this.#put({
      ...current.doc,
      rev: current.doc.rev + 1,
      versions: current.doc.versions.slice(-keep),
    });
  }

  /** The documents of a kind (or of every kind), newest first; damaged ones are listed as such. */
  list(kind?: DocKind<unknown>): DocSummary[] {
    const out: DocSummary[] = [];
    for (const key of this.#keys()) {
      const m = /^([a-z0-9-]+):(.*)$/.exec(key.slice(DOC_PREFIX.length));
      if (!m || (kind && m[1] !== kind.name)) continue;
      const [, kindName, encoded] = m as unknown as [string, string, string];
      let id: string;
      try {
        id = decodeURIComponent(encoded);
      } catch {
        continue;
      }
      const raw = this.#get(key) ?? '';
      const r = this.#parse(kind ?? anyKind(kindName), id, raw);
      if (r.status === 'ok') {
        const head = r.doc.versions.at(-1)!;
        out.push({
          kind: kindName,
          id,
          rev: r.doc.rev,
          at: head.at,
          label: head.label,
          versions: r.doc.versions.length,
          size: raw.length,
        });
      } else if (r.status === 'damaged') {
        out.push({
          kind: kindName,
          id,
          rev: 0,
          at: 0,
          label: '',
          versions: 0,
          size: raw.length,
          damaged: r.message,
        });
      }
    }
    return out.sort((a, b) => b.at - a.at);
  }

  /** Characters this store takes in storage, all documents together. */
  usage(): number {
    let n = 0;
    for (const key of this.#keys(KEY_PREFIX)) n += key.length + (this.#get(key)?.length ?? 0);
    return n;
  }

  /**
   * Calls `listener` when another tab writes or removes one of this store's documents (the browser's
   * `storage` event, which fires in every other tab of the site). Returns the unsubscribe.
   */
  watch<T>(target: EventTarget, kind: DocKind<T>, listener: (change: ExternalChange<T>) => void): () => void {
    const prefix = `${DOC_PREFIX}${kind.name}:`;
    const handler = (ev: Event) => {
      const e = ev as StorageEvent;
      // key null: the other tab cleared all of storage
      if (e.storageArea && this.#storage && e.storageArea !== this.#storage) return;
      if (e.key !== null && !e.key.startsWith(prefix)) return;
      if (e.key === null) {
        listener({ kind: kind.name, id: undefined, doc: undefined });
        return;
      }
      let id: string;
      try {
        id = decodeURIComponent(e.key.slice(prefix.length));
      } catch {
        return;
      }
      if (e.newValue === null) {
        listener({ kind: kind.name, id, doc: undefined });
        return;
      }
      const r = this.#parse(kind, id, e.newValue);
      listener({
        kind: kind.name,
        id,
        doc: r.status === 'ok' ? r.doc : { damaged: r.status === 'damaged' ? r.message : UNAVAILABLE },
      });
    };
    target.addEventListener('storage', handler);
    return () => target.removeEventListener('storage', handler);
  }

  #conflict<T>(theirs: Doc<T> | undefined): Refusal<T> {
    const head = theirs?.versions.at(-1);
    return {
      ok: false,
      why: 'conflict',
      theirs,
      message: head
        ? `another tab changed it (version ${head.n}, ${head.label}) since this tab last saw it`
        : 'another tab removed it since this tab last saw it',
    };
  }

  /** Bounds the history, then stores the document; a refusal of the browser's is said, not thrown. */
  #put<T>(doc: Doc<T>): WriteResult<T> {
    let versions = doc.versions.slice(-this.#maxVersions);
    let text = serialise({ ...doc, versions });
    while (text.length > this.#maxDocChars && versions.length > 2) {
      versions = versions.slice(1);
      text = serialise({ ...doc, versions });
    }
    const stored = { ...doc, versions };
    if (!this.#storage) return { ok: false, why: 'unavailable', message: UNAVAILABLE };
    try {
      this.#storage.setItem(keyOf(doc.kind, doc.id), text);
    } catch (e) {
      if (isQuotaError(e))
        return {
          ok: false,
          why: 'full',
          message: `this browser’s storage for the playground is full (it holds ${kib(this.usage())} of the playground’s work, and the browser allows a site about 5 MiB)`,
        };
      return { ok: false, why: 'unavailable', message: `${UNAVAILABLE} (${errorText(e)})` };
    }
    return { ok: true, doc: stored, written: true };
  }

  /** Moves a damaged entry to a key of its own, so a write does not erase it. */
  #setAside(kind: string, id: string): Refusal<never> | undefined {
    const key = keyOf(kind, id);
    try {
      const raw = this.#storage!.getItem(key);
      if (raw !== null)
        this.#storage!.setItem(`${SET_ASIDE_PREFIX}${kind}:${encodeURIComponent(id)}:${this.#now()}`, raw);
      this.#storage!.removeItem(key);
      return undefined;
    } catch (e) {
      if (isQuotaError(e))
        return {
          ok: false,
          why: 'full',
          message: 'this browser’s storage is full: the damaged entry could not be set aside',
        };
      return { ok: false, why: 'unavailable', message: `${UNAVAILABLE} (${errorText(e)})` };
    }
  }

  #parse<T>(kind: DocKind<T>, id: string, raw: string): ReadResult<T> {
    const damaged = (why: string): ReadResult<T> => ({
      status: 'damaged',
      message: `the saved ${kind.name} "${id}" cannot be read (${why}); it is left as it is`,
    });
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      return damaged('it is not JSON');
    }
    if (typeof v !== 'object' || v === null) return damaged('it is not a document');
    const d = v as Partial<Doc<unknown>> & { format?: unknown };
    if (d.format !== STORE_FORMAT)
      return damaged(
        typeof d.format === 'number' && d.format > STORE_FORMAT
          ? `it was saved by a newer version of the playground (format ${d.format})`
          : 'it is not in the format this playground writes',
      );
    if (d.kind !== kind.name || d.id !== id) return damaged('it names another document');
    if (typeof d.rev !== 'number' || !Number.isSafeInteger(d.rev) || d.rev < 1)
      return damaged('its revision is not a number');
    if (!Array.isArray(d.versions) || d.versions.length === 0) return damaged('it has no versions');
    let last = 0;
    for (const x of d.versions as unknown[]) {
      const ver = x as Partial<Version<unknown>> | null;
      if (
        typeof ver !== 'object' ||
        ver === null ||
        typeof ver.n !== 'number' ||
        !Number.isSafeInteger(ver.n) ||
        ver.n <= last ||
        typeof ver.at !== 'number' ||
        typeof ver.label !== 'string' ||
        typeof ver.tab !== 'string' ||
        !kind.is(ver.value)
      )
        return damaged('a version in it is not one this playground writes');
      last = ver.n;
    }
    return {
      status: 'ok',
      doc: { kind: d.kind, id: d.id, rev: d.rev, versions: d.versions as Version<T>[] },
    };
  }

  #keys(prefix = DOC_PREFIX): string[] {
    const keys: string[] = [];
    try {
      const s = this.#storage;
      if (!s) return keys;
      for (let i = 0; i < s.length; i++) {
        const k = s.key(i);
        if (k?.startsWith(prefix)) keys.push(k);
      }
    } catch {
      // storage that cannot be listed lists nothing
    }
    return keys;
  }

  #get(key: string): string | null {
    try {
      return this.#storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }
}

const UNAVAILABLE = 'this browser does not let the page keep anything (storage is switched off or blocked)';

function serialise(doc: Doc<unknown>): string {
  return JSON.stringify({
    format: STORE_FORMAT,
    kind: doc.kind,
    id: doc.id,
    rev: doc.rev,
    versions: doc.versions,
  });
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A kind that takes any value: for listing documents of kinds this page does not know. */
function anyKind(name: string): DocKind<unknown> {
  return { name, is: (v): v is unknown => v !== undefined };
}

/**
 * One document being edited in this tab, over the work store: what the page calls when the user types,
 * replaces the text (a copy, a file, a link), restores a version, or settles a conflict with another tab.
 * It keeps what the page shows about it: whether the text on screen is kept (and as which version), the
 * undo of the last replacement, and a conflict waiting for the user's choice. Plain TypeScript (the page's
 * state copies these fields into its reactive state).
 */
import type { Doc, DocKind, ExternalChange, Refusal, Version, WorkStore, WriteResult } from './work-store';

/** Whether what the editor shows is kept in this browser. */
export type KeepState =
  /** Nothing to keep yet. */
  | { state: 'new' }
  /** Kept, as version `n` (made or last changed at `at`). */
  | { state: 'kept'; n: number; at: number }
  /** Not kept, and why; the page says so with what to do. */
  | { state: 'not-kept'; why: 'full' | 'unavailable' | 'conflict' | 'damaged'; message: string };

/** The last replacement, and the version that undoes it. */
export interface Undo {
  /** What replaced the text ("copy of kerberos-101"). */
  label: string;
  /** The version the text was before. */
  n: number;
}

/** Another tab's change, waiting for the user: theirs, or undefined when they removed it. */
export interface Conflict<T> {
  theirs: Version<T> | undefined;
}

export class Draft<T> {
  /** The revision this tab last read or wrote. */
  rev = 0;
  keep: KeepState = { state: 'new' };
  undo: Undo | undefined;
  conflict: Conflict<T> | undefined;

  readonly #store: WorkStore;
  readonly #kind: DocKind<T>;
  readonly #id: string;
  /** The current version is this tab's typing, so more typing amends it. */
  #typing = false;
  /** What this tab last kept or adopted: the text on screen equals it when nothing is unkept. */
  #kept: T | undefined;

  constructor(store: WorkStore, kind: DocKind<T>, id: string) {
    this.#store = store;
    this.#kind = kind;
    this.#id = id;
  }

  get id(): string {
    return this.#id;
  }

  /** Reads the document: its current version, if any. A damaged one is said, and left alone. */
  load(): Version<T> | undefined {
    const r = this.#store.read(this.#kind, this.#id);
    this.#typing = false;
    if (r.status === 'ok') {
      this.rev = r.doc.rev;
      const head = r.doc.versions.at(-1)!;
      this.#kept = head.value;
      this.keep = { state: 'kept', n: head.n, at: head.at };
      return head;
    }
    this.rev = 0;
    this.#kept = undefined;
    this.keep =
      r.status === 'absent' ? { state: 'new' } : { state: 'not-kept', why: r.status, message: r.message };
    return undefined;
  }

  /** The versions kept, newest first (empty when there are none or they cannot be read). */
  history(): Version<T>[] {
    const r = this.#store.read(this.#kind, this.#id);
    return r.status === 'ok' ? [...r.doc.versions].reverse() : [];
  }

  /** The user typed: the text is kept, one version per burst of typing. */
  edit(value: T): KeepState {
    if (this.conflict) return this.keep;
    const r = this.#store.write(this.#kind, this.#id, value, {
      base: this.rev,
      label: 'typed',
      amend: this.#typing,
    });
    if (r.ok) this.#typing = true;
    return this.#after(r);
  }

  /**
   * The text is replaced by something else (a copy of a catalogue scenario, a file, a share link's
   * scenario): a new version, and the undo that brings back the one before.
   */
  replace(value: T, label: string): KeepState {
    const before = this.#store.read(this.#kind, this.#id);
    const previous = before.status === 'ok' ? before.doc.versions.at(-1) : undefined;
    if (this.conflict) return this.keep;
    const r = this.#store.write(this.#kind, this.#id, value, { base: this.rev, label });
    this.#typing = false;
    this.#after(r);
    if (r.ok && r.written && previous) this.undo = { label, n: previous.n };
    return this.keep;
  }

  /** The text is run (or otherwise used): it is kept, and the next typing starts a new version. */
  checkpoint(value: T): KeepState {
    this.edit(value);
    this.#typing = false;
    return this.keep;
  }

  /** Undoes the last replacement: the version before it becomes current again. */
  undoReplace(): T | undefined {
    const u = this.undo;
    if (!u) return undefined;
    const value = this.restore(u.n, `undo of “${u.label}”: version ${u.n} again`);
    if (value !== undefined) this.undo = undefined;
    return value;
  }

  /** Makes version `n` current again (as a new version); its value, or undefined when that failed. */
  restore(n: number, label?: string): T | undefined {
    if (this.conflict) return undefined;
    const r = this.#store.restore(this.#kind, this.#id, n, {
      base: this.rev,
      ...(label !== undefined ? { label } : {}),
    });
    this.#typing = false;
    if (!r.ok) {
      this.#after(r);
      return undefined;
    }
    const value = r.doc.versions.at(-1)!.value;
    this.#after(r);
    return value;
  }

  /**
   * Another tab wrote (or removed) the document. When nothing is at stake here — the editor is closed and
   * everything this tab showed is kept — their version is taken quietly (ours is in the history) and
   * returned. Otherwise the user is asked (`conflict`), and nothing this tab types is kept until they
   * choose.
   */
  external(change: ExternalChange<T>, here: { value: T; editing: boolean }): T | undefined {
    if (change.id !== undefined && change.id !== this.#id) return undefined;
    const doc = change.doc;
    if (doc && 'damaged' in doc) {
      this.keep = { state: 'not-kept', why: 'damaged', message: doc.damaged };
      return undefined;
    }
    if (doc && doc.rev === this.rev) return undefined;
    const theirs = doc?.versions.at(-1);
    if (theirs && same(theirs.value, here.value)) {
      this.#adopt(doc, theirs);
      return undefined;
    }
    const unkept = this.#kept === undefined ? !isBlank(here.value) : !same(here.value, this.#kept);
    if (!here.editing && !unkept) {
      if (theirs) {
        this.#adopt(doc, theirs);
        return theirs.value;
      }
      // removed there, nothing of this tab's at stake: removed here too (the other tab offered its undo)
      this.rev = 0;
      this.#kept = undefined;
      this.#typing = false;
      this.undo = undefined;
      this.keep = { state: 'new' };
      return undefined;
    }
    this.#conflictWith(theirs);
    return undefined;
  }

  /** Settles a conflict for this tab's text: it becomes the newest version; theirs stays in the history. */
  keepMine(value: T): KeepState {
    const r = this.#store.read(this.#kind, this.#id);
    this.conflict = undefined;
    this.rev = r.status === 'ok' ? r.doc.rev : 0;
    const w = this.#store.write(this.#kind, this.#id, value, {
      base: this.rev,
      label: 'kept over another tab’s version',
    });
    this.#typing = false;
    return this.#after(w);
  }

  /**
   * Settles a conflict for the other tab's text. This tab's text, if it had anything not kept, is kept
   * first as a version of its own, so taking theirs loses nothing. Returns the text to show.
   */
  takeTheirs(mine: T): T | undefined {
    const r = this.#store.read(this.#kind, this.#id);
    this.conflict = undefined;
    this.#typing = false;
    if (r.status !== 'ok') {
      // they removed it: nothing of theirs to take; keep ours as the document again
      this.rev = 0;
      this.#after(
        this.#store.write(this.#kind, this.#id, mine, {
          base: 0,
          label: 'kept after another tab removed it',
        }),
      );
      return mine;
    }
    this.rev = r.doc.rev;
    const theirs = r.doc.versions.at(-1)!;
    const unkept = this.#kept === undefined ? !isBlank(mine) : !same(mine, this.#kept);
    if (unkept && !same(mine, theirs.value)) {
      const aside = this.#store.write(this.#kind, this.#id, mine, {
        base: this.rev,
        label: 'this tab’s text, set aside for the other tab’s',
      });
      if (!aside.ok) {
        this.#after(aside);
        return undefined;
      }
      const back = this.#store.restore(this.#kind, this.#id, theirs.n, {
        base: aside.doc.rev,
        label: `the other tab’s version ${theirs.n}`,
      });
      if (!back.ok) {
        this.#after(back);
        return undefined;
      }
      return this.#afterValue(back);
    }
    this.#adopt(r.doc, theirs);
    return theirs.value;
  }

  /** Frees space for this document by dropping all but its two newest versions, then keeps `value`. */
  freeSpace(value: T): KeepState {
    const t = this.#store.trim(this.#kind, this.#id, { base: this.rev });
    if (t.ok) this.rev = t.doc.rev;
    else if (t.why !== 'missing') return this.#after(t);
    return this.edit(value);
  }

  /** Keeps `value` over a damaged entry, which is set aside under a key of its own (not erased). */
  replaceDamaged(value: T): KeepState {
    const r = this.#store.write(this.#kind, this.#id, value, {
      base: 0,
      label: 'kept over a damaged entry',
      replaceDamaged: true,
    });
    this.#typing = false;
    return this.#after(r);
  }

  /** Removes the document; the removed one comes back for an undo. */
  forget(): Doc<T> | undefined {
    const r = this.#store.remove(this.#kind, this.#id, { base: this.rev });
    if (!r.ok) {
      this.#after(r);
      return undefined;
    }
    this.rev = 0;
    this.#kept = undefined;
    this.#typing = false;
    this.undo = undefined;
    this.keep = { state: 'new' };
    return r.removed;
  }

  /** Undoes `forget`. */
  unforget(removed: Doc<T>): Version<T> | undefined {
    const r = this.#store.putBack(this.#kind, removed);
    if (!r.ok) {
      this.#after(r);
      return undefined;
    }
    this.#afterValue(r);
    return r.doc.versions.at(-1);
  }

  #adopt(doc: Doc<T> | undefined, head: Version<T>): void {
    this.rev = doc?.rev ?? 0;
    this.#kept = head.value;
    this.#typing = false;
    this.conflict = undefined;
    this.keep = { state: 'kept', n: head.n, at: head.at };
  }

  #conflictWith(theirs: Version<T> | undefined): void {
    this.conflict = { theirs };
    this.#typing = false;
    this.keep = {
      state: 'not-kept',
      why: 'conflict',
      message: theirs
        ? `another tab changed this scenario (version ${theirs.n}, ${theirs.label}): choose which to keep`
        : 'another tab removed this scenario: choose whether to keep yours',
    };
  }

  #afterValue(r: Extract<WriteResult<T>, { ok: true }>): T {
    const head = r.doc.versions.at(-1)!;
    this.rev = r.doc.rev;
    this.#kept = head.value;
    this.keep = { state: 'kept', n: head.n, at: head.at };
    return head.value;
  }

  #after(r: WriteResult<T> | Refusal<T>): KeepState {
    if (r.ok) {
      this.#afterValue(r);
      return this.keep;
    }
    if (r.why === 'conflict') {
      this.#conflictWith(r.theirs?.versions.at(-1));
      return this.keep;
    }
    if (r.why === 'missing') return this.keep;
    this.#typing = false;
    this.keep = { state: 'not-kept', why: r.why, message: r.message };
    return this.keep;
  }
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function isBlank(v: unknown): boolean {
  return v === undefined || (typeof v === 'string' && v.trim() === '');
}

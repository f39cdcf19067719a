/**
 * The user's own scenario text is never lost: every edit is kept in this browser's localStorage, and the
 * page offers it back after a reload. Storage that is full or switched off only means no offer.
 */
export const SAVED_JSON_KEY = 'kerberos-playground:user-scenario';

export interface SavedJson {
  text: string;
  /** When it was last edited (ms since the epoch, the reader's real clock). */
  savedAt: number;
}

export function saveJson(text: string, storage: Storage | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(SAVED_JSON_KEY, JSON.stringify({ text, savedAt: Date.now() } satisfies SavedJson));
  } catch {
    // full or disabled: nothing to do
  }
}

export function loadSavedJson(storage: Storage | undefined = globalThis.localStorage): SavedJson | undefined {
  try {
    const raw = storage?.getItem(SAVED_JSON_KEY);
    if (!raw) return undefined;
    const v = JSON.parse(raw) as Partial<SavedJson>;
    if (typeof v.text !== 'string' || v.text.trim() === '') return undefined;
    return { text: v.text, savedAt: typeof v.savedAt === 'number' ? v.savedAt : 0 };
  } catch {
    return undefined;
  }
}

export function forgetSavedJson(storage: Storage | undefined = globalThis.localStorage): void {
  try {
    storage?.removeItem(SAVED_JSON_KEY);
  } catch {
    // nothing to forget
  }
}

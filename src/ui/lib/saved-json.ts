/**
 * The user's own scenario text, as a document of the work store (work-store.ts): kind "scenario-json",
 * one document, "mine", that the JSON editor edits. Every edit is kept with its history; the page offers
 * it back after a reload.
 */
import type { DocKind, WorkStore } from './work-store';

/** The key an earlier version of the page kept the text under ({ text, savedAt }), read once and moved. */
export const LEGACY_SAVED_JSON_KEY = 'kerberos-playground:user-scenario';

export const SCENARIO_JSON: DocKind<string> = {
  name: 'scenario-json',
  is: (v): v is string => typeof v === 'string',
};

/** The document the JSON editor edits. */
export const MY_SCENARIO = 'mine';

/**
 * Moves the text an earlier version of the page kept into the store, as the document's first version;
 * the old key goes only once the store holds it. Nothing happens when the store has the document already.
 */
export function migrateLegacyJson(store: WorkStore, storage: Storage | undefined): void {
  let raw: string | null | undefined;
  try {
    raw = storage?.getItem(LEGACY_SAVED_JSON_KEY);
  } catch {
    return;
  }
  if (!raw) return;
  let text: unknown;
  try {
    text = (JSON.parse(raw) as { text?: unknown }).text;
  } catch {
    return; // unreadable: left where it is
  }
  if (typeof text !== 'string' || text.trim() === '') return;
  if (store.read(SCENARIO_JSON, MY_SCENARIO).status !== 'absent') return;
  const r = store.write(SCENARIO_JSON, MY_SCENARIO, text, {
    base: 0,
    label: 'kept by an earlier version of the playground',
  });
  if (r.ok) {
    try {
      storage?.removeItem(LEGACY_SAVED_JSON_KEY);
    } catch {
      // it stays; the store has the text either way
    }
  }
}

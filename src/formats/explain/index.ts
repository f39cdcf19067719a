/**
 * One explanation catalogue for every field the decoder names: plain words for a new engineer and the
 * clause of the specification it comes from, as links (shown to the reader; nothing is fetched).
 * Used by the inspector (on hover and focus of a field) and by `krbplay decode --explain`.
 */
export { CATALOGUE, explainPath } from './resolve';
export type { Explanation, ValueNote } from './resolve';
export { specLinks } from './spec';
export type { SpecLink } from './spec';
export type { Catalogue, Entry, Field, Shape } from './types';

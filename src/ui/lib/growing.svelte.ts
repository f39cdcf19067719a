/**
 * A list that grows at its end, drawn a slice a frame: the trace after a step or a clock move, the console
 * after a clock move of hours (dozens of renewals printed). The items it had when the last frame was drawn
 * stay; what it adds comes `slice` at a time, each in a task of its own after the frame that drew the
 * one before, so that no task makes and lays out a hundred rows. A new list (a saved run opened over
 * another, another host's console) keeps only the items the two begin with alike (`same`).
 */
import { untrack } from 'svelte';
import { afterNextPaint } from './scroll';

/** A list's items, and how many at their start are the very objects of the list before. */
export interface Listed<T> {
  items: readonly T[];
  same: number;
}

export class GrowingList<T> {
  readonly #slice: number;
  readonly #list: () => Listed<T>;
  /** The first `n` of the items `of` were in the page when the last frame was drawn. */
  #settled = $state.raw<{ of: readonly T[]; n: number }>({ of: [], n: 0 });

  /** How many of the items are drawn now. */
  readonly upTo = $derived.by(() => {
    const { items, same } = this.#list();
    const s = this.#settled;
    return Math.min(items.length, (s.of === items ? s.n : Math.min(s.n, same)) + this.#slice);
  });

  /** Some items are still to come. */
  readonly growing = $derived.by(() => this.upTo < this.#list().items.length);

  /** Made while a component starts (it runs an effect): `list()` is the list, read reactively. */
  constructor(slice: number, list: () => Listed<T>) {
    this.#slice = slice;
    this.#list = list;
    $effect(() => {
      const { items } = this.#list();
      const now = this.upTo;
      if (now >= items.length) this.#settled = { of: items, n: items.length };
      else return afterNextPaint(() => (this.#settled = { of: items, n: now }));
    });
  }

  /** Every item now (a row walked to with the keyboard must be in the page at once). */
  whole(): void {
    const { items } = untrack(this.#list);
    this.#settled = { of: items, n: items.length };
  }
}

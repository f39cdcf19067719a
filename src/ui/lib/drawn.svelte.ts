/**
 * A long list drawn a slice a frame. A list up to `allAtOnce` items is drawn whole, as before; a longer
 * one (a customer's capture keeps 2,000 messages, and the tickets they name) starts with its first
 * `first` items and draws `perFrame` more each animation frame, so that no task of the page makes and lays
 * out thousands of elements at once, and the page answers while the rest comes in.
 */
import { untrack } from 'svelte';
import { inNextFrame } from './scroll';

export class DrawnSoFar {
  #count = $state(0);

  /**
   * Made while a component starts: `list()` names the list (a new run's title); when it changes, the
   * drawing starts from its first slice again.
   */
  constructor(
    readonly allAtOnce: number,
    readonly first: number,
    readonly perFrame: number,
    list: () => unknown,
  ) {
    this.#count = first;
    $effect.pre(() => {
      void list();
      untrack(() => this.reset());
    });
  }

  /** A new list: from its first slice again. */
  reset(): void {
    this.#count = this.first;
  }

  /** The items to draw now. */
  slice<T>(items: readonly T[]): readonly T[] {
    return items.length <= this.allAtOnce || items.length <= this.#count
      ? items
      : items.slice(0, this.#count);
  }

  /** From an $effect: the next slice in the next frame, while some of `total` items are not drawn. */
  grow(total: number): (() => void) | undefined {
    if (total <= this.allAtOnce || this.#count >= total) return undefined;
    return inNextFrame(() => (this.#count += this.perFrame));
  }

  /** At least the first `n` items drawn now (a row selected before its slice came). */
  atLeast(n: number): void {
    if (n > untrack(() => this.#count)) this.#count = n;
  }
}

/**
 * The page's side of a windowed list of rows that differ in height (lib/row-window.ts is the arithmetic):
 * each drawn row's height measured by one ResizeObserver and kept under the row's key, and the part of the
 * list in sight, read when its scroller or the page scrolls or the window is resized. A list that scrolls
 * inside its own card (the app layout) and one that scrolls with the page (a narrow screen) are read alike:
 * the part in sight is where the list meets both the card and the window.
 */
import { SvelteMap } from 'svelte/reactivity';
import { offsetsOf, revealDelta } from './row-window';

export class ListWindow {
  /** The top of the part in sight, in pixels from the list's top. */
  from = $state(0);
  /** The height of the part in sight, in pixels (a window's worth until it is read). */
  viewport = $state(800);
  /** The heights measured, by row key (reactive: `offsets` is read again when one changes). */
  #heights = new SvelteMap<string, number>();
  #observer: ResizeObserver | undefined;
  #keyOf = new WeakMap<Element, string>();
  readonly #estimate: number;

  /** `estimate`: a row's height, in pixels, until one is measured. */
  constructor(estimate: number) {
    this.#estimate = estimate;
  }

  /** Where each of these rows starts (and the list's height), from the heights measured so far. */
  offsets(keys: readonly string[]): Float64Array {
    let sum = 0;
    for (const h of this.#heights.values()) sum += h;
    const estimate = this.#heights.size > 0 ? sum / this.#heights.size : this.#estimate;
    return offsetsOf(keys, this.#heights, estimate);
  }

  /** An attachment (`{@attach w.measure(key)}`) that keeps the row's height under `key` while it is drawn. */
  measure(key: string): (el: Element) => () => void {
    return (el) => {
      this.#observer ??= new ResizeObserver((entries) => this.#measured(entries));
      this.#keyOf.set(el, key);
      this.#observer.observe(el);
      return () => this.#observer?.unobserve(el);
    };
  }

  #measured(entries: ResizeObserverEntry[]): void {
    for (const e of entries) {
      const key = this.#keyOf.get(e.target);
      const h = e.borderBoxSize[0]?.blockSize ?? e.contentRect.height;
      if (key !== undefined && h > 0 && this.#heights.get(key) !== h) this.#heights.set(key, h);
    }
  }

  /** Follows the part of `list` in sight within `scroller` and the window; returns what stops it. */
  follow(scroller: HTMLElement, list: HTMLElement): () => void {
    const read = () => {
      const r = list.getBoundingClientRect();
      const c = scroller.getBoundingClientRect();
      const top = Math.max(c.top, 0);
      const bottom = Math.min(c.bottom, window.innerHeight);
      this.from = top - r.top;
      this.viewport = Math.max(0, bottom - top);
    };
    const frame = requestAnimationFrame(read);
    const options = { passive: true } as const;
    scroller.addEventListener('scroll', read, options);
    window.addEventListener('scroll', read, options);
    window.addEventListener('resize', read, options);
    return () => {
      cancelAnimationFrame(frame);
      scroller.removeEventListener('scroll', read);
      window.removeEventListener('scroll', read);
      window.removeEventListener('resize', read);
    };
  }

  /**
   * Scrolls row `index` into sight by its offsets (it need not be drawn yet) when the scroller scrolls on
   * its own. The part in sight moves at once, so the row is drawn in the same update. A list that scrolls
   * with the page (a narrow screen) is left where it is, as lib/scroll.ts's revealWithin leaves a whole
   * one: selecting a row never moves the page under the reader.
   */
  reveal(scroller: HTMLElement, offsets: Float64Array, index: number, margin = 48): void {
    if (scroller.scrollHeight <= scroller.clientHeight) return;
    const delta = revealDelta(offsets, index, this.from, this.viewport, margin);
    if (delta === 0) return;
    scroller.scrollTop += delta;
    this.from += delta;
  }
}

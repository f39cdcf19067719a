/**
 * Work the worker does ahead of need (a scenario's password keys, made before a step asks for them), held
 * until the page has drawn its first screen. The page's first frames and the worker's native PBKDF2 would
 * otherwise share the machine's cores just when the page is being drawn; a step that needs a key before it
 * is made makes it itself, only slower.
 */
export class AheadOfNeed {
  #open = false;
  #waiting: (() => void) | undefined;

  /** Runs `work` now if the page has drawn, else when it has; a newer `later` replaces work still waiting. */
  later(work: () => void): void {
    if (this.#open) work();
    else this.#waiting = work;
  }

  /** The page has drawn: what waits runs now, and whatever comes later runs at once. */
  open(): void {
    this.#open = true;
    const work = this.#waiting;
    this.#waiting = undefined;
    work?.();
  }

  /** True once the page has drawn. */
  get isOpen(): boolean {
    return this.#open;
  }
}

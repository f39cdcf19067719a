/**
 * A page mounted in parts, one part per task. The playground's first draw made every pane at once (the step
 * bar, the sequence, the inspector, the ticket lifetimes, the console, the policies, the Security log...),
 * one task of 150 ms and more, in which the page answered nothing. With stages the step bar and the
 * sequence come first and the page can be used; each later part mounts in a task of its own, with the
 * browser free between them to draw and to answer a click or a key.
 */
export type Schedule = (run: () => void) => () => void;

/** The next task: after any input and drawing the browser has waiting (a timer, not a microtask). */
export const nextTask: Schedule = (run) => {
  const id = setTimeout(run, 0);
  return () => clearTimeout(id);
};

export class Stages {
  #shown = 0;
  #cancel: (() => void) | undefined;

  /**
   * `count` parts after the first; `show(n)` is called with 1, 2, ... `count`, each in its own task, once
   * `start()` is called.
   */
  constructor(
    readonly count: number,
    private readonly show: (n: number) => void,
    private readonly schedule: Schedule = nextTask,
  ) {}

  /** How many later parts are shown so far (0 before the first task ran). */
  get shown(): number {
    return this.#shown;
  }

  /** Starts the chain of tasks; a second call while it runs, or once done, does nothing. */
  start(): void {
    if (this.#cancel || this.#shown >= this.count) return;
    const step = () => {
      this.#shown++;
      this.show(this.#shown);
      this.#cancel = this.#shown < this.count ? this.schedule(step) : undefined;
    };
    this.#cancel = this.schedule(step);
  }

  /** Stops the chain (the page is leaving). */
  stop(): void {
    this.#cancel?.();
    this.#cancel = undefined;
  }
}

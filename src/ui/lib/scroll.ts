/**
 * Scrolls a container (a pane, the tree, the hex dump) so that one of its elements is in sight, without
 * moving the page: Element.scrollIntoView would scroll every ancestor, the window included.
 */
export function revealWithin(container: HTMLElement, el: HTMLElement, margin = 32): void {
  if (container.scrollHeight <= container.clientHeight) return;
  const top = el.getBoundingClientRect().top - container.getBoundingClientRect().top + container.scrollTop;
  const bottom = top + el.getBoundingClientRect().height;
  if (top < container.scrollTop + margin || bottom > container.scrollTop + container.clientHeight - margin) {
    container.scrollTop = Math.max(0, top - container.clientHeight / 3);
  }
}

/** The top and bottom of an element's box, in the window's coordinates (a DOMRect is one). */
export interface Edges {
  top: number;
  bottom: number;
}

/**
 * Whether a pane (`below`: the inspector) should be brought into the window when something is picked in
 * another (`above`: the sequence): only when the two are stacked, `below` starting under `above`'s end (a
 * narrow screen; beside it, on a wide one, it is in sight already), and less than a third of the window, or
 * less than the whole of it when it is shorter, shows it.
 */
export function stackedOutOfSight(above: Edges, below: Edges, windowHeight: number): boolean {
  if (below.top < above.bottom - 1) return false;
  const seen = Math.min(below.bottom, windowHeight) - Math.max(below.top, 0);
  return seen < Math.min(below.bottom - below.top, windowHeight / 3) - 1;
}

/**
 * Scrolls the page to bring `below` (the inspector) into the window after a pick in `above` (a row of the
 * sequence), when stackedOutOfSight says so: its top `margin` px under the window's top, smoothly unless the
 * reader prefers reduced motion. Reads the layout: call it in a frame (inNextFrame), after the pick is drawn.
 */
export function revealStacked(above: HTMLElement, below: HTMLElement, margin = 8): void {
  const box = below.getBoundingClientRect();
  if (!stackedOutOfSight(above.getBoundingClientRect(), box, window.innerHeight)) return;
  const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  window.scrollTo({ top: window.scrollY + box.top - margin, behavior: reduce ? 'instant' : 'smooth' });
}

/**
 * Runs `fn` in the next frame, before it is drawn, and returns what cancels it: an effect that reads the
 * layout (to reveal a row) waits there, so the page lays out once, after every update of the step, and
 * outside the task that made them. An effect returns the cancel as its teardown.
 */
export function inNextFrame(fn: () => void): () => void {
  const id = requestAnimationFrame(fn);
  return () => cancelAnimationFrame(id);
}

/**
 * An attachment (`{@attach widthInto(set)}`) that reports an element's content width as it changes, from a
 * ResizeObserver: unlike `bind:clientWidth`, it never reads the layout when the element is mounted.
 */
export function widthInto(set: (width: number) => void): (el: Element) => () => void {
  return (el) => {
    const observer = new ResizeObserver(([entry]) => {
      if (entry) set(entry.contentRect.width);
    });
    observer.observe(el);
    return () => observer.disconnect();
  };
}

/**
 * An attachment (`{@attach inSightInto(set)}`) that reports whether an element is in the window, from an
 * IntersectionObserver: its reports come after the frame's layout, and it never reads the layout itself.
 */
export function inSightInto(set: (inSight: boolean) => void): (el: Element) => () => void {
  return (el) => {
    const observer = new IntersectionObserver((entries) => {
      const last = entries.at(-1);
      if (last) set(last.isIntersecting);
    });
    observer.observe(el);
    return () => observer.disconnect();
  };
}

/**
 * Runs `fn` in a task of its own after the next frame is drawn, and returns what cancels it: a part of the
 * page that can come a moment later is made there, so that the task before, and the frame that draws it,
 * do not carry it too. A hidden page draws no frame (a background tab, an embed's iframe off screen): there
 * `fn` runs in the next task, and so it does when the page is hidden while it waits.
 */
export function afterNextPaint(fn: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let frame: number | undefined;
  const soon = () => {
    if (frame !== undefined) cancelAnimationFrame(frame);
    frame = undefined;
    document.removeEventListener('visibilitychange', onHidden);
    timer = setTimeout(fn, 0);
  };
  const onHidden = () => {
    if (document.visibilityState === 'hidden') soon();
  };
  if (document.visibilityState === 'hidden') timer = setTimeout(fn, 0);
  else {
    frame = requestAnimationFrame(soon);
    document.addEventListener('visibilitychange', onHidden);
  }
  return () => {
    if (frame !== undefined) cancelAnimationFrame(frame);
    document.removeEventListener('visibilitychange', onHidden);
    clearTimeout(timer);
  };
}

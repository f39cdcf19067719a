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

// The page's long tasks, for the benches that drive Chromium (ui, fleet): a PerformanceObserver installed
// before the page's own scripts run keeps every main-thread task over 50 ms in window.__longTasks.
import type { Page } from 'playwright-core';
import type { BrowserSuite, PageRecord } from '../e2e/browser';

export interface Task {
  start: number;
  duration: number;
}

/** Runs in the page before its scripts: keep every long task, and a mark for each phase's start. */
export function observeLongTasks(): void {
  const w = window as unknown as { __longTasks: Task[] };
  w.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/** The long tasks the page has seen so far, once the observer has delivered the last ones. */
export async function longTasks(page: Page): Promise<Task[]> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  return page.evaluate(() => (window as unknown as { __longTasks: Task[] }).__longTasks);
}

/**
 * Opens a page of the site in a fresh context at 1280×800, loaded again once the observer (and `more`
 * scripts of the bench's own) is in place, so that it sees the page's own scripts from their start.
 */
export async function openObserved(
  site: BrowserSuite,
  path: string,
  more: (() => void)[] = [],
): Promise<PageRecord> {
  const v = await site.open(path);
  await v.context.addInitScript(observeLongTasks);
  for (const script of more) await v.context.addInitScript(script);
  await v.page.setViewportSize({ width: 1280, height: 800 });
  await v.page.reload({ waitUntil: 'load' });
  return v;
}

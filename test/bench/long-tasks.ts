// The page's long tasks, for the benches that drive Chromium (ui, fleet): a PerformanceObserver installed
// before the page's own scripts run keeps every main-thread task over 50 ms in window.__longTasks.
import type { Page } from 'playwright-core';
import type { BrowserSuite, PageRecord } from '../e2e/browser';

export interface Task {
  start: number;
  duration: number;
  /** From a trace: the task's wall time (`duration` is then its CPU time). */
  wall?: number;
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
 * Opens a page of the site in a fresh context at 1280×800, loaded again once the observer (and the bench's
 * own `scripts`) is in place, so that it sees the page's own scripts from their start. `trace`: a Chromium
 * trace of the page's tasks runs from before that load (read back with `cpuTasks`).
 */
export async function openObserved(
  site: BrowserSuite,
  path: string,
  { scripts = [], trace = false }: { scripts?: (() => void)[]; trace?: boolean } = {},
): Promise<PageRecord> {
  const v = await site.open(path);
  await v.context.addInitScript(observeLongTasks);
  for (const script of scripts) await v.context.addInitScript(script);
  await v.page.setViewportSize({ width: 1280, height: 800 });
  if (trace) await v.context.browser()!.startTracing(v.page, { categories: TRACED });
  await v.page.reload({ waitUntil: 'load' });
  return v;
}

/** The trace's categories: every task of the page's threads (toplevel) and the page's own marks. */
const TRACED = ['toplevel', 'blink.user_timing'];
const SYNC = 'bench-trace-sync';

/** A trace event, as much of it as is read here. */
interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
}

/**
 * Stops the trace `openObserved` started and returns every task of the page's main thread over `overMs` of
 * the thread's own CPU time (its `duration`; `wall`, its wall time), on the page's clock (`start`, as
 * `performance.now()`). On a busy machine a task's wall time counts the time the thread waited for a core;
 * its CPU time does not.
 */
export async function cpuTasks(page: Page, overMs = 50): Promise<Task[]> {
  // a mark in the page: the trace's clock against performance.now(), and the main thread's id
  const at = await page.evaluate((name) => performance.mark(name).startTime, SYNC);
  const events = (
    JSON.parse((await page.context().browser()!.stopTracing()).toString()) as {
      traceEvents: TraceEvent[];
    }
  ).traceEvents;
  const mark = events.find((e) => e.name === SYNC);
  if (!mark) throw new Error('the trace holds no mark from the page');
  const offset = mark.ts / 1000 - at;
  const onMain = events.filter((e) => e.pid === mark.pid && e.tid === mark.tid && e.ph === 'X');
  // the scheduler's task, or in older Chromiums the one it is named by
  const name = onMain.some((e) => e.name === 'ThreadControllerImpl::RunTask')
    ? 'ThreadControllerImpl::RunTask'
    : 'RunTask';
  return onMain
    .filter((e) => e.name === name && (e.tdur ?? 0) > overMs * 1000)
    .map((e) => ({ start: e.ts / 1000 - offset, duration: e.tdur! / 1000, wall: (e.dur ?? 0) / 1000 }));
}

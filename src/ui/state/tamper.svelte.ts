/**
 * A tamper played from the inspector (TamperControl.svelte), and the comparison it leaves: the original
 * request and its answer, the replayed request and the answer it got. It outlives the control (which the
 * inspector shows only while a KDC request is selected, and so drops while the run moves): one session a
 * page, kept beside its Playground.
 */
import type { TraceRow } from '../engine/protocol';
import type { Playground } from './playground.svelte';
import { afterReply, answerLine, isReply, replayOf, replyTo, skipOf } from '../lib/tamper';

/** One side of the comparison: a request and what came back (for a reply: what its client did with it). */
export interface Exchange {
  request: TraceRow;
  answer: string;
  refused: boolean;
}

export interface PlayedTamper {
  action: Record<string, unknown>;
  title: string;
  /** The step that sent the request (1-based) in the original run; the tamper goes in before it. */
  step: number;
  /** Which request of its kind in that step (the action's `skip`). */
  skip: number;
  original: Exchange;
  replay?: Exchange;
  /** The tamper was taken back: the run shows the original. */
  undone: boolean;
}

/** A request and its answer; a reply (changed on its way) and what its client made of it. */
const exchange = (trace: readonly TraceRow[], request: TraceRow): Exchange => {
  if (isReply(request)) return { request, ...afterReply(trace, request) };
  const reply = replyTo(trace, request);
  return { request, answer: answerLine(reply), refused: reply?.errorCode !== undefined };
};

export class TamperSession {
  readonly #pg: Playground;
  played = $state.raw<PlayedTamper | undefined>();
  problem = $state<string | undefined>();

  constructor(pg: Playground) {
    this.#pg = pg;
  }

  /**
   * Puts `action` (a `tamper` timeline action aimed at `request`) into the timeline just before the step
   * that sent the request, plays the run again from there, and selects the replayed request.
   */
  async play(request: TraceRow, action: Record<string, unknown>, title: string): Promise<void> {
    const pg = this.#pg;
    this.problem = undefined;
    const step = request.step;
    const skip = skipOf(pg.summary?.trace ?? [], request);
    const original = exchange(pg.summary?.trace ?? [], request);
    await pg.goto(step - 1);
    const before = pg.stepCount;
    await pg.insertAction(action, 'tamper');
    if (pg.notice || pg.stepCount !== before + 1) {
      // refused (a value the action does not take): back where the user was, saying why
      const why = pg.notice ?? 'the tamper could not be played';
      await pg.goto(step);
      await pg.select(request.seq);
      this.problem = why;
      return;
    }
    // the tamper is now step `step`; the request's own step, played again, is the next one
    await pg.goto(step + 1);
    const trace = pg.summary?.trace ?? [];
    const replayed = replayOf(trace, request, step + 1, skip);
    this.played = {
      action,
      title,
      step,
      skip,
      original,
      undone: false,
      ...(replayed ? { replay: exchange(trace, replayed) } : {}),
    };
    if (replayed) await pg.select(replayed.seq);
  }

  /** Back to the original: the tamper taken out of the timeline, the original request selected. */
  async showOriginal(): Promise<void> {
    const p = this.played;
    const pg = this.#pg;
    if (!p || p.undone) return;
    await pg.undoInsert();
    await pg.goto(p.step);
    const original = replayOf(pg.summary?.trace ?? [], p.original.request, p.step, p.skip);
    if (original) await pg.select(original.seq);
    this.played = { ...p, undone: true };
  }

  /** The same tamper played again on the original run. */
  async showReplay(): Promise<void> {
    const p = this.played;
    if (!p?.undone) return;
    await this.play(p.original.request, p.action, p.title);
  }
}

const SESSIONS = new WeakMap<Playground, TamperSession>();

/** The page's tamper session (one per Playground). */
export function tamperSessionOf(pg: Playground): TamperSession {
  let s = SESSIONS.get(pg);
  if (!s) {
    s = new TamperSession(pg);
    SESSIONS.set(pg, s);
  }
  return s;
}

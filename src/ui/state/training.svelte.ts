/**
 * The training mode's state: on or off; when on, the questions of the step just played (lib/training.ts),
 * the one being asked, the learner's pick, and the score of the scenario, kept in the work store.
 *
 * The engine plays a step as always; the page then holds back that step's events from the first message
 * asked about, and reveals them one question at a time (`hideAfter`). Moving any other way than one step
 * forward (back, a jump, another scenario) asks nothing: there is nothing "next" to guess.
 */
import type { Summary } from '../engine/protocol';
import {
  questionsForStep,
  scored,
  scoreId,
  TRAINING_SCORE,
  type Question,
  type Score,
} from '../lib/training';
import { WorkStore } from '../lib/work-store';

const ZERO: Score = { right: 0, asked: 0 };

export class TrainingMode {
  on = $state(false);
  /** The questions of the step being asked about, in trace order. */
  questions = $state.raw<Question[]>([]);
  /** Which of them is asked now (questions.length: all answered). */
  index = $state(0);
  /** The learner's pick for the current question, once made: the answer is then shown. */
  picked = $state<string | undefined>();
  /** The score of the scenario played. */
  score = $state.raw<Score>(ZERO);
  /** Why the score could not be kept in this browser (it still counts on this page). */
  storeProblem = $state<string | undefined>();

  readonly #store: WorkStore;
  #step: number | undefined;
  #doc: string | undefined;

  constructor(storage: Storage | undefined, now: () => number = () => Date.now()) {
    this.#store = new WorkStore(storage, { tab: 'training', now });
  }

  readonly current = $derived<Question | undefined>(this.questions[this.index]);

  /**
   * The last trace event shown while questions remain: everything after it in the trace is held back
   * (undefined: nothing is held back).
   */
  readonly hideAfter = $derived.by<number | undefined>(() => {
    const q = this.current;
    if (!this.on || !q) return undefined;
    return this.picked !== undefined ? q.seq : q.seq - 1;
  });

  /** True once the current question is answered and another waits. */
  readonly more = $derived(this.index < this.questions.length - 1);

  /** Turns the mode on or off at the run as it stands (nothing is asked about what is already shown). */
  toggle(summary: Summary | undefined): void {
    this.on = !this.on;
    this.#clear(summary?.step);
    if (this.on && summary) this.#loadScore(summary);
  }

  /** The run moved: one step forward asks about that step's messages; anything else asks nothing. */
  observe(summary: Summary | undefined): void {
    if (!this.on || !summary) return;
    const doc = scoreId(summary.scenario);
    if (doc !== this.#doc) {
      this.#loadScore(summary);
      this.#clear(summary.step);
      return;
    }
    if (summary.step === this.#step) return;
    const forward = this.#step !== undefined && summary.step === this.#step + 1;
    this.#clear(summary.step);
    if (forward) this.questions = questionsForStep(summary);
  }

  /** The learner picks a choice: scored once, and kept. */
  answer(value: string): void {
    const q = this.current;
    if (!q || this.picked !== undefined || !q.choices.some((c) => c.value === value)) return;
    this.picked = value;
    this.#record(value === q.answer);
  }

  /** On to the next question (after an answer). */
  next(): void {
    if (this.picked === undefined || !this.current) return;
    this.index += 1;
    this.picked = undefined;
  }

  #clear(step: number | undefined): void {
    this.#step = step;
    this.questions = [];
    this.index = 0;
    this.picked = undefined;
  }

  #loadScore(summary: Summary): void {
    this.#doc = scoreId(summary.scenario);
    const r = this.#store.read(TRAINING_SCORE, this.#doc);
    this.score = r.status === 'ok' ? (r.doc.versions.at(-1)?.value ?? ZERO) : ZERO;
    this.storeProblem = r.status === 'damaged' || r.status === 'unavailable' ? r.message : undefined;
  }

  /** Adds an answer to the stored score (another tab's answers included: it is read again first). */
  #record(right: boolean): void {
    const id = this.#doc;
    if (id === undefined) return;
    const r = this.#store.read(TRAINING_SCORE, id);
    // a score this page cannot read back counts on from what the page shows
    const from =
      r.status === 'ok' ? (r.doc.versions.at(-1)?.value ?? ZERO) : r.status === 'absent' ? ZERO : this.score;
    this.score = scored(from, right);
    if (r.status === 'damaged' || r.status === 'unavailable') {
      this.storeProblem = r.message;
      return;
    }
    const w = this.#store.write(TRAINING_SCORE, id, this.score, {
      base: r.status === 'ok' ? r.doc.rev : 0,
      label: 'answers',
      amend: true,
    });
    this.storeProblem = w.ok ? undefined : w.message;
  }
}

/**
 * The one question the page asks before the user puts something into the timeline at an earlier step
 * (a typed command, a policy changed, the clock moved, a tamper): replace the later steps, or insert here
 * and keep them after it, or cancel. `askReplace(later)` answers at once when there is nothing later;
 * otherwise the ReplaceOrInsert dialog (mounted once by the playground) shows the question and settles
 * the promise with the user's choice (null: cancelled, nothing is put in).
 */

export type ReplaceChoice = 'replace' | 'insert';

export interface ReplaceQuestion {
  /** How many steps come after the current one. */
  later: number;
  /** What is about to be put in ("net use Z: …", "the cloud ticket GPO off"), for the dialog's words. */
  what?: string;
  answer(choice: ReplaceChoice | null): void;
}

class ReplacePrompt {
  /** The question on screen, if any. */
  question = $state.raw<ReplaceQuestion | undefined>();

  ask(later: number, what?: string): Promise<ReplaceChoice | null> {
    if (!(later > 0)) return Promise.resolve('insert');
    // a question still open (a second control used meanwhile) is cancelled, never left hanging
    this.question?.answer(null);
    return new Promise((resolve) => {
      const q: ReplaceQuestion = {
        later,
        ...(what ? { what } : {}),
        answer: (choice) => {
          if (this.question === q) this.question = undefined;
          resolve(choice);
        },
      };
      this.question = q;
    });
  }
}

/** The page's one prompt (the page has one playground). */
export const replacePrompt = new ReplacePrompt();

/**
 * Asks whether what the user is putting in replaces the `later` steps or goes before them; 'insert' at
 * once when there are none; null when the user cancels.
 */
export const askReplace = (later: number, what?: string): Promise<ReplaceChoice | null> =>
  replacePrompt.ask(later, what);

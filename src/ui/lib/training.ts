/**
 * The training mode's questions: before each Kerberos message of the step just played is shown, the
 * learner is asked what it will be — which message type, which realm's KDC is asked, or which error code
 * comes back — with choices drawn from the protocol registries (or the world's realms), then told the
 * answer with the narration line and the registry's own words. Pure: the questions come from the trace
 * rows the engine made, and the same row always gives the same question and the same choices.
 *
 * The score per scenario is a small document of the work store (kind "training-score").
 */
import { errorCodes, messageTypes } from '../../asn1/registry';
import type { RealmView, Summary, TraceRow } from '../engine/protocol';
import type { DocKind } from './work-store';

export type QuestionKind = 'type' | 'realm' | 'error';

export interface Choice {
  /** What is compared with the answer: "AS-REQ", "25", "CORP.CONTOSO.COM". */
  value: string;
  /** What the learner reads: "KDC_ERR_PREAUTH_REQUIRED (25)". */
  label: string;
}

export interface Question {
  /** The trace event it is about. */
  seq: number;
  kind: QuestionKind;
  prompt: string;
  choices: Choice[];
  /** The right choice's value. */
  answer: string;
  /** What the message did, in the narration's words. */
  narration: string;
  /** What the right answer means (the registry's line, or the KDC that serves the realm). */
  about: string;
}

/** How many choices a question offers (the answer among them), when there are that many to draw from. */
export const CHOICES = 4;

/** The message types a step of this playground can send: the distractors of a "what comes next?". */
const MESSAGE_POOL = ['AS-REQ', 'AS-REP', 'TGS-REQ', 'TGS-REP', 'AP-REQ', 'AP-REP', 'KRB-ERROR'];

/** The error codes a learner meets most (RFC 4120 §7.5.9, RFC 6113): the distractors of "which error?". */
const ERROR_POOL = [6, 7, 12, 14, 18, 23, 24, 25, 31, 32, 34, 37, 41, 60, 68];

/** "an" before a name read letter by letter from a vowel sound (an AS-REQ, an SMB2), else "a" (a TGS-REQ). */
const article = (initialism: string): string => (/^[AEFHILMNORSX]/.test(initialism) ? 'an' : 'a');

/** The KDC requests, whose realm question has an answer (the realm of the KDC they were sent to). */
const KDC_REQUESTS = new Set(['AS-REQ', 'TGS-REQ']);

/**
 * `count - 1` values of `pool` other than `answer`, chosen by `seed` (the same seed, the same ones), with
 * the answer among them; in the pool's order, so where the answer sits says nothing.
 */
export function drawChoices<T>(pool: readonly T[], answer: T, seed: number, count = CHOICES): T[] {
  const others = pool.filter((p) => p !== answer);
  const start = others.length === 0 ? 0 : seed % others.length;
  const picked = new Set<T>([answer]);
  for (let i = 0; picked.size < Math.min(count, others.length + 1); i++)
    picked.add(others[(start + i) % others.length]!);
  const order = pool.includes(answer) ? pool : [answer, ...pool];
  return order.filter((p) => picked.has(p));
}

/** The realm whose KDC a host is. */
const realmOfKdc = (realms: readonly RealmView[], host: string) => realms.find((r) => r.kdcHost === host);

/**
 * The question asked before `row` is shown, or undefined for what is not a real Kerberos message (an
 * action, a modelled SMB exchange) or one no registry names.
 */
export function questionFor(row: TraceRow, realms: readonly RealmView[]): Question | undefined {
  if (row.kind !== 'message' || row.modelled) return undefined;
  const narration = row.headline ?? row.result;
  if (row.type === 'KRB-ERROR' && row.errorCode !== undefined && errorCodes.byValue(row.errorCode)) {
    const pool = ERROR_POOL.includes(row.errorCode)
      ? ERROR_POOL
      : [...ERROR_POOL, row.errorCode].sort((a, b) => a - b);
    return {
      seq: row.seq,
      kind: 'error',
      prompt: `${row.to} gets a KRB-ERROR back from ${row.from}. Which error code does it carry?`,
      choices: drawChoices(pool, row.errorCode, row.seq).map((c) => ({
        value: String(c),
        label: `${errorCodes.nameOf(c)} (${c})`,
      })),
      answer: String(row.errorCode),
      narration,
      about: errorCodes.byValue(row.errorCode)!.summary,
    };
  }
  const realm = realmOfKdc(realms, row.to);
  if (KDC_REQUESTS.has(row.type) && realm && realms.length > 1) {
    const names = realms.map((r) => r.name).sort();
    return {
      seq: row.seq,
      kind: 'realm',
      prompt: `${row.from} sends ${article(row.type)} ${row.type} next. Which realm's KDC does it ask?`,
      choices: drawChoices(names, realm.name, row.seq).map((n) => ({ value: n, label: n })),
      answer: realm.name,
      narration,
      about: `${realm.kdcHost} is the KDC of ${realm.name}: the client asks the realm that holds what it needs, or the next realm on the way there (a referral).`,
    };
  }
  const entry = messageTypes.byName(row.type);
  if (!entry) return undefined;
  return {
    seq: row.seq,
    kind: 'type',
    prompt: `What does ${row.from} send to ${row.to} next?`,
    choices: drawChoices(MESSAGE_POOL, entry.name, row.seq).map((n) => ({ value: n, label: n })),
    answer: entry.name,
    narration,
    about: entry.summary,
  };
}

/** The questions of the step a summary stands at: one per real Kerberos message that step sent, in order. */
export function questionsForStep(summary: Summary): Question[] {
  return summary.trace
    .filter((r) => r.step === summary.step)
    .flatMap((r) => questionFor(r, summary.world.realms) ?? []);
}

/** A learner's score on one scenario. */
export interface Score {
  right: number;
  asked: number;
}

/** The most answers a score counts (a stored number past it is not a score this page wrote). */
export const MAX_ANSWERS = 1_000_000;

const isCount = (n: unknown): n is number =>
  Number.isInteger(n) && (n as number) >= 0 && (n as number) <= MAX_ANSWERS;

/** The work store's kind for scores: one document per scenario. */
export const TRAINING_SCORE: DocKind<Score> = {
  name: 'training-score',
  is: (v): v is Score => {
    if (typeof v !== 'object' || v === null) return false;
    const { right, asked } = v as Partial<Score>;
    return isCount(right) && isCount(asked) && right <= asked && Object.keys(v).length === 2;
  },
};

/** The score after one more answer. */
export function scored(score: Score, right: boolean): Score {
  const asked = Math.min(MAX_ANSWERS, score.asked + 1);
  return { right: Math.min(asked, score.right + (right ? 1 : 0)), asked };
}

/** The document id of a scenario's score: the catalogue's id, or "mine:" and the id of the user's own. */
export function scoreId(scenario: { id: string; source: 'catalogue' | 'user' }): string {
  return scenario.source === 'user' ? `mine:${scenario.id}` : scenario.id;
}

/**
 * What the client tells the learner at each step, in the same shape as the KDC's narration
 * (src/kdc/events.ts: actor, stage, text, ok), so the world can interleave both in one trace.
 */

export type ClientStage =
  | 'request'
  | 'preauth'
  | 'reply'
  | 'verify'
  | 'referral'
  | 'cache'
  | 'skew'
  | 'renew'
  | 'ap'
  | 'transport'
  | 'refuse';

export interface ClientEvent {
  /** Who speaks: "client alice@EXAMPLE.TEST", or the host name the world gives. */
  actor: string;
  stage: ClientStage;
  /** One sentence for a learner. */
  text: string;
  /** False when this step is why the operation failed. */
  ok: boolean;
}

/** Collects the events of one step. */
export class ClientNarrator {
  readonly events: ClientEvent[] = [];
  constructor(readonly actor: string) {}

  say(stage: ClientStage, text: string, ok = true): void {
    this.events.push({ actor: this.actor, stage, text, ok });
  }
}

/**
 * What a KDC, a client or a service tells the learner about each request: one event per stage of the pipeline,
 * in plain words ("checked preauth: timestamp 12 s off, within 5 min"). The world copies them into its
 * trace; the UI shows them under the sequence diagram.
 */

export type Stage =
  | 'decode'
  | 'lookup'
  | 'preauth'
  | 'etype'
  | 'policy'
  | 'ticket'
  | 'authenticator'
  | 'checksum'
  | 'replay'
  | 'referral'
  | 'fast'
  | 'pac'
  | 'issue'
  | 'refuse';

export interface NarratedEvent {
  /** Who speaks: "KDC CORP.CONTOSO.COM", "service cifs/fs1…". */
  actor: string;
  stage: Stage;
  /** One sentence for a learner. */
  text: string;
  /** False when this step is why the request was refused. */
  ok: boolean;
}

/** Collects events for one request. */
export class Narrator {
  readonly events: NarratedEvent[] = [];
  constructor(private actor: string) {}

  setActor(actor: string): void {
    this.actor = actor;
  }

  say(stage: Stage, text: string, ok = true): void {
    this.events.push({ actor: this.actor, stage, text, ok });
  }
}

/**
 * Running the machine to its end over a transport given as a function — the in-memory transport of the
 * tests, a CLI over sockets. Pure when the transport is: no clock of its own, the clock is handed in.
 */
import type { ClientEvent } from './events';
import type { KerberosClient } from './machine';
import type { ClientRequest, ClientResult, SendRequest, StepContext, StepInput, StepOutput } from './step';

export type TransportAnswer =
  { reply: Uint8Array; from?: string } | { failure: 'timeout' | 'unreachable'; message?: string };

export type Transport = (send: SendRequest) => TransportAnswer;

export interface Exchange {
  send: SendRequest;
  answer: TransportAnswer;
}

export interface Run {
  result: ClientResult;
  events: ClientEvent[];
  exchanges: Exchange[];
  steps: StepOutput[];
}

/** What the machine is fed after a transport answered: the reply, or the transport's failure. */
export function stepInputOf(answer: TransportAnswer): StepInput {
  return 'reply' in answer
    ? { type: 'reply', bytes: answer.reply, ...(answer.from ? { from: answer.from } : {}) }
    : {
        type: 'transport-error',
        failure: answer.failure,
        ...(answer.message ? { message: answer.message } : {}),
      };
}

/** Starts `request` and steps until the client is done (at most `maxSteps` exchanges). */
export function runClient(
  client: KerberosClient,
  request: ClientRequest,
  transport: Transport,
  clock: StepContext | (() => StepContext),
  maxSteps = 64,
): Run {
  const ctx = () => (typeof clock === 'function' ? clock() : clock);
  const steps: StepOutput[] = [];
  const exchanges: Exchange[] = [];
  let out = client.step({ type: 'start', request }, ctx());
  steps.push(out);
  while (!out.done) {
    if (!out.send) throw new Error(`bug: the client in ${out.state} neither sends nor finishes`);
    if (exchanges.length >= maxSteps)
      throw new Error(`the client sent ${maxSteps} requests without finishing`);
    const answer = transport(out.send);
    exchanges.push({ send: out.send, answer });
    out = client.step(stepInputOf(answer), ctx());
    steps.push(out);
  }
  return { result: out.done, events: steps.flatMap((s) => s.events), exchanges, steps };
}

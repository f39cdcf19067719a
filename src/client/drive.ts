/**
 * The one drive loop for clients: start an operation, carry each request over a transport given as a
 * function, feed back the answer, until the client is done. The simulated world (src/world), the tests'
 * in-memory KDCs and the sockets of src/node all run their clients through it: a transport that answers
 * at once keeps the run synchronous (and pure when the transport is); one that answers with a promise
 * (a socket) makes the run asynchronous, awaiting each answer with the event loop free. The clock is
 * handed in and read before every step.
 */
import { ClientInputError } from './errors';
import type { ClientEvent } from './events';
import type { KerberosClient } from './machine';
import type { ClientRequest, ClientResult, SendRequest, StepContext, StepInput, StepOutput } from './step';

export type TransportAnswer =
  { reply: Uint8Array; from?: string } | { failure: 'timeout' | 'unreachable'; message?: string };

/**
 * Carries one request to the realm's KDC. `narration` is what the client said in the step that made the
 * request, for a transport that records it beside the message (the world's trace); the loop always
 * passes it.
 */
export type Transport = (send: SendRequest, narration?: ClientEvent[]) => TransportAnswer;
export type AsyncTransport = (send: SendRequest, narration?: ClientEvent[]) => Promise<TransportAnswer>;

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

/** How many requests one operation may send before the loop gives up on it. */
export const MAX_EXCHANGES = 64;

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

type Clock = StepContext | (() => StepContext);

/** Starts `request` and steps until the client is done, over a transport that answers at once. */
export function runClient(
  client: KerberosClient,
  request: ClientRequest,
  transport: Transport,
  clock: Clock,
  maxExchanges = MAX_EXCHANGES,
): Run {
  return drive(client, request, transport, clock, maxExchanges) as Run;
}

/** The same loop over a transport that answers later (sockets): each answer is awaited. */
export async function runClientAsync(
  client: KerberosClient,
  request: ClientRequest,
  transport: AsyncTransport,
  clock: Clock,
  maxExchanges = MAX_EXCHANGES,
): Promise<Run> {
  return drive(client, request, transport, clock, maxExchanges);
}

function drive(
  client: KerberosClient,
  request: ClientRequest,
  transport: (send: SendRequest, narration: ClientEvent[]) => TransportAnswer | Promise<TransportAnswer>,
  clock: Clock,
  maxExchanges: number,
): Run | Promise<Run> {
  const ctx = () => (typeof clock === 'function' ? clock() : clock);
  const steps: StepOutput[] = [];
  const exchanges: Exchange[] = [];
  const answered = (send: SendRequest, answer: TransportAnswer): StepOutput => {
    exchanges.push({ send, answer });
    return client.step(stepInputOf(answer), ctx());
  };
  // Steps until the client is done, or until the transport's answer is a promise: then it resumes there.
  const run = (out: StepOutput): Run | Promise<Run> => {
    for (;;) {
      steps.push(out);
      if (out.done) return { result: out.done, events: steps.flatMap((s) => s.events), exchanges, steps };
      if (exchanges.length >= maxExchanges) {
        throw new ClientInputError(`the client sent ${maxExchanges} requests without finishing`);
      }
      const send = out.send;
      const answer = transport(send, out.events);
      if (answer instanceof Promise) return answer.then((a) => run(answered(send, a)));
      out = answered(send, answer);
    }
  };
  return run(client.step({ type: 'start', request }, ctx()));
}

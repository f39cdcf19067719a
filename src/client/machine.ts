/**
 * The Kerberos client as an explicit state machine, in the sans-I/O style of h11 and of MIT's
 * `krb5_init_creds_step` / `krb5_tkt_creds_step`: the machine never sends, never reads a clock and never
 * draws randomness of its own (step.ts has the API). How it moves is in states.ts.
 *
 * `stepClient` is the whole machine: it hands the input to the step function of the operation (as.ts,
 * tgs.ts, renew.ts), which decides a `Move` and returns it; the row of TRANSITIONS for the move's edge
 * gives the next state. A step function returns its failures too. Only the message layer (decoding,
 * decrypting, checking a reply: messages.ts) throws its typed errors, and they are caught here, in one
 * place, to become the failure they are. `KerberosClient` keeps a snapshot and steps it.
 */
import { parsePrincipal, type Principal } from '../asn1/principal';
import { KrbPlayError } from '../util/errors';
import { startAs, asStep } from './as';
import { newCredentialCache, type CredentialCache } from './cache';
import { actorOf, settingsOf, type ClientConfig } from './config';
import {
  ClientError,
  ClientInputError,
  KdcError,
  ReferralError,
  ReplyCheckError,
  TransportError,
} from './errors';
import { ClientNarrator } from './events';
import { readKdcReply } from './messages';
import { startRenew, renewStep } from './renew';
import { AT_REST, edge, type ClientState, type ClientTrigger } from './states';
import type {
  ClientRequest,
  ClientSnapshot,
  Move,
  Operation,
  SendRequest,
  StepContext,
  StepEnv,
  StepInput,
  StepOutput,
} from './step';
import { startTgs, tgsStep } from './tgs';

/**
 * One step: start an operation, or feed the reply (or the transport's failure) to the one in flight.
 * Returns the next snapshot and what to do; `snapshot` itself is left as it was.
 */
export function stepClient(
  snapshot: ClientSnapshot,
  input: StepInput,
  ctx: StepContext,
): { next: ClientSnapshot; out: StepOutput } {
  const atRest = AT_REST.includes(snapshot.state);
  if (input.type === 'start' && !atRest) {
    throw new ClientInputError(`the client is busy (${snapshot.state}); finish that exchange first`);
  }
  if (input.type !== 'start' && (atRest || !snapshot.op)) {
    throw new ClientInputError('nothing is in flight: start an operation first');
  }
  // Copy on write: a step replaces the operation in flight and credentials (never edits one in place), and
  // writes only the cache's list, its offset and the authenticator clock; those are copied here.
  const { cache } = snapshot;
  const client: ClientSnapshot = {
    ...snapshot,
    cache: { ...cache, credentials: [...cache.credentials] },
  };
  const env: StepEnv = {
    client,
    cfg: settingsOf(client.config),
    ctx,
    say: new ClientNarrator(actorOf(client.config)),
  };
  let move: Move;
  try {
    move = input.type === 'start' ? begin(env, input.request) : receive(env, client.op!, input);
  } catch (e) {
    if (e instanceof ClientInputError || !(e instanceof KrbPlayError)) throw e;
    move = {
      fail:
        e instanceof ClientError
          ? e
          : new ReplyCheckError('decode', `the reply cannot be used: ${e.message}`),
    };
  }
  return { next: client, out: take(env, move) };
}

function begin(env: StepEnv, req: ClientRequest): Move {
  delete env.client.op;
  switch (req.kind) {
    case 'sign-in':
      return startAs(env, req);
    case 'service-ticket':
      return startTgs(env, req.service);
    case 'renew':
      return startRenew(env, req.server);
  }
}

function receive(env: StepEnv, op: Operation, input: Exclude<StepInput, { type: 'start' }>): Move {
  if (input.type === 'transport-error') {
    env.say.say(
      'transport',
      `no answer from ${op.realm}: ${input.failure}${input.message ? ` (${input.message})` : ''}`,
      false,
    );
    return { fail: new TransportError(input.failure, op.realm, input.message) };
  }
  const reply = readKdcReply(input.bytes, op.kind === 'as' ? 'AS-REP' : 'TGS-REP');
  const kdc = input.from ?? op.realm;
  switch (op.kind) {
    case 'as':
      return asStep(env, op, reply, kdc);
    case 'tgs':
      return tgsStep(env, op, reply, kdc);
    case 'renew':
      return renewStep(env, op, reply, kdc);
  }
}

/** The edge a failure takes: the KDC refused, the chase ran away, nobody answered, or the reply is bad. */
function failureEdge(error: ClientError, state: ClientState): ClientTrigger {
  if (error instanceof KdcError) return 'krb-error';
  if (error instanceof ReferralError) return 'referral-limit';
  if (error instanceof TransportError) return 'transport-failure';
  return AT_REST.includes(state) ? 'cannot-start' : 'bad-reply';
}

/** Takes the move's edge: the table's row gives the next state; in flight, the request is what to send. */
function take(env: StepEnv, move: Move): StepOutput {
  const { client, say } = env;
  const on = 'fail' in move ? failureEdge(move.fail, client.state) : move.on;
  if ('fail' in move && !say.events.some((e) => !e.ok)) say.say('refuse', move.fail.message, false);
  const row = edge(client.state, on);
  if (!row) throw new Error(`bug: no transition from ${client.state} on ${on}`);
  client.state = row.to;
  if ('next' in move) {
    client.op = move.next;
    return { send: sendOf(move.next), events: say.events, on, state: client.state };
  }
  delete client.op;
  const done = 'fail' in move ? { ok: false as const, error: move.fail } : move.done;
  return { done, events: say.events, on, state: client.state };
}

function sendOf(op: Operation): SendRequest {
  return {
    realm: op.realm,
    bytes: op.bytes,
    message: op.kind === 'as' ? 'AS-REQ' : 'TGS-REQ',
    ...(op.preferTcp ? { preferTcp: true } : {}),
  };
}

/** A client as an object: holds its snapshot and steps it (the world and the CLI use it this way). */
export class KerberosClient {
  private s: ClientSnapshot;

  constructor(config: ClientConfig, cache: CredentialCache = newCredentialCache()) {
    parsePrincipal(config.principal); // a malformed name fails here, not mid-exchange
    this.s = { config: structuredClone(config), cache, state: 'IDLE' };
  }

  static restore(snapshot: ClientSnapshot): KerberosClient {
    const c = new KerberosClient(snapshot.config);
    c.s = structuredClone(snapshot);
    return c;
  }

  snapshot(): ClientSnapshot {
    return structuredClone(this.s);
  }

  get state(): ClientState {
    return this.s.state;
  }

  /** The live credential cache (snapshot() for a copy). */
  get cache(): CredentialCache {
    return this.s.cache;
  }

  get principal(): Principal {
    return this.s.cache.defaultPrincipal ?? parsePrincipal(this.s.config.principal);
  }

  /** KDC time minus host time, ms (0 until kdc_timesync learns it). */
  get clockOffset(): number {
    return this.s.cache.kdcOffset ?? 0;
  }

  /** One step (see stepClient). */
  step(input: StepInput, ctx: StepContext): StepOutput {
    const { next, out } = stepClient(this.s, input, ctx);
    this.s = next;
    return out;
  }
}

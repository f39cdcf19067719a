// The world's one network primitive: a round trip from a host to host:port, answered by whoever listens
// there. A protocol made up here (a clock service: "what time is it on your host?") shows what any actor
// gets from it: reachability, waits, the trace lines labelled by the listener, and the clock.
import { describe, expect, test } from 'vitest';
import { TCP_CONNECT_TIMEOUT, World, type Protocol } from '../../../src/world';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);

function world(): World {
  return World.create({
    seed: 1,
    now: T0,
    hosts: [
      { id: 'a', name: 'a.test', clockOffset: 0, up: true },
      { id: 'b', name: 'b.test', clockOffset: 5_000, up: true },
    ],
    network: { latency: 3, links: [{ a: 'a', b: 'b', up: true, latency: 7 }], blocked: [] },
    locator: {},
    kdcs: [],
    services: [],
  });
}

/** Listens on b:123 only; answers with its host's clock. */
const clock: Protocol<{ ask: string }, number, { host: string }> = {
  listener: (_world, at) => (at.host === 'b' && at.port === 123 ? { host: at.host } : undefined),
  absent: (at) => `no clock service on ${at.host}:${at.port}`,
  serve: (world, listener, req, from) => ({
    heard: [{ actor: 'clock', stage: 'ask', text: `${from} asks "${req.ask}"`, ok: true }],
    value: world.hostNow(listener.host),
    reply: { type: 'TIME', result: `it is ${world.hostNow(listener.host)} here`, windowsError: 1398 },
  }),
};

const ask = (w: World, port = 123, options = {}) =>
  w.roundTrip(
    'a',
    { host: 'b', port, transport: 'tcp' },
    clock,
    { ask: 'time?' },
    { type: 'ASK', result: 'asks the time' },
    { timeout: TCP_CONNECT_TIMEOUT, ...options },
  );

describe('a round trip', () => {
  test('answered: the request and the reply are traced, labelled by the listener; the clock moves by both latencies', () => {
    const w = world();
    const trip = ask(w);
    expect(trip.ok && trip.value).toBe(T0 + 7 + 5_000);
    expect(w.now).toBe(T0 + 14);
    const [req, rep] = w.trace;
    expect(req).toMatchObject({ kind: 'message', from: 'a', to: 'b', port: 123, type: 'ASK', t: T0 });
    // the listener's narration joins the request's line
    expect(req!.narration.map((n) => n.text)).toEqual(['a asks "time?"']);
    expect(rep).toMatchObject({ from: 'b', to: 'a', type: 'TIME', replyTo: req!.seq, t: T0 + 7 });
    expect(rep!.result).toBe(`it is ${T0 + 7 + 5_000} here`);
    // what a console showed for the reply is a note beside the event, not in it
    expect(w.noteOf(rep!.seq)).toEqual({ windowsError: 1398 });
    expect(rep!.windowsError).toBeUndefined();
  });

  test('nothing listens there: the sender learns so at once, and the clock does not move', () => {
    const w = world();
    const trip = ask(w, 124);
    expect(trip.ok).toBe(false);
    expect(!trip.ok && trip.failure).toEqual({ reason: 'no-listener', text: 'no clock service on b:124' });
    expect(w.now).toBe(T0);
    expect(w.trace).toHaveLength(1);
  });

  test('the way is shut: the sender waits its timeout, the request says why, and the wait has a line of its own', () => {
    const w = world();
    w.blockPort('b', 123);
    const before = w.trace.length;
    const trip = ask(w, 123, {
      unanswered: (why: { text: string }) => ({ request: `nothing: ${why.text}`, wait: 'a gave up' }),
    });
    expect(!trip.ok && trip.failure.reason).toBe('port-blocked');
    const [req, wait] = w.trace.slice(before);
    expect(req!.result).toBe('nothing: a firewall drops traffic to b port 123');
    expect(wait).toMatchObject({ kind: 'timeout', result: 'a gave up', replyTo: req!.seq });
    expect(wait!.t).toBe(T0 + TCP_CONNECT_TIMEOUT);
  });

  test('on a connection already open nothing is checked again; a modelled trip says so on every line', () => {
    const w = world();
    w.setLink('a', 'b', { up: false });
    const start = w.trace.length;
    const trip = ask(w, 123, { connected: true, modelled: true });
    expect(trip.ok).toBe(true);
    expect(w.trace.slice(start).map((e) => e.modelled)).toEqual([true, true]);
  });

  test('a lossy link drops only the trips that say they can be lost', () => {
    const lossy = world();
    lossy.setLink('a', 'b', { loss: 1 });
    expect(ask(lossy).ok).toBe(true);
    const trip = ask(lossy, 123, { lossy: true });
    expect(!trip.ok && trip.failure.reason).toBe('lost');
  });
});

describe('a TCP handshake (Test-NetConnection)', () => {
  test('is not drawn; the clock moves by the round trip, or by the wait when nothing answers', () => {
    const w = world();
    expect(w.connect('a', 'b', 445)).toBeUndefined();
    expect(w.now).toBe(T0 + 14);
    w.setHostUp('b', false);
    expect(w.connect('a', 'b', 445)?.reason).toBe('host-down');
    expect(w.now).toBe(T0 + 14 + TCP_CONNECT_TIMEOUT);
    expect(w.trace.filter((e) => e.kind !== 'action')).toEqual([]);
  });
});

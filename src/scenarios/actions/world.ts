/**
 * The world's own controls, as a timeline says them: the clock moving on, a host's clock set, a port
 * blocked, a link or a host down and back. Each leaves a trace line (the world writes it); nothing is
 * typed at a prompt.
 */
import { formatDuration, isoSeconds, parseDuration } from '../../asn1/time';
import { passTime } from '../../azure';
import { defineAction } from '../action-table';
import { offsetMs } from '../clock';
import { clockOffset, duration, hostId, num, req, ScenarioError } from '../shape';

const HOST = req(hostId, 'the host');
const PORT = req(num({ min: 1, max: 65535, type: 'TCP port 1–65535' }), 'the port');

const signed = (ms: number) => `${ms >= 0 ? '+' : '-'}${formatDuration(Math.abs(ms))}`;

/** A link's two ends must be two hosts. */
const twoHosts = (a: { a: string; b: string }, path: string) => {
  if (a.a === a.b) throw new ScenarioError(`${path}.b`, 'a link joins two different hosts');
};

export const WORLD_ACTIONS = [
  defineAction({
    do: 'advance',
    about:
      'The clock moves forward; what the hosts do on their own in that time (tickets expiring, SMB sessions re-authenticating, the PRT turning 4 hours old) happens on the way.',
    fields: { by: req(duration, 'how far') },
    // written back in hours and minutes however it was typed ("580m" reads as 9h 40m)
    title: (a) => `the clock moves forward ${formatDuration(parseDuration(a.by)!)}`,
    clock: (a) => ({ advance: parseDuration(a.by)!, field: 'by', text: `"${a.by}"` }),
    run: (world, a, cx) => {
      const ms = parseDuration(a.by)!;
      const until = cx.until;
      if (until !== undefined && world.now + ms > until) {
        passTime(
          world,
          until - world.now,
          `the clock moves forward ${formatDuration(until - world.now)} of ${a.by}, and the run stops at ${isoSeconds(until)} (--until)`,
        );
        return {
          ok: true,
          output: `advanced ${formatDuration(until - world.now)} of ${formatDuration(ms)}`,
          partial: true,
        };
      }
      const happened = passTime(world, ms, a.note);
      return {
        ok: true,
        output: `advanced ${formatDuration(ms)}${happened ? ` (${happened} thing${happened === 1 ? '' : 's'} happened on the way)` : ''}`,
      };
    },
  }),
  defineAction({
    do: 'set-skew',
    about: "A host's clock is set this far from true time.",
    fields: { host: HOST, offset: req(clockOffset, 'the offset') },
    title: (a) => {
      const v = typeof a.offset === 'number' ? (a.offset === 0 ? '±0' : signed(a.offset)) : a.offset;
      return v === '0' || v === '±0' ? `${a.host}'s clock is set right` : `${a.host}'s clock is set to ${v}`;
    },
    clock: (a) => ({
      offset: offsetMs(a.offset),
      host: a.host,
      field: 'offset',
      text: JSON.stringify(a.offset),
    }),
    run: (world, a) => {
      const ms = offsetMs(a.offset);
      world.setClockOffset(a.host, ms);
      return { ok: true, output: `${a.host}'s clock is ${signed(ms)}` };
    },
  }),
  defineAction({
    do: 'block-port',
    about: 'A firewall drops traffic to the host on this TCP port.',
    fields: { host: HOST, port: PORT },
    title: (a) => `TCP ${a.port} to ${a.host} is blocked`,
    run: (world, a) => {
      world.blockPort(a.host, a.port, true);
      return { ok: true, output: `port ${a.port} blocked` };
    },
  }),
  defineAction({
    do: 'unblock-port',
    about: 'The firewall lets traffic to the host on this TCP port through again.',
    fields: { host: HOST, port: PORT },
    title: (a) => `TCP ${a.port} to ${a.host} is open again`,
    run: (world, a) => {
      world.blockPort(a.host, a.port, false);
      return { ok: true, output: `port ${a.port} open` };
    },
  }),
  defineAction({
    do: 'link-down',
    about: 'The link between two hosts goes down: nothing crosses it.',
    fields: { a: req(hostId, 'one end'), b: req(hostId, 'the other end') },
    check: twoHosts,
    title: (a) => `the link ${a.a} ↔ ${a.b} goes down`,
    run: (world, a) => {
      world.setLink(a.a, a.b, { up: false });
      return { ok: true, output: `link ${a.a} ↔ ${a.b} down` };
    },
  }),
  defineAction({
    do: 'link-up',
    about: 'The link between two hosts comes back.',
    fields: { a: req(hostId, 'one end'), b: req(hostId, 'the other end') },
    check: twoHosts,
    title: (a) => `the link ${a.a} ↔ ${a.b} comes back`,
    run: (world, a) => {
      world.setLink(a.a, a.b, { up: true });
      return { ok: true, output: `link ${a.a} ↔ ${a.b} up` };
    },
  }),
  defineAction({
    do: 'host-down',
    about: 'The host goes down: it neither sends nor answers.',
    fields: { host: HOST },
    title: (a) => `${a.host} goes down`,
    run: (world, a) => {
      world.setHostUp(a.host, false);
      return { ok: true, output: `${a.host} down` };
    },
  }),
  defineAction({
    do: 'host-up',
    about: 'The host comes back up.',
    fields: { host: HOST },
    title: (a) => `${a.host} comes back up`,
    run: (world, a) => {
      world.setHostUp(a.host, true);
      return { ok: true, output: `${a.host} up` };
    },
  }),
] as const;

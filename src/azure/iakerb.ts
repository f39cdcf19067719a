/**
 * A Windows host with no line of sight to a domain controller reaching a file server through IAKERB:
 * the LSA's sign-in (AS) and the service ticket (TGS) go to the server inside GSS-API tokens, the server
 * relays them to its DC, and the AP exchange ends with the IAKERB finish (src/world/iakerb.ts).
 *
 * Windows' IAKERB client is not documented publicly (Microsoft has announced it; the wire format is the
 * draft's): the bytes follow draft-ietf-kitten-iakerb-03 and MIT krb5, and the trace says it is modelled.
 * docs/modelled.md lists what is assumed and where each claim comes from.
 */
import type { IakerbDialect } from '../asn1';
import { findTgt } from '../client';
import { accessServiceViaIakerb, clientOf, type World } from '../world';
import { say, windowsHost, type WindowsOutcome } from './windows-host';

const sameSpn = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The service of the world whose principal is `spn` ("cifs/fs1.corp.contoso.com"). */
function serviceFor(world: World, spn: string) {
  return world.services.find((s) => sameSpn(s.state.name.nameString.join('/'), spn.replace(/@.*$/, '')));
}

/** Opens `spn` through IAKERB: signs in through the server first when the LSA holds no TGT. */
export function iakerbConnect(
  world: World,
  host: string,
  spn: string,
  dialect?: IakerbDialect,
): WindowsOutcome {
  const svc = serviceFor(world, spn);
  if (!svc) return { ok: false, output: `no service in this world is ${spn}` };
  say(
    world,
    host,
    'iakerb',
    `${host} opens ${spn} through IAKERB: no KDC is asked directly; ${svc.host} relays every KDC message (modelled: Windows' IAKERB client is not public, the bytes follow draft-ietf-kitten-iakerb-03 and MIT krb5)`,
  );
  const d = windowsHost(world, host);
  const client = clientOf(world, host);
  const hasTgt = findTgt(client.cache, client.principal.realm, { now: world.hostNow(host) }) !== undefined;
  const r = accessServiceViaIakerb(world, host, svc.id, spn, {
    ...(hasTgt ? {} : { password: d.password }),
    ...(dialect ? { dialect } : {}),
  });
  if (r.ok) {
    const output = `connected to ${spn} as ${r.identity!.principal} through IAKERB (every KDC message relayed by ${svc.host})`;
    say(world, host, 'result', output);
    return { ok: true, output, ...(r.ticket?.ok ? { realm: r.ticket.credential.server.realm } : {}) };
  }
  const output = `could not open ${spn} through IAKERB: ${r.error}`;
  say(world, host, 'result', output);
  return { ok: false, output, ...(r.errorCode !== undefined ? { errorCode: r.errorCode } : {}) };
}

// A client host where alice has signed in and holds a cifs ticket: the cache the klist tests list.
import { config, REALM } from './config';
import { Host, Net } from './net';

export function aliceWithTicket(): Host {
  const h = new Host(new Net(config), { principal: `alice@${REALM}` });
  for (const request of [
    { kind: 'sign-in', password: 'alice-pw' } as const,
    { kind: 'service-ticket', service: 'cifs/fs1.example.test' } as const,
  ]) {
    const r = h.run(request).result;
    if (!r.ok) throw r.error;
  }
  return h;
}

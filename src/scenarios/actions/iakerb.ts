/**
 * IAKERB (draft-ietf-kitten-iakerb): a client with no line of sight to any KDC opens a Kerberized
 * service, which relays the client's KDC messages (src/azure/iakerb.ts). Nothing is typed for it: no
 * Windows command starts IAKERB by itself; Windows picks it when no DC answers (modelled).
 */
import * as windows from '../../azure';
import { defineAction } from '../action-table';
import { clientHost, oneOf, opt, req, str } from '../shape';

const SPN = str({
  pattern: /^[^/@]+\/[^@]+(@[A-Za-z0-9._-]+)?$/,
  hint: 'must be a service name like cifs/host',
  type: 'service name "cifs/host"',
});

export const IAKERB_ACTIONS = [
  defineAction({
    do: 'iakerb-connect',
    about:
      "A client that cannot reach any KDC opens a Kerberized service through IAKERB: its AS and TGS exchanges travel inside GSS-API tokens to the service, which relays them to its KDC; the AP-REQ then carries a checksum over every token (Windows' IAKERB client is modelled).",
    fields: {
      host: req(clientHost(), 'the client host where it happens'),
      spn: req(SPN, "the service's principal, which names the service that relays"),
      dialect: opt(
        oneOf(['draft', 'mit-1.20'] as const),
        'the wire dialect: the draft (default; MIT 1.22 and later), or MIT krb5 before 1.22',
      ),
    },
    title: (a) => `${a.host} opens ${a.spn} through IAKERB`,
    run: (world, a) => windows.iakerbConnect(world, a.host, a.spn, a.dialect),
  }),
];

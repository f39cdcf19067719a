/**
 * `krbplay kvno`: a service ticket from real KDCs with the TGT of an MIT credential cache, chasing
 * referrals and cross-realm paths, added to that cache; prints the ticket's key version as MIT's kvno
 * does. Contract: docs/cli.md.
 */
import { KdcOption } from '../../asn1/registry';
import { findTgt, KerberosClient } from '../../client';
import { decodeCcache, encodeCcache } from '../../formats';
import { runClientOverNetwork } from '../../node';
import { formatPrincipal } from '../../asn1/principal';
import { escapeControls, KrbPlayInputError } from '../../util';
import {
  cacheFromFile,
  ccachePathOf,
  clockWithOffset,
  failure,
  kdcAddress,
  makeTransport,
  mergeIntoFile,
  mitMessage,
  narrate,
  parseTimeOffset,
  realmKdcs,
  writeCcacheFile,
} from '../client-common';
import { defineCommand } from '../command';
import { FILE_LIMITS, readFileBytes } from './files';
import { DEFAULT_ETYPES } from './kinit';

/**
 * The TGT's flags a TGS-REQ asks to keep (MIT's KDC_TKT_COMMON_MASK: forwardable, proxiable,
 * may-postdate, renewable), the option bits sitting where the flag bits do.
 */
const FLAGS_KEPT = 0x54800000;

export const kvno = defineCommand({
  name: 'kvno',
  summary: 'Get a service ticket, chasing referrals and cross-realm paths.',
  description: `
Loads the TGT from the MIT credential cache --ccache and asks for a ticket for SPN: in REALM when it
is written, else at home with canonicalize, so that the KDC may refer the request to another realm
(RFC 6806); a service in another realm is reached through cross-realm TGTs (krbtgt/OTHER@HOME, and on
along the path the KDCs give). Each realm's KDC is its --realm-kdc REALM=ADDR, else --kdc. The service
ticket and every cross-realm TGT on the way are added to the cache, and "SPN@REALM: kvno = N" is
printed, as MIT's kvno does. A ticket already in the cache and still valid is used as it is.

ADDR is host:port (UDP, TCP when needed), tcp://host:port, or https://host:port/path (MS-KKDCP).
Errors use MIT's words ("Server not found in Kerberos database while getting credentials for …").`,
  positionals: [
    { name: 'SPN[@REALM]', required: true, help: 'the service (host/fs1.example.test@EXAMPLE.TEST)' },
  ],
  options: {
    ccache: { type: 'string', valueName: 'FILE', required: true, help: 'the credential cache (with a TGT)' },
    kdc: {
      type: 'string',
      valueName: 'ADDR',
      required: true,
      help: 'the KDC of every realm not given below',
    },
    'realm-kdc': {
      type: 'string',
      valueName: 'REALM=ADDR',
      multiple: true,
      help: 'the KDC of one realm (OTHER.TEST=127.0.0.1:8889)',
    },
    'time-offset': {
      type: 'string',
      valueName: 'D',
      help: "for tests only: this client's clock runs D ahead (+10m) or behind (-10m)",
    },
    ca: { type: 'string', valueName: 'FILE', help: 'PEM CA certificate(s) to trust for https:// KDCs' },
  },
  examples: [
    'krbplay kvno host/fs1.example.test@EXAMPLE.TEST --ccache alice.cc --kdc 127.0.0.1:88',
    'krbplay kvno cifs/fs2.other.test --ccache alice.cc --kdc 127.0.0.1:88 --realm-kdc OTHER.TEST=127.0.0.1:89',
  ],
  async run({ options, positionals }, io) {
    const service = positionals[0]!;
    const kdc = kdcAddress('--kdc', options.kdc);
    const timeOffset = parseTimeOffset(options['time-offset']);
    const perRealm = realmKdcs(options['realm-kdc']);
    const path = ccachePathOf(options.ccache);
    const file = decodeCcache(readFileBytes(path, 'credential cache', FILE_LIMITS.ccache));
    const cache = cacheFromFile(file);
    const me = cache.defaultPrincipal!;
    const tgt = findTgt(cache, me.realm, { issuer: me.realm });
    if (!tgt) {
      throw new KrbPlayInputError(
        `Matching credential not found while getting credentials for ${service} (no TGT krbtgt/${me.realm}@${me.realm} for ${formatPrincipal(me)} in FILE:${path}; run krbplay kinit first)`,
      );
    }
    const transport = makeTransport(kdc, perRealm, options.ca, io);
    const client = new KerberosClient(
      {
        principal: formatPrincipal(me),
        etypes: DEFAULT_ETYPES,
        tgsOptions: KdcOption.CANONICALIZE | (tgt.flags & FLAGS_KEPT),
        kdcTimesync: true,
      },
      cache,
    );
    const run = await runClientOverNetwork(
      client,
      { kind: 'service-ticket', service },
      transport.send,
      clockWithOffset(timeOffset),
    );
    narrate(io, run.events);
    const result = run.result;
    if (!result.ok) throw failure(mitMessage(result.error, { kind: 'kvno', service }));

    if (!result.fromCache) writeCcacheFile(path, encodeCcache(mergeIntoFile(file, client.cache)));
    const cred = result.credential;
    // The server's name as the KDC wrote it: escaped, it cannot start a line or reach the terminal.
    io.stdout(`${escapeControls(formatPrincipal(cred.server))}: kvno = ${cred.ticketKvno ?? 0}\n`);
    return 0;
  },
});

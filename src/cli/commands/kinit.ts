/**
 * `krbplay kinit`: a TGT from a real KDC (MIT krb5kdc, Active Directory, `krbplay kdc`) into an MIT
 * credential cache, with the pure client (src/client) stepping over real sockets (src/node/kdc-client.ts).
 * Contract: docs/cli.md.
 */
import { KdcOption } from '../../asn1/registry';
import { exportMitCcache, KerberosClient } from '../../client';
import { runClientOverNetwork } from '../../node/kdc-client';
import { parsePrincipal, formatPrincipal } from '../../asn1/principal';
import { isoSeconds, parseDuration } from '../../asn1/time';
import { escapeControls, KrbPlayError } from '../../util';
import { UsageError } from '../args';
import {
  ccachePathOf,
  clockWithOffset,
  defaultCcachePath,
  failure,
  kdcAddress,
  makeTransport,
  mitEtypeName,
  mitMessage,
  narrate,
  parseTimeOffset,
  parseEtypes,
  passwordFromStdin,
  promptPassword,
  writeCcacheFile,
} from '../client-common';
import { defineCommand } from '../command';

/** MIT's default order (libdefaults default_tkt_enctypes), with rc4 last. */
export const DEFAULT_ETYPES = [18, 17, 20, 19, 23];

export const kinit = defineCommand({
  name: 'kinit',
  summary: 'Get a TGT from a KDC into an MIT credential cache.',
  description: `
Signs in as NAME@REALM at the KDC given by --kdc: an AS-REQ without pre-authentication, then with
PA-ENC-TIMESTAMP in the key made from the password with the salt the KDC announces (ETYPE-INFO2),
and writes the TGT into an MIT credential cache (version 4) that MIT's klist and kvno read.

ADDR is host:port (UDP; TCP when the KDC says the reply is too big or UDP finds nobody),
tcp://host:port (TCP only), or https://host:port/path (an MS-KKDCP KDC proxy; --ca FILE trusts
that CA instead of the default ones).

The password is asked on the terminal without echo; --password-stdin reads the first line of stdin
instead (a script's way). The cache is --ccache, else $KRB5CCNAME when it names a file (FILE:path),
else a file in the temp folder; its name is printed.

Errors use MIT's words: "Password incorrect while getting initial credentials", "Client 'x@R' not
found in Kerberos database while getting initial credentials", "Cannot contact any KDC for realm 'R'
while getting initial credentials". KRBPLAY_VERBOSE=1 narrates every step and every packet on stderr.`,
  positionals: [{ name: 'NAME@REALM', required: true, help: 'the principal to sign in as' }],
  options: {
    kdc: {
      type: 'string',
      valueName: 'ADDR',
      required: true,
      help: 'the KDC (host:port, tcp://…, https://…)',
    },
    'password-stdin': { type: 'boolean', help: 'read the password from the first line of stdin' },
    ccache: { type: 'string', valueName: 'FILE', help: 'the credential cache to write' },
    etypes: {
      type: 'string',
      valueName: 'LIST',
      help: 'enctypes to offer, in order (default 18,17,20,19,23)',
    },
    lifetime: { type: 'string', valueName: 'D', help: 'ticket lifetime to ask for (10h, 30m, 1d)' },
    renewable: { type: 'string', valueName: 'D', help: 'ask for a renewable ticket, renewable for D (7d)' },
    'time-offset': {
      type: 'string',
      valueName: 'D',
      help: "for tests only: this client's clock runs D ahead (+10m) or behind (-10m)",
    },
    ca: { type: 'string', valueName: 'FILE', help: 'PEM CA certificate(s) to trust for an https:// KDC' },
  },
  examples: [
    'krbplay kinit alice@EXAMPLE.TEST --kdc 127.0.0.1:88',
    'echo "$PW" | krbplay kinit alice@EXAMPLE.TEST --kdc tcp://kdc.example.test:88 --password-stdin --ccache alice.cc',
    'krbplay kinit alice@EXAMPLE.TEST --kdc https://127.0.0.1:8443/KdcProxy --ca ca.pem --renewable 7d',
  ],
  async run({ options, positionals }, io) {
    const name = positionals[0]!;
    let me;
    try {
      me = parsePrincipal(name);
    } catch (e) {
      if (e instanceof KrbPlayError) throw new UsageError(`NAME@REALM: ${e.message}`);
      throw e;
    }
    const principal = formatPrincipal(me);
    const kdc = kdcAddress('--kdc', options.kdc);
    const timeOffset = parseTimeOffset(options['time-offset']);
    const etypes = options.etypes !== undefined ? parseEtypes(options.etypes) : DEFAULT_ETYPES;
    const lifetime = duration('--lifetime', options.lifetime);
    const renewable = duration('--renewable', options.renewable);
    const file =
      options.ccache !== undefined
        ? { path: ccachePathOf(options.ccache), fromEnv: false }
        : defaultCcachePath();
    const transport = makeTransport(kdc, new Map(), options.ca, io);

    const password = options['password-stdin']
      ? await passwordFromStdin()
      : await promptPassword(`Password for ${principal}: `, io);

    const client = new KerberosClient({
      principal,
      etypes,
      // MIT's kinit asks for nothing it was not told to: renewable only with --renewable.
      asOptions: renewable !== undefined ? KdcOption.RENEWABLE : 0,
      ...(lifetime !== undefined ? { lifetime } : {}),
      ...(renewable !== undefined ? { renewLifetime: renewable } : {}),
      kdcTimesync: true,
    });
    const run = await runClientOverNetwork(
      client,
      { kind: 'sign-in', password },
      transport.send,
      clockWithOffset(timeOffset),
    );
    narrate(io, run.events);
    const result = run.result;
    if (!result.ok) throw failure(mitMessage(result.error, { kind: 'kinit', principal }));

    writeCcacheFile(file.path, exportMitCcache(client.cache));
    const tgt = result.credential;
    // The names as the KDC wrote them: escaped, they cannot start a line or reach the terminal.
    io.stdout(
      `krbplay kinit: ${escapeControls(formatPrincipal(tgt.client))}: ${escapeControls(formatPrincipal(tgt.server))} valid until ${isoSeconds(tgt.endtime)}` +
        (tgt.renewTill !== undefined ? `, renewable until ${isoSeconds(tgt.renewTill)}` : '') +
        ` (session key ${mitEtypeName(tgt.sessionKey.etype)}), in FILE:${file.path}\n`,
    );
    return 0;
  },
});

function duration(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0)
    throw new UsageError(`${flag}: '${text}' is not a duration like 10h, 30m or 7d`);
  return ms;
}

/**
 * `krbplay kdc`: the playground's KDC on real sockets, from a JSON configuration (docs/cli.md).
 * UDP and TCP on one port (RFC 4120 §7.2), optionally an MS-KKDCP KDC proxy over HTTPS (or plain HTTP),
 * one log line per request, and a clean stop on SIGINT or SIGTERM.
 */
import { IterationCountError } from '../../crypto';
import { buildKdcState, Kdc, KdcConfigError, type KdcConfig } from '../../kdc';
import {
  cryptoRandom,
  KdcServer,
  KdcService,
  KkdcpServer,
  makeSelfSignedCertificate,
  nodePbkdf2,
  type SelfSignedCertificate,
} from '../../node';
import { parseDuration } from '../../asn1/time';
import { kdcPasswordKeys, makePasswordKeysAhead } from '../../scenarios';
import { KrbPlayInputError } from '../../util';
import { UsageError } from '../args';
import { defineCommand, type Io } from '../command';
import { parseHostPort, stripJsonComments } from '../listen';
import { FILE_LIMITS, readFileBytes, readFileText } from './files';

export const kdc = defineCommand({
  name: 'kdc',
  summary: 'Serve a KDC on UDP/TCP and MS-KKDCP from a JSON configuration.',
  description: `
Serves the realms of the configuration on UDP and TCP on the same port (default 127.0.0.1:8888),
and with --kkdcp as an MS-KKDCP KDC proxy: over HTTPS with a self-signed certificate made at start-up
(its path is printed: trust it with http_anchors = FILE:<path> in MIT's krb5.conf), or with the given
certificate and key, or over plain HTTP with --kkdcp-plain. Clients reach the proxy at any path, e.g.
https://127.0.0.1:8443/KdcProxy.

Prints one line per request: time, transport, peer, request, client for server, and the result
(ISSUE or the error name and code, as krb5kdc's log does). SIGINT or SIGTERM stops it (exit 0).
A bad configuration names the field and the reason, and nothing starts (exit 1).

The configuration (JSON; lines may carry // comments) is described in README.md ("krbplay kdc").

--time-offset shifts the KDC's clock (e.g. +10m, -1h): for tests of clock skew only.`,
  options: {
    config: { type: 'string', valueName: 'FILE', required: true, help: 'the JSON configuration' },
    listen: { type: 'string', valueName: 'HOST:PORT', help: 'UDP and TCP address (default 127.0.0.1:8888)' },
    kkdcp: { type: 'string', valueName: 'HOST:PORT', help: 'also serve MS-KKDCP (KDC proxy) here' },
    'tls-cert': { type: 'string', valueName: 'F', help: 'PEM certificate (chain) for the KDC proxy' },
    'tls-key': { type: 'string', valueName: 'F', help: 'PEM private key for the KDC proxy' },
    'kkdcp-plain': { type: 'boolean', help: 'serve the KDC proxy over plain HTTP' },
    'time-offset': {
      type: 'string',
      valueName: 'D',
      help: "for tests only: the KDC's clock runs D ahead (+10m) or behind (-10m)",
    },
  },
  examples: [
    'krbplay kdc --config realm.json',
    'krbplay kdc --config realm.json --listen 127.0.0.1:8888 --kkdcp 127.0.0.1:8443',
    'krbplay kdc --config realm.json --kkdcp 0.0.0.0:443 --tls-cert cert.pem --tls-key key.pem',
  ],
  async run({ options }, io) {
    const listen = parseHostPort('--listen', options.listen ?? '127.0.0.1:8888');
    const kkdcpAt = options.kkdcp !== undefined ? parseHostPort('--kkdcp', options.kkdcp) : undefined;
    const certFile = options['tls-cert'];
    const keyFile = options['tls-key'];
    if ((certFile === undefined) !== (keyFile === undefined))
      throw new UsageError('--tls-cert and --tls-key go together');
    if (!kkdcpAt && (certFile !== undefined || options['kkdcp-plain']))
      throw new UsageError(`${certFile !== undefined ? '--tls-cert' : '--kkdcp-plain'} needs --kkdcp`);
    if (certFile !== undefined && options['kkdcp-plain'])
      throw new UsageError('--kkdcp-plain and --tls-cert exclude each other');
    const timeOffsetMs = options['time-offset'] !== undefined ? parseOffset(options['time-offset']) : 0;

    // The whole configuration first: a bad field stops everything before a port is bound.
    const config = readConfig(options.config);
    // Every password's keys made first with OpenSSL, several at once; the KDC then finds them made.
    await makePasswordKeysAhead(kdcPasswordKeys(config), nodePbkdf2);
    let state;
    try {
      state = buildKdcState(config, cryptoRandom);
    } catch (e) {
      if (e instanceof KdcConfigError)
        throw new KrbPlayInputError(`bad configuration ${options.config}: ${e.message}`);
      if (e instanceof IterationCountError) {
        const field = iterationsField(config, e.iterations);
        throw new KrbPlayInputError(
          `bad configuration ${options.config}: ${field ? `${field}: ` : ''}${e.message}`,
        );
      }
      throw e;
    }
    let tls: { cert: Buffer; key: Buffer } | undefined;
    let selfSigned: SelfSignedCertificate | undefined;
    if (kkdcpAt && !options['kkdcp-plain']) {
      if (certFile !== undefined && keyFile !== undefined) {
        tls = {
          cert: Buffer.from(readFileBytes(certFile, '--tls-cert file', FILE_LIMITS.pem)),
          key: Buffer.from(readFileBytes(keyFile, '--tls-key file', FILE_LIMITS.pem)),
        };
      } else {
        selfSigned = makeSelfSignedCertificate(kkdcpAt.host);
        tls = { cert: selfSigned.cert, key: selfSigned.key };
      }
    }

    const kdcInstance = new Kdc(state);
    const service = new KdcService(kdcInstance, { timeOffsetMs, log: (line) => io.stdout(line + '\n') });
    const server = new KdcServer(service, listen);
    const proxy = kkdcpAt ? new KkdcpServer(service, { ...kkdcpAt, ...(tls ? { tls } : {}) }) : undefined;
    try {
      await server.start();
      await proxy?.start();
    } catch (e) {
      await server.stop();
      await proxy?.stop();
      selfSigned?.remove();
      const err = e as NodeJS.ErrnoException;
      throw new KrbPlayInputError(
        `cannot listen: ${err.code === 'EADDRINUSE' ? `${err.message} (the address is in use)` : err.message}`,
      );
    }

    const principals = state.realms.reduce((n, r) => n + r.principals.length, 0);
    io.stdout(`krbplay kdc: realms ${kdcInstance.realms.join(', ')} (${principals} principals)\n`);
    if (timeOffsetMs !== 0)
      io.stdout(`krbplay kdc: the KDC's clock is offset by ${timeOffsetMs / 1000} s (--time-offset)\n`);
    io.stdout(`krbplay kdc: listening on udp+tcp ${server.address}\n`);
    if (proxy) {
      const cert = selfSigned
        ? ` (self-signed certificate: ${selfSigned.certFile})`
        : tls
          ? ` (certificate: ${certFile})`
          : '';
      io.stdout(`krbplay kdc: KDC proxy (MS-KKDCP) on ${proxy.url}${cert}\n`);
    }
    io.stdout('krbplay kdc: ready (SIGINT or SIGTERM stops)\n');

    const signal = await waitForSignal();
    await Promise.all([server.stop(), proxy?.stop()]);
    service.flush();
    selfSigned?.remove();
    const c = service.counts;
    io.stdout(
      `krbplay kdc: ${signal}: stopped after ${c.udp + c.tcp + c.kkdcp} requests (udp ${c.udp}, tcp ${c.tcp}, kkdcp ${c.kkdcp})\n`,
    );
    return 0;
  },
});

function readConfig(file: string): KdcConfig {
  const text = readFileText(file, '--config file', FILE_LIMITS.config);
  try {
    const config = JSON.parse(stripJsonComments(text)) as KdcConfig;
    // krbplay kdc is no Windows DC: its realms keep RC4 where the keys have it, unless a realm asks
    if (Array.isArray(config.realms))
      for (const r of config.realms)
        if (r && typeof r === 'object' && r.rc4PhaseOut === undefined) r.rc4PhaseOut = false;
    return config;
  } catch (e) {
    throw new KrbPlayInputError(`bad configuration ${file}: not JSON: ${(e as Error).message}`);
  }
}

/** "+10m", "-1h30m", "600s", "0": milliseconds. */
function parseOffset(text: string): number {
  const m = /^([+-]?)(.*)$/.exec(text.trim())!;
  const ms = m[2] === '0' ? 0 : parseDuration(m[2]!);
  if (ms === undefined) throw new UsageError(`--time-offset: "${text}" is not a duration like +10m or -1h`);
  return m[1] === '-' ? -ms : ms;
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(s);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export type { Io };

/** The field that asked for a refused iteration count ("realms[0].principals[2].iterations"), to name it. */
function iterationsField(config: KdcConfig, iterations: number): string | undefined {
  for (const [ri, r] of (config.realms ?? []).entries()) {
    for (const [pi, p] of (r.principals ?? []).entries()) {
      if (p.iterations === iterations) return `realms[${ri}].principals[${pi}].iterations`;
    }
  }
  return undefined;
}

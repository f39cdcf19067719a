/**
 * A self-signed certificate for the KDC proxy, made at start-up with the `openssl` command-line tool
 * (node:crypto makes keys but not X.509 certificates). It names the proxy's host, 127.0.0.1, ::1 and
 * localhost as subjectAltNames, so that MIT's k5tls (which checks IP addresses and DNS names against
 * them) accepts it once the file is given as `http_anchors = FILE:<path>`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isIP } from 'node:net';
import { KrbPlayInputError } from '../util';

export interface SelfSignedCertificate {
  /** Where the certificate (PEM) was written: the file a client trusts. */
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
  /** Removes the files (the private key with them). */
  remove(): void;
}

export function makeSelfSignedCertificate(host: string): SelfSignedCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'krbplay-kkdcp-'));
  const certFile = join(dir, 'kdc-proxy-cert.pem');
  const keyFile = join(dir, 'kdc-proxy-key.pem');
  const names = new Set(['IP:127.0.0.1', 'IP:::1', 'DNS:localhost']);
  if (host !== '' && host !== '0.0.0.0' && host !== '::')
    names.add(isIP(host) ? `IP:${host}` : `DNS:${host}`);
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '30',
        '-subj',
        '/CN=krbplay KDC proxy',
        '-addext',
        `subjectAltName=${[...names].join(',')}`,
        '-addext',
        'basicConstraints=critical,CA:TRUE',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const err = e as { code?: string; stderr?: Buffer };
    const why =
      err.code === 'ENOENT' ? 'the openssl command is not installed' : String(err.stderr ?? e).trim();
    throw new KrbPlayInputError(
      `could not make a self-signed certificate (${why}); give one with --tls-cert and --tls-key, or use --kkdcp-plain`,
    );
  }
  return {
    certFile,
    keyFile,
    cert: readFileSync(certFile),
    key: readFileSync(keyFile),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// The Debian packages the test suites need, and how to tell whether each is present.
// Used by test/setup/run-all.mjs (npm test), which installs them when it runs as root.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** @param {string} cmd */
function onPath(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** @param {string} pkg */
function dpkgInstalled(pkg) {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).includes(
      'installed',
    );
  } catch {
    return false;
  }
}

function k5tlsPresent() {
  try {
    const out = execFileSync('sh', ['-c', 'ls /usr/lib/*/krb5/plugins/tls/k5tls.so 2>/dev/null || true'], {
      encoding: 'utf8',
    });
    return out.trim().length > 0;
  } catch {
    return false;
  }
}

/** package name -> { what it is for, a check that it is installed } */
export const SYSTEM_PACKAGES = [
  {
    pkg: 'chromium',
    forWhat: 'end-to-end tests in a real browser',
    present: () => existsSync('/usr/bin/chromium'),
  },
  {
    pkg: 'krb5-kdc',
    forWhat: 'MIT krb5kdc, the reference KDC our client and decoder are checked against',
    present: () => existsSync('/usr/sbin/krb5kdc') || onPath('krb5kdc'),
  },
  {
    pkg: 'krb5-user',
    forWhat: 'MIT kinit, kvno, klist, ktutil',
    present: () => onPath('kinit') && onPath('klist'),
  },
  {
    pkg: 'locales',
    forWhat: "the en_US locale's source, to run MIT klist as a Linux desktop does (localedef, en_US dates)",
    present: () => existsSync('/usr/share/i18n/locales/en_US'),
  },
  {
    pkg: 'krb5-k5tls',
    forWhat: "MIT's TLS plugin, for kinit through a KDC proxy (MS-KKDCP)",
    present: k5tlsPresent,
  },
  {
    pkg: 'openssl',
    forWhat: "OpenSSL 3's command line, one of the ways the inspector offers to remake a key (openssl kdf)",
    present: () => onPath('openssl'),
  },
  {
    pkg: 'python3',
    forWhat: "Python 3's standard library, another way the inspector offers to remake an RFC 8009 key",
    present: () => onPath('python3'),
  },
  {
    pkg: 'krb5-gss-samples',
    forWhat: "MIT's gss-client and gss-server, the other ends of our IAKERB initiator and acceptor",
    present: () => onPath('gss-client') && onPath('gss-server'),
  },
  {
    pkg: 'samba',
    forWhat:
      'a Samba Active Directory domain controller (Heimdal KDC and AD), a second KDC our client is checked against',
    present: () => existsSync('/usr/sbin/samba') && onPath('samba-tool'),
  },
  ...['samba-ad-dc', 'samba-dsdb-modules', 'samba-ad-provision'].map((pkg) => ({
    pkg,
    forWhat:
      'what the Samba domain controller needs to be provisioned and to run (not pulled in as a recommendation)',
    present: () => dpkgInstalled(pkg),
  })),
  {
    pkg: 'smbclient',
    forWhat: "Samba's SMB client (Heimdal's GSS-API), which takes the credential caches we write",
    present: () => onPath('smbclient'),
  },
  {
    pkg: 'iproute2',
    forWhat: 'network namespaces (ip netns), so that the Samba DC listens on ports of its own',
    present: () => onPath('ip'),
  },
  {
    pkg: 'tshark',
    forWhat: "Wireshark's dissector, the judge of our wire format",
    present: () => onPath('tshark'),
  },
];

export function missingPackages() {
  return SYSTEM_PACKAGES.filter((p) => !p.present());
}

// Suites that need Debian packages (MIT krb5, tshark, chromium) ask here whether to run.
// npm test (test/setup/run-all.mjs) installs them as root, fails in CI without them, and elsewhere
// sets KRBPLAY_MISSING_PACKAGES so that these suites are skipped loudly instead of failing.
const missing = new Set((process.env.KRBPLAY_MISSING_PACKAGES ?? '').split(',').filter(Boolean));

/** True when every named Debian package is present; otherwise prints why the suite is skipped. */
export function hasPackages(...pkgs: string[]): boolean {
  const absent = pkgs.filter((p) => missing.has(p));
  if (absent.length > 0) {
    console.warn(`!!! SKIPPED: this suite needs the Debian package(s) ${absent.join(', ')}`);
    return false;
  }
  return true;
}

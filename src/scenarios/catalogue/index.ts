/**
 * The built-in scenarios, in the order of SCENARIOS.md (the ids are a contract: the CLI and share links use
 * them). Each is a JSON file beside this one; the ones that need what is not modelled yet are listed with "available": false and the reason. Last comes
 * two-forests, the page's first story (a referral across a forest trust, then a skewed clock): once a
 * TypeScript story beside the catalogue, now a catalogue file like the others, under the id its share
 * links already used.
 */
import kerberos101 from './kerberos-101.json';
import happyPath from './happy-path.json';
import policyOff from './policy-off.json';
import cachedLogon4hGap from './cached-logon-4h-gap.json';
import tgtExpiry10h from './tgt-expiry-10h.json';
import trustReferral from './trust-referral.json';
import coexistenceRealmMapping from './coexistence-realm-mapping.json';
import shareReaderCannotWrite from './share-reader-cannot-write.json';
import ntfsDeny from './ntfs-deny.json';
import clockSkew from './clock-skew.json';
import port445Blocked from './port-445-blocked.json';
import offlineCachedLogon from './offline-cached-logon.json';
import rebootPersistentMount from './reboot-persistent-mount.json';
import cloudTrustPartialTgt from './cloud-trust-partial-tgt.json';
import rc4Disabled from './rc4-disabled.json';
import kvnoMismatch from './kvno-mismatch.json';
import mfaCaNotExcluded from './mfa-ca-not-excluded.json';
import networkChangeDropsProxy from './network-change-drops-proxy.json';
import tgtExpiryCloudTrust from './tgt-expiry-cloud-trust.json';
import shareDefaultPermission from './share-default-permission.json';
import groupSidGrants from './group-sid-grants.json';
import iakerbNoDcLineOfSight from './iakerb-no-dc-line-of-sight.json';
import rc4Enforcement2026 from './rc4-enforcement-2026.json';
import privateLink1326 from './private-link-1326.json';
import cloudOnlyIdentity from './cloud-only-identity.json';
import twoForests from './two-forests.json';

/** The catalogue as the files say it: validated by catalogue() in ../catalogue.ts. */
export const CATALOGUE_FILES: readonly unknown[] = [
  kerberos101,
  happyPath,
  policyOff,
  cachedLogon4hGap,
  tgtExpiry10h,
  trustReferral,
  coexistenceRealmMapping,
  shareReaderCannotWrite,
  ntfsDeny,
  clockSkew,
  port445Blocked,
  offlineCachedLogon,
  rebootPersistentMount,
  cloudTrustPartialTgt,
  rc4Disabled,
  kvnoMismatch,
  mfaCaNotExcluded,
  networkChangeDropsProxy,
  tgtExpiryCloudTrust,
  shareDefaultPermission,
  groupSidGrants,
  iakerbNoDcLineOfSight,
  rc4Enforcement2026,
  privateLink1326,
  cloudOnlyIdentity,
  twoForests,
];

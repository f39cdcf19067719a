// The realms the client tests run against: three realms in a line of trusts, EXAMPLE → OTHER → THIRD.
import type { KdcConfig } from '../../../src/kdc';

export const REALM = 'EXAMPLE.TEST';

export const config: KdcConfig = {
  realms: [
    {
      name: REALM,
      principals: [
        { name: 'alice', password: 'alice-pw', sid: 'S-1-5-21-1-2-3-1104' },
        { name: 'bob', password: 'bob-pw', requiresPreauth: false },
        { name: 'old', password: 'old-pw', etypes: [23] },
        { name: 'dave', password: 'dave-pw', iterations: 5000, salt: 'EXAMPLE.TESTdave-custom' },
        { name: 'cifs/fs1.example.test', password: 'fs1-pw' },
      ],
      hostRealm: { '.other.test': 'OTHER.TEST', '.third.test': 'THIRD.TEST' },
    },
    {
      name: 'OTHER.TEST',
      principals: [{ name: 'cifs/fs2.other.test', password: 'fs2-pw' }],
      hostRealm: { '.third.test': 'THIRD.TEST' },
    },
    { name: 'THIRD.TEST', principals: [{ name: 'cifs/fs3.third.test', password: 'fs3-pw' }] },
  ],
  trusts: [
    { from: REALM, to: 'OTHER.TEST', password: 'trust-1' },
    { from: 'OTHER.TEST', to: 'THIRD.TEST', password: 'trust-2' },
  ],
};

/**
 * Two realms whose host-to-realm tables send *.loop.test to each other: referrals that never end. The
 * client's own realm H.TEST sends it into the loop: a loop through the client's own realm would end at
 * once, since a KDC refuses a cross-realm TGT naming one of its own clients (KDC_ERR_POLICY, as MIT's
 * "INVALID LINEAGE").
 */
export const loopConfig: KdcConfig = {
  realms: [
    {
      name: 'H.TEST',
      principals: [{ name: 'alice', password: 'alice-pw' }],
      hostRealm: { '.loop.test': 'A.TEST' },
    },
    { name: 'A.TEST', hostRealm: { '.loop.test': 'B.TEST' } },
    { name: 'B.TEST', hostRealm: { '.loop.test': 'A.TEST' } },
  ],
  trusts: [
    { from: 'H.TEST', to: 'A.TEST', password: 'home-trust' },
    { from: 'A.TEST', to: 'B.TEST', password: 'loop-trust', bidirectional: true },
  ],
};

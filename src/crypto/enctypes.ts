/**
 * The profiles of the enctypes the playground implements, beside the registry (enctype-table.ts, whose
 * names this module passes on).
 */
import { aes128CtsHmacSha196, aes256CtsHmacSha196 } from './rfc3962';
import { aes128CtsHmacSha256128, aes256CtsHmacSha384192 } from './rfc8009';
import { rc4Hmac, rc4HmacExp } from './rfc4757';
import type { EnctypeProfile } from './profile';

export { ENCTYPES, findEnctype, USABLE_ENCTYPES, type EnctypeInfo } from './enctype-table';

const PROFILES: ReadonlyMap<number, EnctypeProfile> = new Map(
  [
    aes128CtsHmacSha196,
    aes256CtsHmacSha196,
    aes128CtsHmacSha256128,
    aes256CtsHmacSha384192,
    rc4Hmac,
    rc4HmacExp,
  ].map((p) => [p.etype, p]),
);

/** The implementation of an enctype, or undefined when the playground does not implement it. */
export function enctypeProfile(etype: number): EnctypeProfile | undefined {
  return PROFILES.get(etype);
}

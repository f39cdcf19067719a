/**
 * The GPO "Network security: Configure encryption types allowed for Kerberos" on a Windows client (the
 * SupportedEncryptionTypes value under Policies\System\Kerberos\Parameters): Kerberos on the host offers
 * only the enctypes it allows, in Windows' own order, in every AS-REQ and TGS-REQ. The KDC then picks
 * among them or, finding none it can use, refuses with KDC_ERR_ETYPE_NOSUPP. Not configured, the client's
 * own list applies again. (The DES boxes are not modelled: the playground has no DES.)
 */
import { settingsOf } from '../client';
import { etypeName } from '../crypto';
import type { World } from '../world';
import { say, windowsHost, type WindowsOutcome } from './windows-host';

/** The enctypes the GPO has a box for that the playground models, in the order Windows offers them. */
export const GPO_ETYPES: readonly number[] = [18, 17, 23];

/** The GPO's own names for its boxes. */
export const GPO_ETYPE_NAMES: Readonly<Record<number, string>> = {
  18: 'AES256_HMAC_SHA1',
  17: 'AES128_HMAC_SHA1',
  23: 'RC4_HMAC_MD5',
};

/** The GPO's enctypes in the order Windows offers them (whatever order they were ticked in). */
export const inWindowsOrder = (etypes: readonly number[]): number[] =>
  GPO_ETYPES.filter((e) => etypes.includes(e));

/** Configures the GPO (a list) or sets it back to Not Configured (undefined), then `gpupdate`. */
export function setAllowedEtypes(
  world: World,
  host: string,
  etypes: readonly number[] | undefined,
): WindowsOutcome {
  const policy = windowsHost(world, host).policy;
  const cfg = world.client(host).config;
  if (etypes) {
    if (!policy.allowedEtypes && cfg.etypes) policy.etypesBeforeGpo = [...cfg.etypes];
    policy.allowedEtypes = inWindowsOrder(etypes);
    cfg.etypes = [...policy.allowedEtypes];
  } else {
    if (policy.allowedEtypes) {
      if (policy.etypesBeforeGpo) cfg.etypes = policy.etypesBeforeGpo;
      else delete cfg.etypes;
    }
    delete policy.allowedEtypes;
    delete policy.etypesBeforeGpo;
  }
  const value = policy.allowedEtypes
    ? `Enabled: ${policy.allowedEtypes.map((e) => GPO_ETYPE_NAMES[e]).join(', ')}`
    : 'Not Configured';
  const offers = settingsOf(cfg).etypes.map(etypeName).join(', ');
  say(
    world,
    host,
    'gpupdate',
    `GPO "Network security: Configure encryption types allowed for Kerberos": ${value}; Kerberos on ${host} now offers ${offers}`,
  );
  return { ok: true, output: 'Computer Policy update has completed successfully.' };
}

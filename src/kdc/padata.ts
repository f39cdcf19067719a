/**
 * What the AS does with each PA type it knows (RFC 4120 §5.2.7), as a table keyed by PA type, the way
 * MIT's kdc_preauth.c lists its pre-authentication systems. An entry says what its PA-DATA does at each
 * stage of an AS exchange:
 *
 *  - `verify`: pre-authentication, checked before anything is issued; it gives the key the reply is
 *    encrypted in. `hint`: the METHOD-DATA entry that offers it with KDC_ERR_PREAUTH_REQUIRED.
 *  - `read`: a request option (PA-PAC-REQUEST) the later stages obey.
 *  - `encrypted`: PA-DATA the reply returns inside its encrypted part (RFC 6806 §11), with the flag it sets.
 *
 * Supporting another PA type is one more entry here.
 */
import {
  decodePaEncTimestamp,
  decodePaEncTsEnc,
  decodePaPacRequest,
  encodeWith,
  ChecksumCodec,
  type PaData,
} from '../asn1';
import { ErrorCode, PaType, TicketFlag } from '../asn1/registry';
import { checksum, checksumTypeForEnctype, decrypt, etypeName, IntegrityError, KeyUsage } from '../crypto';
import { formatPrincipal } from '../asn1/principal';
import { formatDuration, isoSeconds, millisOf } from '../asn1/time';
import type { KeyEntry, PrincipalEntry, RealmState } from './database';
import { asKey } from './issue';
import { KdcRefusal } from './refusal';
import type { RequestScope } from './scope';

/** What the request asks of the later stages through its PA-DATA. */
export interface AsRequestOptions {
  /** PA-PAC-REQUEST (MS-KILE §2.2.3): whether the client asked for a PAC; undefined when it did not say. */
  includePac?: boolean;
}

export interface AsPaType {
  name: string;
  verify?(scope: RequestScope, db: RealmState, client: PrincipalEntry, pa: PaData): KeyEntry;
  hint?: PaData;
  read?(pa: PaData): AsRequestOptions;
  encrypted?(scope: RequestScope, replyKey: KeyEntry): { padata: PaData; flags: number };
}

export const AS_PADATA: ReadonlyMap<number, AsPaType> = new Map<number, AsPaType>([
  [
    PaType.PA_ENC_TIMESTAMP,
    {
      name: 'PA-ENC-TIMESTAMP',
      verify: checkEncryptedTimestamp,
      hint: { padataType: PaType.PA_ENC_TIMESTAMP, padataValue: new Uint8Array(0) },
    },
  ],
  [
    PaType.PA_PAC_REQUEST,
    {
      name: 'PA-PAC-REQUEST',
      read(pa) {
        try {
          return { includePac: decodePaPacRequest(pa.padataValue).includePac };
        } catch {
          return {}; // unreadable: as if the client had not said (a PAC by default)
        }
      },
    },
  ],
  [
    PaType.PA_REQ_ENC_PA_REP,
    {
      name: 'PA-REQ-ENC-PA-REP',
      // RFC 6806 §11: a client that sends PA-REQ-ENC-PA-REP gets a checksum of its request inside the
      // encrypted reply, so a man in the middle cannot have changed the request unnoticed.
      encrypted(scope, replyKey) {
        const cksumtype = checksumTypeForEnctype(replyKey.etype);
        const sum = checksum(cksumtype, asKey(replyKey), KeyUsage.AS_REQ, scope.bytes);
        return {
          padata: {
            padataType: PaType.PA_REQ_ENC_PA_REP,
            padataValue: encodeWith(ChecksumCodec, { cksumtype, checksum: sum }),
          },
          flags: TicketFlag.ENC_PA_REP,
        };
      },
    },
  ],
]);

/** The request's first PA-DATA of each type the table knows, in table order, with its entry. */
export function knownPadata(padata: PaData[] | undefined): { pa: PaData; type: AsPaType }[] {
  const out: { pa: PaData; type: AsPaType }[] = [];
  for (const [padataType, type] of AS_PADATA) {
    const pa = padata?.find((p) => p.padataType === padataType);
    if (pa) out.push({ pa, type });
  }
  return out;
}

/** The options the request's PA-DATA set (`read` entries). */
export function requestOptions(padata: PaData[] | undefined): AsRequestOptions {
  return Object.assign({}, ...knownPadata(padata).map(({ pa, type }) => type.read?.(pa) ?? {}));
}

/** The pre-authentication methods to offer in METHOD-DATA (RFC 4120 §5.2.7), in table order. */
export function preauthHints(): PaData[] {
  return [...AS_PADATA.values()].flatMap((t) => (t.hint ? [t.hint] : []));
}

/**
 * PA-ENC-TIMESTAMP (RFC 4120 §5.2.7.2): the client's current time encrypted in its key, key usage 1.
 * It decrypts only with the right password, and must be within the allowed clock skew.
 */
function checkEncryptedTimestamp(
  scope: RequestScope,
  db: RealmState,
  client: PrincipalEntry,
  pa: PaData,
): KeyEntry {
  const { ctx, say } = scope;
  let enc;
  try {
    enc = decodePaEncTimestamp(pa.padataValue);
  } catch (e) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_PREAUTH_FAILED,
      `PA-ENC-TIMESTAMP could not be decoded: ${(e as Error).message}`,
    );
  }
  const candidates = client.keys.filter(
    (k) => k.etype === enc.etype && (enc.kvno === undefined || k.kvno === enc.kvno),
  );
  if (candidates.length === 0) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_ETYPE_NOSUPP,
      `the encrypted timestamp uses ${etypeName(enc.etype)}${enc.kvno !== undefined ? ` kvno ${enc.kvno}` : ''}, a key ${formatPrincipal(client)} does not have`,
    );
  }
  const key = candidates.reduce((a, b) => (b.kvno > a.kvno ? b : a));
  let plain: Uint8Array;
  try {
    plain = decrypt(asKey(key), KeyUsage.AS_REQ_PA_ENC_TS, enc.cipher);
  } catch (e) {
    if (e instanceof IntegrityError) {
      say.say(
        'preauth',
        `the encrypted timestamp does not decrypt with ${formatPrincipal(client)}'s ${etypeName(key.etype)} key: the password the client used is wrong`,
        false,
      );
      throw new KdcRefusal(
        ErrorCode.KDC_ERR_PREAUTH_FAILED,
        `pre-authentication failed: the timestamp is not encrypted in ${formatPrincipal(client)}'s key (wrong password)`,
      );
    }
    throw e;
  }
  let ts;
  try {
    ts = decodePaEncTsEnc(plain);
  } catch (e) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_PREAUTH_FAILED,
      `the decrypted timestamp is not a PA-ENC-TS-ENC: ${(e as Error).message}`,
    );
  }
  const offset = millisOf(ts.patimestamp, ts.pausec ?? 0) - ctx.now;
  const within = `${formatDuration(db.policy.maxSkew)}`;
  if (Math.abs(offset) > db.policy.maxSkew) {
    say.say(
      'preauth',
      `the timestamp decrypts, but the client's clock is ${formatDuration(Math.abs(offset))} ${offset > 0 ? 'ahead of' : 'behind'} the KDC's; at most ${within} is allowed`,
      false,
    );
    throw new KdcRefusal(
      ErrorCode.KRB_AP_ERR_SKEW,
      `clock skew too great: the client's time ${isoSeconds(ts.patimestamp)} is ${formatDuration(Math.abs(offset))} ${offset > 0 ? 'ahead of' : 'behind'} the KDC's ${isoSeconds(ctx.now)} (at most ${within})`,
    );
  }
  say.say(
    'preauth',
    `checked pre-authentication: the timestamp decrypts with ${formatPrincipal(client)}'s ${etypeName(key.etype)} key and is ${formatDuration(Math.abs(offset))} off, within ${within}`,
  );
  return key;
}

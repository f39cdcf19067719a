/**
 * Compares the fields the vectors' helper recorded (snake_case) with decoded values. Shared by the
 * sample tests and the decryption tests.
 */
import { expect } from 'vitest';
import {
  decodeAdIfRelevant,
  decodeApReq,
  decodeEtypeInfo2,
  decodeMethodData,
  decodePaEncTimestamp,
  formatKerberosTime,
} from '../../../src/asn1';
import { toHex } from '../../../src/util/bytes';

export type Json = Record<string, unknown>;

/** Keys holding values that only decryption reveals: checked in decrypted.test.ts. */
const DECRYPTED = new Set([
  'decrypted_enc_part',
  'decrypted_ticket_enc_part',
  'decrypted_authenticator',
  'decrypted',
]);
const ascii = (b: Uint8Array) => String.fromCharCode(...b);
const flagsHex = (n: number) => '00' + n.toString(16).padStart(8, '0');
const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function principal(v: { nameType: number; nameString: string[] }) {
  return { name_type: v.nameType, name_string: v.nameString };
}

/**
 * Compares the fields the fixture recorded (snake_case, as its helper wrote them) with a decoded value.
 * Every key must be understood: an unknown key fails, so nothing is silently left unchecked.
 */
export function checkFields(exp: Json, v: Json, appTag: number | undefined, label: string): void {
  const field = (k: string): unknown => {
    const c = camel(k);
    if (c in v) return v[c];
    const body = v['reqBody'] as Json | undefined;
    return body?.[c];
  };
  for (const [k, want] of Object.entries(exp)) {
    const at = `${label}.${k}`;
    if (DECRYPTED.has(k)) continue;
    switch (k) {
      case 'application_tag':
        expect(appTag, at).toBe(want);
        break;
      case 'pvno':
      case 'msg_type':
      case 'nonce':
      case 'error_code':
      case 'susec':
      case 'cusec':
      case 'seq_number':
      case 'tkt_vno':
      case 'realm':
      case 'crealm':
      case 'srealm':
      case 'e_text':
        expect(field(k), at).toBe(want);
        break;
      case 'cname':
      case 'sname':
        expect(principal(field(k) as never), at).toEqual(want);
        break;
      case 'from':
      case 'till':
      case 'rtime':
      case 'stime':
      case 'ctime':
      case 'authtime':
      case 'endtime':
      case 'starttime':
      case 'renew_till':
        expect(formatKerberosTime(field(k) as Date), at).toBe(want);
        break;
      case 'etype':
        expect(field(k), at).toEqual(want);
        break;
      case 'padata_types':
        expect(
          (v['padata'] as Json[]).map((p) => p['padataType']),
          at,
        ).toEqual(want);
        break;
      case 'kdc_options_hex':
        expect(flagsHex(field('kdc_options') as number), at).toBe(want);
        break;
      case 'ap_options_hex':
        expect(flagsHex(v['apOptions'] as number), at).toBe(want);
        break;
      case 'flags_hex':
        expect(flagsHex(v['flags'] as number), at).toBe(want);
        break;
      case 'addresses':
      case 'caddr':
        expect(
          (field(k) as Json[]).map((a) => ({
            addr_type: a['addrType'],
            address_hex: toHex(a['address'] as Uint8Array),
          })),
          at,
        ).toEqual(want);
        break;
      case 'ticket':
        checkFields(want as Json, v['ticket'] as Json, 1, at);
        break;
      case 'tickets':
        (want as Json[]).forEach((t, i) => checkFields(t, (v['tickets'] as Json[])[i]!, 1, `${at}[${i}]`));
        expect((v['tickets'] as Json[]).length, at).toBe((want as Json[]).length);
        break;
      case 'enc_part_etype':
        expect((v['encPart'] as Json)['etype'], at).toBe(want);
        break;
      case 'enc_part_kvno':
        expect((v['encPart'] as Json)['kvno'], at).toBe(want);
        break;
      case 'enc_part': {
        const e = v['encPart'] as Json;
        const w = want as Json;
        expect(
          { etype: e['etype'], kvno: e['kvno'], cipher_ascii: ascii(e['cipher'] as Uint8Array) },
          at,
        ).toEqual(w);
        break;
      }
      case 'authenticator_etype':
        expect((v['authenticator'] as Json)['etype'], at).toBe(want);
        break;
      case 'authenticator_kvno':
        expect((v['authenticator'] as Json)['kvno'], at).toBe(want);
        break;
      case 'e_data_hex':
        expect(toHex(v['eData'] as Uint8Array), at).toBe(want);
        break;
      case 'e_data_padata':
        expect(
          decodeMethodData(v['eData'] as Uint8Array).map((p) => ({
            padata_type: p.padataType,
            padata_value_hex: toHex(p.padataValue),
          })),
          at,
        ).toEqual(want);
        break;
      case 'etype_info2': {
        const pa = decodeMethodData(v['eData'] as Uint8Array).find((p) => p.padataType === 19)!;
        expect(decodeEtypeInfo2(pa.padataValue), at).toEqual(want);
        break;
      }
      case 'padata_etype_info2': {
        const pa = (v['padata'] as { padataType: number; padataValue: Uint8Array }[]).find(
          (p) => p.padataType === 19,
        )!;
        expect(decodeEtypeInfo2(pa.padataValue), at).toEqual(want);
        break;
      }
      case 'key_etype':
        expect((v['key'] as Json)['keytype'], at).toBe(want);
        break;
      case 'key_value_ascii':
        expect(ascii((v['key'] as Json)['keyvalue'] as Uint8Array), at).toBe(want);
        break;
      case 'transited': {
        const t = v['transited'] as Json;
        expect({ tr_type: t['trType'], contents_ascii: ascii(t['contents'] as Uint8Array) }, at).toEqual(
          want,
        );
        break;
      }
      case 'authorization_data':
        (want as Json[]).forEach((w, i) => {
          const ad = (v['authorizationData'] as { adType: number; adData: Uint8Array }[])[i]!;
          expect(ad.adType, `${at}[${i}]`).toBe(w['ad_type']);
          if ('ad_data_hex' in w) expect(toHex(ad.adData), `${at}[${i}]`).toBe(w['ad_data_hex']);
          if ('inner_ad_types' in w)
            expect(
              decodeAdIfRelevant(ad.adData).map((x) => x.adType),
              `${at}[${i}]`,
            ).toEqual(w['inner_ad_types']);
        });
        break;
      case 'cksumtype':
        expect((v['cksum'] as Json)['cksumtype'], at).toBe(want);
        break;
      case 'cksum': {
        const c = v['cksum'] as Json;
        expect({ cksumtype: c['cksumtype'], checksum_ascii: ascii(c['checksum'] as Uint8Array) }, at).toEqual(
          want,
        );
        break;
      }
      case 'subkey_etype':
        expect((v['subkey'] as Json)['keytype'], at).toBe(want);
        break;
      case 'subkey_value_ascii':
        expect(ascii((v['subkey'] as Json)['keyvalue'] as Uint8Array), at).toBe(want);
        break;
      case 'pa_tgs_req_ap_req': {
        const pa = (v['padata'] as { padataType: number; padataValue: Uint8Array }[]).find(
          (p) => p.padataType === 1,
        )!;
        checkFields(
          want as Json,
          decodeApReq(pa.padataValue) as unknown as Json,
          pa.padataValue[0]! & 0x1f,
          at,
        );
        break;
      }
      case 'pa_enc_timestamp': {
        const pa = (v['padata'] as { padataType: number; padataValue: Uint8Array }[]).find(
          (p) => p.padataType === 2,
        )!;
        expect(decodePaEncTimestamp(pa.padataValue).etype, at).toBe((want as Json)['etype']);
        break;
      }
      default:
        throw new Error(`${at}: the test does not know this fixture key`);
    }
  }
}

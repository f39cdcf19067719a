/**
 * The encrypted parts of the real samples, opened with the keys the fixture records (src/crypto), decode
 * to the decrypted_* fields the vectors' helper wrote down, and re-encode to the same plaintext bytes.
 * This is where the enc-part types meet real data: Windows' EncASRepPart [APPLICATION 25], MIT's
 * [APPLICATION 26], tickets with AD-IF-RELEVANT around a PAC, authenticators with the GSS checksum.
 */
import { describe, expect, test } from 'vitest';
import fixture from '../../fixtures/vectors/messages.json';
import { decrypt } from '../../../src/crypto';
import type { Key } from '../../../src/crypto';
import {
  decodeApReq,
  decodeKerberos,
  decodePaEncTimestamp,
  decodePaEncTsEnc,
  encodeKerberos,
  formatKerberosTime,
} from '../../../src/asn1';
import type { ApReq, EncryptedData, EncTicketPart, KdcRep, KdcReq, KerberosPdu } from '../../../src/asn1';
import { fromHex, toHex } from '../../../src/util/bytes';
import { checkFields } from './fields';
import type { Json } from './fields';

interface Sample {
  name: string;
  hex: string;
  expected: Json;
  keys?: Json;
  helper_derived?: Json;
}
const samples = (fixture as unknown as { samples: Sample[] }).samples;
const sample = (name: string) => samples.find((s) => s.name === name)!;
const keyOf = (hex: unknown, etype = 18): Key => ({ etype, bytes: fromHex(hex as string) });

/** Decrypts, decodes with the recogniser, checks the recorded fields and the canonical re-encoding. */
function open(key: Key, usage: number, enc: EncryptedData, expected: Json, label: string) {
  expect(enc.etype, label).toBe(key.etype);
  const plain = decrypt(key, usage, enc.cipher);
  const d = decodeKerberos(plain);
  checkFields(expected, d.value as unknown as Json, plain[0]! & 0x1f, label);
  expect(toHex(encodeKerberos(d as KerberosPdu)), `${label} re-encoded`).toBe(toHex(plain));
  return d;
}

describe('decrypted parts of the real samples', () => {
  test('knet-as-req-pa-enc-timestamp: PA-ENC-TIMESTAMP opens with the user key (usage 1) to PA-ENC-TS-ENC', () => {
    const s = sample('knet-as-req-pa-enc-timestamp');
    const req = decodeKerberos(fromHex(s.hex)).value as KdcReq;
    const pa = req.padata!.find((p) => p.padataType === 2)!;
    const encData = decodePaEncTimestamp(pa.padataValue);
    expect(encData.etype).toBe(18);
    const ts = decodePaEncTsEnc(
      decrypt(keyOf(s.helper_derived!['user_long_term_key_aes256_hex']), 1, encData.cipher),
    );
    const want = (s.expected['pa_enc_timestamp'] as Json)['decrypted'] as Json;
    expect(formatKerberosTime(ts.patimestamp)).toBe(want['patimestamp']);
    expect(ts.pausec).toBe(want['pausec']);
  });

  test('knet-as-rep: EncASRepPart [APPLICATION 25] with the user key (usage 3), the TGT with the krbtgt key (usage 2)', () => {
    const s = sample('knet-as-rep');
    const rep = decodeKerberos(fromHex(s.hex)).value as KdcRep;
    const part = open(
      keyOf(s.helper_derived!['user_long_term_key_aes256_hex']),
      3,
      rep.encPart,
      s.expected['decrypted_enc_part'] as Json,
      'enc-part',
    );
    expect(part.type).toBe('EncASRepPart');
    open(
      keyOf(s.keys!['krbtgt_key_aes256_hex']),
      2,
      rep.ticket.encPart,
      s.expected['decrypted_ticket_enc_part'] as Json,
      'ticket',
    );
  });

  test('gokrb5-mit-as-rep-testuser1: MIT sends the AS-REP part as [APPLICATION 26], and it is read all the same', () => {
    const s = sample('gokrb5-mit-as-rep-testuser1');
    const rep = decodeKerberos(fromHex(s.hex)).value as KdcRep;
    const part = open(
      keyOf(s.keys!['user_key_aes256_hex']),
      3,
      rep.encPart,
      s.expected['decrypted_enc_part'] as Json,
      'enc-part',
    );
    expect(part.type).toBe('EncTGSRepPart');
  });

  for (const name of ['knet-tgs-req-host-app03', 'knet-tgs-req-s4u2self']) {
    test(`${name}: the TGT (usage 2) and the authenticator in the TGT session key (usage 7)`, () => {
      const s = sample(name);
      const req = decodeKerberos(fromHex(s.hex)).value as KdcReq;
      const apReq = decodeApReq(req.padata!.find((p) => p.padataType === 1)!.padataValue);
      const want = s.expected['pa_tgs_req_ap_req'] as Json;
      open(
        keyOf(s.keys!['krbtgt_key_aes256_hex']),
        2,
        apReq.ticket.encPart,
        want['decrypted_ticket_enc_part'] as Json,
        'ticket',
      );
      open(
        keyOf(s.helper_derived!['tgt_session_key_hex']),
        7,
        apReq.authenticator,
        want['decrypted_authenticator'] as Json,
        'authenticator',
      );
    });
  }

  test('knet-tgs-rep-host-app03: EncTGSRepPart in the TGT session key (usage 8)', () => {
    const s = sample('knet-tgs-rep-host-app03');
    const rep = decodeKerberos(fromHex(s.hex)).value as KdcRep;
    open(
      keyOf(s.helper_derived!['tgt_session_key_hex']),
      8,
      rep.encPart,
      s.expected['decrypted_enc_part'] as Json,
      'enc-part',
    );
  });

  test('knet-tgs-rep-s4u2self: EncTGSRepPart in the authenticator subkey (usage 9)', () => {
    const s = sample('knet-tgs-rep-s4u2self');
    const rep = decodeKerberos(fromHex(s.hex)).value as KdcRep;
    open(
      keyOf(s.helper_derived!['authenticator_subkey_hex']),
      9,
      rep.encPart,
      s.expected['decrypted_enc_part'] as Json,
      'enc-part',
    );
  });

  for (const name of ['knet-gss-aes256-kerberos', 'knet-gss-rc4-kerberos', 'knet-gss-aes128-spnego']) {
    test(`${name}: the service ticket (usage 2), then the authenticator in its session key (usage 11)`, () => {
      const s = sample(name);
      const apReq = decodeKerberos(fromHex(s.hex)).value as ApReq;
      const serviceKey = keyOf(s.keys!['service_key_hex'], s.keys!['service_key_etype'] as number);
      const ticket = open(
        serviceKey,
        2,
        apReq.ticket.encPart,
        s.expected['decrypted_ticket_enc_part'] as Json,
        'ticket',
      );
      const sessionKey = (ticket.value as EncTicketPart).key;
      open(
        { etype: sessionKey.keytype, bytes: sessionKey.keyvalue },
        11,
        apReq.authenticator,
        s.expected['decrypted_authenticator'] as Json,
        'authenticator',
      );
    });
  }
});

// The real samples of messages.json opened through the keyring, from keytab entries and passwords, with
// the keys they record; and the reasons given when a key is missing or wrong.
import { describe, expect, test } from 'vitest';
import pacFixture from '../../fixtures/vectors/pac.json';
import {
  decodeMessage,
  KeyRing,
  nodeAtPath,
  type DecodedMessage,
  type EncPart,
} from '../../../src/formats/decoder';
import type { KrbNode } from '../../../src/asn1';
import { fromHex } from '../../../src/util/bytes';
import { bytesOf, CORP, entry, KNET_KRBTGT, KNET_PASSWORD, KNET_USER, sample } from './helpers';

const part = (m: DecodedMessage, path: string): EncPart => {
  const p = m.encParts.find((x) => x.path === path);
  if (!p) throw new Error(`no part ${path} in ${m.encParts.map((x) => x.path).join(', ')}`);
  return p;
};
const value = (node: KrbNode | undefined, path: string) => (node ? nodeAtPath(node, path)?.value : undefined);
const find = (n: KrbNode, name: string): KrbNode | undefined =>
  n.name === name ? n : (n.children ?? []).map((c) => find(c, name)).find(Boolean);

const HTTP = 'HTTP/server.test.domain.com@DOMAIN.COM';

describe('every sample with keys opens with them', () => {
  test('knet-as-req-pa-enc-timestamp: PA-ENC-TIMESTAMP with the password (default salt), usage 1', () => {
    const m = decodeMessage(
      bytesOf('knet-as-req-pa-enc-timestamp'),
      new KeyRing().addPassword(KNET_USER, KNET_PASSWORD),
    );
    const p = part(m, 'padata[0].padata-value');
    expect(p).toMatchObject({ etype: 18, keyUsage: 1, decrypted: true, key: `password of ${KNET_USER}` });
    const want = (
      sample('knet-as-req-pa-enc-timestamp').expected['pa_enc_timestamp'] as {
        decrypted: { patimestamp: string };
      }
    ).decrypted;
    const t = want.patimestamp;
    expect(value(p.plain, 'patimestamp')).toBe(
      `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}Z`,
    );
    expect(p.plain?.offset).toBe(0);
  });

  test('knet-as-rep: enc-part with the password (usage 3), the TGT with the krbtgt keytab entry (usage 2), its PAC verified', () => {
    const ring = new KeyRing().addKeytab([KNET_KRBTGT]).addPassword(KNET_USER, KNET_PASSWORD);
    const m = decodeMessage(bytesOf('knet-as-rep'), ring);
    expect(m.type).toBe('AS-REP');
    expect(part(m, 'enc-part')).toMatchObject({
      keyUsage: 3,
      decrypted: true,
      key: `password of ${KNET_USER}`,
    });
    const t = part(m, 'ticket.enc-part');
    expect(t).toMatchObject({
      keyUsage: 2,
      kvno: 2,
      decrypted: true,
      key: `keytab krbtgt/${CORP}@${CORP} kvno 2`,
    });
    expect(t.plain?.name).toBe('EncTicketPart');
    const pac = find(t.plain!, 'PAC')!;
    expect(pac).toBeDefined();
    const checks = (pac.children ?? []).flatMap((b) =>
      (b.children ?? []).filter((c) => c.name === 'verified').map((c) => c.value),
    );
    expect(checks).toEqual(['valid (hmac-sha1-96-aes256)', 'valid (hmac-sha1-96-aes256)']);
    const session = (sample('knet-as-rep').helper_derived as { session_key_aes256_hex: string })
      .session_key_aes256_hex;
    expect(value(part(m, 'enc-part').plain, 'key.keyvalue')).toBe(session);
  });

  test('knet-tgs-req-host-app03: the TGT with the krbtgt key, then the authenticator with its session key (usage 7)', () => {
    const m = decodeMessage(bytesOf('knet-tgs-req-host-app03'), new KeyRing().addKeytab([KNET_KRBTGT]), {
      frame: 7,
    });
    expect(part(m, 'padata[0].padata-value.ticket.enc-part')).toMatchObject({ decrypted: true, keyUsage: 2 });
    expect(part(m, 'padata[0].padata-value.authenticator')).toMatchObject({
      decrypted: true,
      keyUsage: 7,
      key: 'session key learnt in frame 7',
    });
  });

  test('knet-tgs-rep-host-app03: the enc-part with its recorded TGT session key given as a key (usage 8)', () => {
    const hex = (sample('knet-tgs-rep-host-app03').helper_derived as { tgt_session_key_hex: string })
      .tgt_session_key_hex;
    const m = decodeMessage(
      bytesOf('knet-tgs-rep-host-app03'),
      new KeyRing().addKey({ etype: 18, bytes: fromHex(hex) }),
    );
    const p = part(m, 'enc-part');
    expect(p).toMatchObject({ decrypted: true, keyUsage: 8, key: 'key given (etype 18)' });
    expect(value(p.plain, 'nonce')).toBe(1733478682);
    expect(part(m, 'ticket.enc-part').reason).toMatch(
      /^no key for host\/app03\.corp\.identityintervention\.com@CORP\.IDENTITYINTERVENTION\.COM kvno 1 /,
    );
  });

  test('knet-tgs-rep-s4u2self: the enc-part with the recorded authenticator subkey (usage 9)', () => {
    const hex = (sample('knet-tgs-rep-s4u2self').helper_derived as { authenticator_subkey_hex: string })
      .authenticator_subkey_hex;
    const m = decodeMessage(
      bytesOf('knet-tgs-rep-s4u2self'),
      new KeyRing().addKey({ etype: 18, bytes: fromHex(hex) }),
    );
    expect(part(m, 'enc-part')).toMatchObject({ decrypted: true, keyUsage: 9 });
  });

  test.each([
    ['knet-gss-aes256-kerberos', ['gssapi']],
    ['knet-gss-rc4-kerberos', ['gssapi']],
    ['knet-gss-aes128-spnego', ['spnego', 'gssapi']],
  ])(
    '%s: the service ticket with the HTTP keytab entry, the authenticator with its session key (usage 11)',
    (name) => {
      const s = sample(name);
      const keys = s.keys as { service_key_hex: string; service_key_etype: number };
      const kvno = (s.expected['ticket'] as { enc_part_kvno: number }).enc_part_kvno;
      const ring = new KeyRing().addKeytab([
        entry(HTTP, keys.service_key_etype, keys.service_key_hex, kvno, 2),
      ]);
      const m = decodeMessage(bytesOf(name), ring);
      expect(m.type).toBe('AP-REQ');
      expect(part(m, 'ticket.enc-part')).toMatchObject({
        decrypted: true,
        keyUsage: 2,
        key: `keytab ${HTTP} kvno ${kvno}`,
      });
      expect(part(m, 'authenticator')).toMatchObject({
        decrypted: true,
        keyUsage: 11,
        key: 'session key learnt in frame 1',
      });
      expect(m.encParts.every((p) => p.reason === undefined)).toBe(true);
    },
  );

  test("gokrb5-mit-as-rep-testuser1: MIT's [APPLICATION 26] part opens with the password", () => {
    const m = decodeMessage(
      bytesOf('gokrb5-mit-as-rep-testuser1'),
      new KeyRing().addPassword('testuser1@TEST.GOKRB5', 'passwordvalue'),
    );
    const p = part(m, 'enc-part');
    expect(p).toMatchObject({ decrypted: true, keyUsage: 3 });
    expect(p.plain?.name).toBe('EncTGSRepPart');
    expect(value(p.plain, 'key.keyvalue')).toBe(
      (sample('gokrb5-mit-as-rep-testuser1').helper_derived as { session_key_hex: string }).session_key_hex,
    );
  });
});

describe('reasons when a key is missing or wrong', () => {
  test('no keys at all: each part says whose key is missing', () => {
    const m = decodeMessage(bytesOf('knet-as-rep'), new KeyRing());
    expect(part(m, 'enc-part').reason).toBe(
      `no key for ${KNET_USER} (aes256-cts-hmac-sha1-96 (18)): give its password or a keytab`,
    );
    expect(part(m, 'ticket.enc-part').reason).toBe(
      `no key for krbtgt/${CORP}@${CORP} kvno 2 (aes256-cts-hmac-sha1-96 (18))`,
    );
    expect(m.encParts.every((p) => !p.decrypted && p.plain === undefined)).toBe(true);
  });

  test('a wrong password: the integrity check fails, naming the key tried', () => {
    const m = decodeMessage(bytesOf('knet-as-rep'), new KeyRing().addPassword(KNET_USER, 'not-it'));
    expect(part(m, 'enc-part')).toMatchObject({
      decrypted: false,
      reason: `integrity check failed with password of ${KNET_USER}`,
    });
  });

  test('a keytab with another kvno: "no key for … kvno 2", with the kvno the keytab has', () => {
    const wrongKvno = { ...KNET_KRBTGT, kvno: 1 };
    const m = decodeMessage(bytesOf('knet-as-rep'), new KeyRing().addKeytab([wrongKvno]));
    expect(part(m, 'ticket.enc-part').reason).toBe(
      `no key for krbtgt/${CORP}@${CORP} kvno 2 (aes256-cts-hmac-sha1-96 (18)): the keys at hand have kvno 1`,
    );
  });

  test('the right principal and kvno but the wrong key: integrity check failed with that keytab entry', () => {
    const wrong = entry(`krbtgt/${CORP}@${CORP}`, 18, '00'.repeat(32), 2, 2);
    const m = decodeMessage(bytesOf('knet-as-rep'), new KeyRing().addKeytab([wrong]));
    expect(part(m, 'ticket.enc-part').reason).toBe(
      `integrity check failed with keytab krbtgt/${CORP}@${CORP} kvno 2`,
    );
  });

  test('a TGS-REP without its request: no session key learnt', () => {
    const m = decodeMessage(bytesOf('knet-tgs-rep-host-app03'), new KeyRing());
    expect(part(m, 'enc-part').reason).toBe(
      'no TGT session key or authenticator subkey learnt from an earlier TGS-REQ',
    );
  });

  test('an AP-REQ whose ticket does not open: the authenticator says why its key is unknown', () => {
    const m = decodeMessage(bytesOf('knet-gss-aes256-kerberos'), new KeyRing());
    expect(part(m, 'authenticator').reason).toMatch(/session key is not known/);
  });
});

describe('key learning across the samples, as one capture', () => {
  test('AS-REQ → AS-REP → TGS-REQ → TGS-REP: every part opens; later parts name the frame that taught their key', () => {
    const ring = new KeyRing().addKeytab([KNET_KRBTGT]).addPassword(KNET_USER, KNET_PASSWORD);
    const names = [
      'knet-as-req-pa-enc-timestamp',
      'knet-as-rep',
      'knet-tgs-req-host-app03',
      'knet-tgs-rep-host-app03',
    ];
    const ms = names.map((n, i) => decodeMessage(bytesOf(n), ring, { frame: 10 + i }));
    const parts = ms.flatMap((m) => m.encParts.map((p) => ({ frame: m.frame, ...p })));
    expect(parts.filter((p) => !p.decrypted).map((p) => `${p.frame} ${p.path}`)).toEqual([
      '13 ticket.enc-part',
    ]);
    expect(part(ms[2]!, 'padata[0].padata-value.authenticator').key).toBe('session key learnt in frame 11');
    expect(part(ms[3]!, 'enc-part')).toMatchObject({ keyUsage: 8, key: 'session key learnt in frame 11' });
  });

  test('TGS-REQ (S4U2self) → TGS-REP: the reply opens with the authenticator subkey learnt from the request', () => {
    const ring = new KeyRing().addKeytab([KNET_KRBTGT]);
    const req = decodeMessage(bytesOf('knet-tgs-req-s4u2self'), ring, { frame: 3 });
    expect(req.encParts.map((p) => p.decrypted)).toEqual([true, true]);
    const rep = decodeMessage(bytesOf('knet-tgs-rep-s4u2self'), ring, { frame: 4 });
    expect(part(rep, 'enc-part')).toMatchObject({
      keyUsage: 9,
      decrypted: true,
      key: 'authenticator subkey learnt in frame 3',
    });
  });
});

describe('inputs that are not messages', () => {
  test('an EncTicketPart is shown as it is, with no encrypted parts', () => {
    const m = decodeMessage(bytesOf('mit-ref-enc_tkt_part'), new KeyRing());
    expect(m).toMatchObject({ type: 'EncTicketPart', frame: 1, transport: null, encParts: [] });
  });

  test('a PAC is recognised by its header and drawn buffer by buffer', () => {
    const pac = (pacFixture as unknown as { pacs: { name: string; hex: string }[] }).pacs[0]!;
    const m = decodeMessage(fromHex(pac.hex), new KeyRing());
    expect(m.type).toBe('PAC');
    expect(m.tree.name).toBe('PAC');
    expect(m.tree.length).toBe(pac.hex.length / 2);
  });

  test('a KDC-PROXY-MESSAGE and a KRB-CRED in the clear (etype 0) decode; the etype-0 part is read as is', () => {
    expect(decodeMessage(bytesOf('mit-ref-kkdcp_message'), new KeyRing()).type).toBe('AS-REQ');
    const cred = decodeMessage(bytesOf('mit-ref-krb_cred'), new KeyRing());
    const p = part(cred, 'enc-part');
    expect(p.decrypted).toBe(true);
    expect(p.key).toBe('none (etype 0: not encrypted)');
  });
});

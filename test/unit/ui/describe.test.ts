// The words the inspector and the trace list use: values and what they mean, key names, the narration line.
import { describe, expect, test } from 'vitest';
import {
  describeValue,
  headline,
  keyText,
  narrationOf,
  toneOf,
  usageText,
  VALUE_HEX_SHOWN,
} from '../../../src/ui/engine/describe';
import type { TraceEvent } from '../../../src/world';

describe('describeValue', () => {
  test('enctypes, message types, name types and error codes are named', () => {
    expect(describeValue('etype', 18)).toEqual({ value: '18', note: 'aes256-cts-hmac-sha1-96' });
    expect(describeValue('etype[1]', 17).note).toBe('aes128-cts-hmac-sha1-96');
    expect(describeValue('keytype', 23).note).toBe('rc4-hmac');
    expect(describeValue('msg-type', 13).note).toBe('TGS-REP');
    expect(describeValue('name-type', 2).note).toBe('NT-SRV-INST');
    expect(describeValue('error-code', 37).note).toBe('KRB_AP_ERR_SKEW');
    expect(describeValue('padata-type', 2).note).toBe('PA-ENC-TIMESTAMP');
  });

  test('ticket flags are named inside a ticket or a reply’s encrypted part, not elsewhere', () => {
    expect(describeValue('flags', '40e10000', 'EncASRepPart')).toEqual({
      value: '0x40e10000',
      note: 'forwardable renewable initial pre-authent enc-pa-rep',
    });
    expect(describeValue('flags', '40a00000', 'EncTicketPart').note).toBe(
      'forwardable renewable pre-authent',
    );
    expect(describeValue('flags', '40a00000', 'PA-PAC-OPTIONS')).toEqual({ value: '40a00000' });
  });

  test('KDC and AP options are named; an empty set says so', () => {
    expect(describeValue('kdc-options', '40810010').note).toBe(
      'forwardable renewable canonicalize renewable-ok',
    );
    expect(describeValue('ap-options', '20000000').note).toBe('mutual-required');
    expect(describeValue('ap-options', '00000000').note).toBe('none set');
  });

  test('long byte strings are cut, with their length; short ones and text are shown whole', () => {
    const long = 'ab'.repeat(100);
    expect(describeValue('cipher', long)).toEqual({
      value: `${'ab'.repeat(VALUE_HEX_SHOWN)}…`,
      note: '100 bytes',
    });
    expect(describeValue('checksum', 'debadff430f463dffbeb9e38')).toEqual({
      value: 'debadff430f463dffbeb9e38',
    });
    expect(describeValue('realm', 'CORP.CONTOSO.COM')).toEqual({ value: 'CORP.CONTOSO.COM' });
    expect(describeValue('nonce', 130003831)).toEqual({ value: '130003831' });
  });
});

test('key usages read as the RFC describes them', () => {
  expect(usageText(2)).toBe('AS-REP/TGS-REP Ticket (enc-part)');
  expect(usageText(9)).toMatch(/^TGS-REP encrypted part/);
  expect(usageText(9999)).toBe('key usage 9999');
});

test('the decoder’s key labels become the page’s words, naming the message that taught a session key', () => {
  const typeOf = (seq: number) => ({ 5: 'AS-REP', 8: 'TGS-REQ' })[seq];
  expect(keyText('keytab krbtgt/CORP.CONTOSO.COM@CORP.CONTOSO.COM kvno 1', typeOf)).toBe(
    'the krbtgt/CORP.CONTOSO.COM@CORP.CONTOSO.COM key (kvno 1)',
  );
  expect(keyText('session key learnt in frame 5', typeOf)).toBe('the session key from #5 (AS-REP)');
  expect(keyText('authenticator subkey learnt in frame 8', typeOf)).toBe(
    'the authenticator subkey from #8 (TGS-REQ)',
  );
  expect(keyText('FAST armor key (KRB-FX-CF2) from frame 3', typeOf)).toBe(
    'the FAST armor key (KRB-FX-CF2) from #3',
  );
  expect(keyText('password of alice@X', typeOf)).toBe('password of alice@X');
});

const say = (actor: string, stage: string, text: string, ok = true) => ({ actor, stage, text, ok });
const event = (e: Partial<TraceEvent> & Pick<TraceEvent, 'seq'>): TraceEvent => ({
  t: 0,
  kind: 'message',
  from: 'ws1',
  to: 'dc1',
  transport: 'tcp',
  type: 'TGS-REQ',
  result: '',
  narration: [],
  ...e,
});

describe('the narration line', () => {
  const request = event({
    seq: 10,
    narration: [
      say('ws1 (alice@CORP)', 'verify', 'the TGS-REP decrypts with our subkey'),
      say('ws1 (alice@CORP)', 'referral', 'following the referral (hop 1 of 10)'),
      say('KDC CORP', 'decode', 'decoded a TGS-REQ'),
      say('KDC CORP', 'referral', 'CORP does not hold cifs/files; it refers the client (RFC 6806 §8)'),
      say('KDC CORP', 'issue', 'answered with a TGS-REP'),
    ],
  });
  const reply = event({ seq: 11, from: 'dc1', to: 'ws1', type: 'TGS-REP', replyTo: 10 });
  const trace = [request, reply];

  test('a request says what its sender meant: the sender’s last line before sending', () => {
    expect(headline(request, trace)).toBe('following the referral (hop 1 of 10)');
  });

  test('a reply says what the answering side decided: a referral before what it issued', () => {
    expect(headline(reply, trace)).toMatch(/refers the client/);
    const refused = event({
      seq: 2,
      narration: [
        say('KDC CORP', 'preauth', 'no preauth', false),
        say('KDC CORP', 'refuse', 'pre-authentication required', false),
      ],
    });
    expect(headline(event({ seq: 3, from: 'dc1', to: 'ws1', replyTo: 2 }), [refused])).toBe(
      'pre-authentication required',
    );
  });

  test('a reply shows the narration of its request; actions have no narration line', () => {
    expect(narrationOf(reply, trace)).toBe(request.narration);
    expect(headline(event({ seq: 1, kind: 'action' }), [])).toBeUndefined();
  });

  test('tones: requests, replies, errors, failed operations and timeouts are told apart', () => {
    expect(toneOf(request)).toBe('request');
    expect(toneOf(reply)).toBe('reply');
    expect(toneOf(event({ seq: 3, type: 'KRB-ERROR', errorCode: 25, replyTo: 2 }))).toBe('error');
    expect(
      toneOf(event({ seq: 4, kind: 'action', type: 'result', result: 'ws1: sign in failed: skew' })),
    ).toBe('failure');
    expect(toneOf(event({ seq: 5, kind: 'action', type: 'result', result: 'ws1: signed in' }))).toBe(
      'action',
    );
    expect(toneOf(event({ seq: 6, kind: 'timeout' }))).toBe('timeout');
  });
});

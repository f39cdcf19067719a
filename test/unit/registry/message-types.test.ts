// Message types against RFC 4120 §7.5.7, and the APPLICATION tags of RFC 4120 §5.10.
import { describe, expect, expectTypeOf, test } from 'vitest';
import { ApplicationTag, applicationTags, MessageType, messageTypes } from '../../../src/asn1/registry';

/** RFC 4120 §7.5.7, every row. */
const RFC4120_MESSAGE_TYPES: ReadonlyArray<readonly [number, string]> = [
  [10, 'KRB_AS_REQ'],
  [11, 'KRB_AS_REP'],
  [12, 'KRB_TGS_REQ'],
  [13, 'KRB_TGS_REP'],
  [14, 'KRB_AP_REQ'],
  [15, 'KRB_AP_REP'],
  [16, 'KRB_RESERVED16'],
  [17, 'KRB_RESERVED17'],
  [20, 'KRB_SAFE'],
  [21, 'KRB_PRIV'],
  [22, 'KRB_CRED'],
  [30, 'KRB_ERROR'],
];

describe('message types (RFC 4120 §7.5.7)', () => {
  test.each(RFC4120_MESSAGE_TYPES)('%i is %s', (value, rfcName) => {
    expect(messageTypes.byValue(value)?.rfcName).toBe(rfcName);
    expect(messageTypes.byName(rfcName)?.value).toBe(value);
  });

  test('the table holds exactly the RFC rows', () => {
    expect(messageTypes.entries.map((e) => e.value)).toEqual(RFC4120_MESSAGE_TYPES.map(([v]) => v));
  });

  test('display names are the ones the CLI prints in "type"', () => {
    const names = [10, 11, 12, 13, 14, 15, 30, 22, 20, 21].map((v) => messageTypes.nameOf(v));
    expect(names).toEqual([
      'AS-REQ',
      'AS-REP',
      'TGS-REQ',
      'TGS-REP',
      'AP-REQ',
      'AP-REP',
      'KRB-ERROR',
      'KRB-CRED',
      'KRB-SAFE',
      'KRB-PRIV',
    ]);
  });

  test('constants name the numbers code compares against', () => {
    expect(MessageType.AS_REQ).toBe(10);
    expect(MessageType.TGS_REP).toBe(13);
    expect(MessageType.KRB_ERROR).toBe(30);
    expectTypeOf(MessageType.AS_REQ).toEqualTypeOf<10>();
  });

  test('an unknown msg-type is described, not thrown on', () => {
    expect(messageTypes.byValue(99)).toBeUndefined();
    expect(messageTypes.describe(99)).toBe('unknown (99)');
    expect(messageTypes.describe(14)).toBe('AP-REQ (14)');
  });
});

describe('APPLICATION tags (RFC 4120 §5.10)', () => {
  test('the structures that are not messages have their own tags', () => {
    expect(ApplicationTag.TICKET).toBe(1);
    expect(ApplicationTag.AUTHENTICATOR).toBe(2);
    expect(ApplicationTag.ENC_TICKET_PART).toBe(3);
    expect(ApplicationTag.ENC_AS_REP_PART).toBe(25);
    expect(ApplicationTag.ENC_TGS_REP_PART).toBe(26);
    expect(ApplicationTag.ENC_AP_REP_PART).toBe(27);
    expect(ApplicationTag.ENC_KRB_PRIV_PART).toBe(28);
    expect(ApplicationTag.ENC_KRB_CRED_PART).toBe(29);
    expect(applicationTags.nameOf(1)).toBe('Ticket');
  });

  test('every wire message is tagged with its own msg-type number', () => {
    for (const message of messageTypes.entries) {
      if (message.value === 16 || message.value === 17) continue; // user-to-user drafts, not RFC 4120 PDUs
      expect(applicationTags.byValue(message.value)?.name).toBe(message.name);
    }
  });

  test('the GSS-API framing is [APPLICATION 0]', () => {
    expect(applicationTags.byValue(0)?.name).toBe('InitialContextToken');
  });
});

import { describe, expect, test } from 'vitest';
import { checkPasteFileSize, readPaste, readPasteTime, zoneNote } from '../../../src/ui/lib/paste-read';
import { pasteOf } from '../support/paste-of';

describe("the paste page's reading", () => {
  test('a time typed as 2026-03-02 18:05 or ISO is UTC; anything else a sentence, not a throw', () => {
    expect(readPasteTime('2026-03-02 18:05')).toBe(Date.UTC(2026, 2, 2, 18, 5));
    expect(readPasteTime('2026-03-02T18:05:30Z')).toBe(Date.UTC(2026, 2, 2, 18, 5, 30));
    expect(readPasteTime('  ')).toBeUndefined();
    expect(readPaste('CloudTgt : NO', 'tomorrow').problem).toMatch(/is not a UTC time like 2026-03-02 18:05/);
    expect(readPaste('CloudTgt : NO', '2026-02-30 10:00').problem).toMatch(/not a UTC time/);
    // an hour or a minute past its range is no time either (18:60 is not 19:00)
    expect(readPaste('CloudTgt : NO', '2026-03-02 18:60').problem).toMatch(/not a UTC time/);
    expect(readPaste('CloudTgt : NO', '2026-03-02 24:05').problem).toMatch(/not a UTC time/);
  });

  test('a paste over its bounds is a sentence; a file over them too', () => {
    expect(readPaste('x\n'.repeat(10_001), '').problem).toMatch(/^paste: 10002 lines pasted, at most 10000/);
    expect(checkPasteFileSize(600_000)).toMatch(/600,000 bytes; a paste is read up to 524,288/);
    expect(checkPasteFileSize(1000)).toBeUndefined();
  });

  test('a tgt-expiry paste: the finding, and the scenario text of its world', () => {
    const paste = pasteOf('tgt-expiry-10h', (start) => start + 10 * 3_600_000 + 5 * 60_000);
    const { view } = readPaste(paste.text, '2026-03-02 18:05');
    expect(view!.findings[0]!.id).toBe('cloud-tgt-expired');
    expect(JSON.parse(view!.scenarioText!)).toMatchObject({
      id: 'pasted-case',
      start: '2026-03-02T08:00:00Z',
    });
  });

  test("the customer's UTC offset: klist times read at it, dsregcmd's kept; none given is UTC, and the page says so", () => {
    const paste = pasteOf('tgt-expiry-10h', (start) => start + 10 * 3_600_000 + 5 * 60_000);
    const utc = readPaste(paste.text, '2026-03-02 18:05').view!;
    expect(zoneNote(utc.c, '')).toMatch(
      /^klist times are read as UTC: the paste does not say the customer's time zone/,
    );
    expect(utc.findings[0]!.title).toMatch(/expired 5m ago/);
    const east = readPaste(paste.text, '2026-03-02 18:05', '+02:00').view!;
    expect(zoneNote(east.c, '+02:00')).toMatch(/^klist times are read at UTC\+02:00/);
    // an offset of zero typed is an offset given: the customer is on UTC, and the page does not ask for it
    const zero = readPaste(paste.text, '2026-03-02 18:05', '+00:00').view!;
    expect(zoneNote(zero.c, '+00:00')).toMatch(/^klist times are read at UTC\+00:00/);
    expect(east.findings[0]!.title).toMatch(/expired 2h ?5m ago/);
    expect(readPaste(paste.text, '', 'UTC+15:00').problem).toMatch(/beyond the time zones there are/);
    expect(readPaste(paste.text, '', 'Paris').problem).toMatch(/is not a UTC offset/);
  });
});

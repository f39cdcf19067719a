// The cached logon verifier (DCC2): hashcat's published example hash (mode 2100), and the check.
import { describe, expect, test } from 'vitest';
import { checkDcc2, dcc2 } from '../../../src/azure';
import { toHex } from '../../../src/util/bytes';

describe('DCC2, the cached logon verifier', () => {
  test("hashcat's example: $DCC2$10240#tom#e4e938d12fe5974dc42a90120bd9c90f is the password hashcat", () => {
    expect(toHex(dcc2('tom', 'hashcat'))).toBe('e4e938d12fe5974dc42a90120bd9c90f');
  });
  test('the user name is lowercased, and a wrong password does not match', () => {
    const v = dcc2('Tom', 'hashcat');
    expect(checkDcc2('TOM', 'hashcat', v)).toBe(true);
    expect(checkDcc2('tom', 'Hashcat', v)).toBe(false);
  });
});

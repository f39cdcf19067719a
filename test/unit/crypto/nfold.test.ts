// n-fold against every vector of RFC 3961 Appendix A.1 (and three 192-bit folds), from
// test/fixtures/vectors/rfc3961-nfold.json (copied from the project's shared vectors).
import { describe, expect, test } from 'vitest';
import { nfold } from '../../../src/crypto/nfold';
import { fromHex, toHex } from '../../../src/util/bytes';
import vectors from '../../fixtures/vectors/rfc3961-nfold.json';

describe('n-fold (RFC 3961 §5.1)', () => {
  test.each(vectors.vectors.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    expect(toHex(nfold(fromHex(v.input_hex), v.n_bits))).toBe(v.output_hex);
  });

  test('refuses an empty input or a fractional byte count', () => {
    expect(() => nfold(new Uint8Array(0), 64)).toThrow(RangeError);
    expect(() => nfold(new Uint8Array(1), 12)).toThrow(RangeError);
  });
});

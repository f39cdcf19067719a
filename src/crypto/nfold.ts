/**
 * n-fold (RFC 3961 §5.1): stretches or folds a byte string to n bits, so that a short constant such as
 * "kerberos" fills a whole cipher block.
 *
 * The RFC's definition, followed literally: lay copies of the input end to end until the length is
 * lcm(input bits, n); copy k is the input rotated right by 13·k bits; then add the n-bit pieces together
 * with one's-complement addition (carries wrap around). Inputs are short constants, so clarity beats speed.
 */
export function nfold(input: Uint8Array, outBits: number): Uint8Array {
  if (input.length === 0 || outBits <= 0 || outBits % 8 !== 0) {
    throw new RangeError('n-fold needs a non-empty input and a whole number of output bytes');
  }
  const inBits = input.length * 8;
  const outBytes = outBits / 8;
  const totalBits = lcm(inBits, outBits);

  const bitOfInput = (i: number) => (input[i >> 3]! >> (7 - (i & 7))) & 1;
  // bit j of the concatenation: copy k = floor(j / inBits), rotated right by 13k bits
  const bitOfConcatenation = (j: number) => {
    const k = Math.floor(j / inBits);
    const within = j % inBits;
    const src = (((within - 13 * k) % inBits) + inBits) % inBits;
    return bitOfInput(src);
  };

  const sum = new Array<number>(outBytes).fill(0);
  for (let chunk = 0; chunk < totalBits / outBits; chunk++) {
    for (let b = 0; b < outBytes; b++) {
      let byte = 0;
      for (let bit = 0; bit < 8; bit++)
        byte = (byte << 1) | bitOfConcatenation(chunk * outBits + b * 8 + bit);
      sum[b]! += byte;
    }
  }
  // Propagate carries from the least significant byte, wrapping the carry out of the top byte around
  // to the bottom (one's-complement addition), until nothing is left to carry.
  let carry = 0;
  do {
    for (let b = outBytes - 1; b >= 0; b--) {
      const v = sum[b]! + carry;
      sum[b] = v & 0xff;
      carry = v >>> 8;
    }
  } while (carry !== 0);
  return Uint8Array.from(sum);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}

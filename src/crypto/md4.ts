/**
 * MD4 (RFC 1320), needed only for the NT hash: the rc4-hmac key is MD4(UTF-16LE(password)) (RFC 4757 §3).
 * MD4 is broken as a hash; it is here because Windows still derives rc4-hmac keys with it.
 * @noble/hashes does not carry it, so this is a small local implementation.
 */

const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));

export function md4(message: Uint8Array): Uint8Array {
  // RFC 1320 §3.1–3.2: pad with 0x80, zeros to 56 mod 64, then the bit length as 64-bit little-endian.
  const bitLength = message.length * 8;
  const padded = new Uint8Array(((message.length + 8) >> 6) * 64 + 64);
  padded.set(message);
  padded[message.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, bitLength >>> 0, true);
  view.setUint32(padded.length - 4, Math.floor(bitLength / 0x100000000), true);

  // RFC 1320 §3.3: the four-word buffer
  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;
  const x = new Uint32Array(16);

  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) x[i] = view.getUint32(block + 4 * i, true);
    const [aa, bb, cc, dd] = [a, b, c, d];

    // Round 1: F(X,Y,Z) = XY v not(X) Z
    const F = (p: number, q: number, r: number) => (p & q) | (~p & r);
    for (const k of [0, 4, 8, 12]) {
      a = rotl(a + F(b, c, d) + x[k]!, 3);
      d = rotl(d + F(a, b, c) + x[k + 1]!, 7);
      c = rotl(c + F(d, a, b) + x[k + 2]!, 11);
      b = rotl(b + F(c, d, a) + x[k + 3]!, 19);
    }
    // Round 2: G(X,Y,Z) = XY v XZ v YZ, plus the constant sqrt(2)·2^30
    const G = (p: number, q: number, r: number) => (p & q) | (p & r) | (q & r);
    for (const k of [0, 1, 2, 3]) {
      a = rotl(a + G(b, c, d) + x[k]! + 0x5a827999, 3);
      d = rotl(d + G(a, b, c) + x[k + 4]! + 0x5a827999, 5);
      c = rotl(c + G(d, a, b) + x[k + 8]! + 0x5a827999, 9);
      b = rotl(b + G(c, d, a) + x[k + 12]! + 0x5a827999, 13);
    }
    // Round 3: H(X,Y,Z) = X xor Y xor Z, plus the constant sqrt(3)·2^30, words in bit-reversed order
    const H = (p: number, q: number, r: number) => p ^ q ^ r;
    for (const k of [0, 2, 1, 3]) {
      a = rotl(a + H(b, c, d) + x[k]! + 0x6ed9eba1, 3);
      d = rotl(d + H(a, b, c) + x[k + 8]! + 0x6ed9eba1, 9);
      c = rotl(c + H(d, a, b) + x[k + 4]! + 0x6ed9eba1, 11);
      b = rotl(b + H(c, d, a) + x[k + 12]! + 0x6ed9eba1, 15);
    }
    a = (a + aa) >>> 0;
    b = (b + bb) >>> 0;
    c = (c + cc) >>> 0;
    d = (d + dd) >>> 0;
  }

  const out = new Uint8Array(16);
  const outView = new DataView(out.buffer);
  [a, b, c, d].forEach((word, i) => outView.setUint32(4 * i, word, true));
  x.fill(0);
  padded.fill(0);
  return out;
}

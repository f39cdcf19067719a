/**
 * RC4 (the "arcfour" stream cipher), needed only for rc4-hmac (RFC 4757), which Windows still accepts.
 * RC4 is broken (RFC 7465 forbids it in TLS); the playground implements it to show why it is deprecated,
 * and to open tickets that old domains still issue. @noble/ciphers does not carry it.
 * Known-answer tests: RFC 6229.
 */
export function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (key.length === 0 || key.length > 256) throw new RangeError('RC4 keys are 1 to 256 bytes');
  // key-scheduling algorithm
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    const t = s[i]!;
    s[i] = s[j]!;
    s[j] = t;
  }
  // pseudo-random generation, XORed into the data
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    const t = s[i]!;
    s[i] = s[j]!;
    s[j] = t;
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  s.fill(0);
  return out;
}

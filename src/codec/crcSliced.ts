/**
 * Table-driven CRCs (spec section 2, "CRC parameters"): the library's one implementation of
 * CRC-16/CCITT-FALSE and CRC-32/ISO-HDLC, computed over a prefix of the bytes in place. The
 * decoders call these directly; the encoder and every other caller go through crc.ts.
 *
 * Why not the `crc` package: its calculators take a whole array, so a prefix needs a subarray
 * (96 heap bytes per call, bench row crc16-14-bytes/crc-package), and they go a byte at a time. A
 * byte-at-a-time table walk is one dependent chain of shift, xor and load per byte; "slicing by N"
 * (Kounavis and Berry, "A Systematic Approach to Building High Performance Software-based CRC
 * Generators", Intel 2005) reads N bytes per step through N tables whose loads are independent, so
 * the chain is N times shorter. Tables: T_0 is the usual byte table; T_k[n] is the CRC register
 * after byte n followed by k zero bytes.
 *
 * test/unit/codec/crc-sliced.test.ts and test/unit/codec/crc.test.ts check both against their published check
 * values (0x29B1, 0xCBF43926) and against the `crc` package (a dev dependency, the tests' oracle)
 * on random prefixes of every length.
 */

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, MSB first): 4 tables of 256, slicing by 4. */
const C16 = (() => {
  const t = new Uint16Array(4 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[n] = c;
  }
  // One more zero byte through the register: c' = (c << 8) ^ T_0[c >> 8].
  for (let k = 1; k < 4; k++) for (let n = 0; n < 256; n++) {
    const c = t[(k - 1) * 256 + n];
    t[k * 256 + n] = ((c << 8) & 0xffff) ^ t[c >>> 8];
  }
  return t;
})();

/** CRC-16/CCITT-FALSE of bytes[0 .. end-1]; no allocation. */
export function crc16Prefix(b: Uint8Array, end: number): number {
  let crc = 0xffff;
  let i = 0;
  // The 16-bit register meets the first two bytes of each group of four; the last two go through
  // T_1 and T_0 alone.
  for (; i + 4 <= end; i += 4)
    crc = C16[768 + ((crc >>> 8) ^ b[i])] ^ C16[512 + ((crc & 0xff) ^ b[i + 1])] ^ C16[256 + b[i + 2]] ^ C16[b[i + 3]];
  for (; i < end; i++) crc = ((crc << 8) & 0xffff) ^ C16[(crc >>> 8) ^ b[i]];
  return crc;
}

/** CRC-32/ISO-HDLC (reflected poly 0xEDB88320, init and xorout 0xFFFFFFFF): 8 tables, slicing by 8. */
const C32 = (() => {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    t[n] = c;
  }
  // Reflected: one more zero byte is c' = (c >>> 8) ^ T_0[c & 0xff].
  for (let k = 1; k < 8; k++) for (let n = 0; n < 256; n++) {
    const c = t[(k - 1) * 256 + n];
    t[k * 256 + n] = (c >>> 8) ^ t[c & 0xff];
  }
  return t;
})();

/** CRC-32/ISO-HDLC of bytes[0 .. end-1], unsigned. */
export function crc32Prefix(b: Uint8Array, end: number): number {
  return crc32PrefixInt32(b, end) >>> 0;
}

/**
 * The same CRC as a signed 32-bit integer (the same 32 bits). The fast path compares this one: an
 * unsigned result at or above 2^31 is not a small integer, so returned from a call that the JIT did
 * not inline it is boxed in a 16-byte heap number, on about half the records (seen in the bench as
 * 7.2 bytes/op on record/fast).
 */
export function crc32PrefixInt32(b: Uint8Array, end: number): number {
  let crc = -1;
  let i = 0;
  for (; i + 8 <= end; i += 8) {
    // Reflected CRC: the register's low byte meets the first byte (little-endian word).
    const lo = crc ^ (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));
    crc =
      C32[1792 + (lo & 0xff)] ^
      C32[1536 + ((lo >>> 8) & 0xff)] ^
      C32[1280 + ((lo >>> 16) & 0xff)] ^
      C32[1024 + (lo >>> 24)] ^
      C32[768 + b[i + 4]] ^
      C32[512 + b[i + 5]] ^
      C32[256 + b[i + 6]] ^
      C32[b[i + 7]];
  }
  for (; i < end; i++) crc = (crc >>> 8) ^ C32[(crc ^ b[i]) & 0xff];
  return crc ^ -1;
}

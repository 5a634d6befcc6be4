/**
 * Bytes for the section 2 tests: bitwise CRCs written from the spec's CRC parameters (independent
 * of src/codec/crc.ts and the fast path's table), re-sealing of mutated blocks, and a record
 * derived by hand from the section's tables.
 */
import { expect } from 'vitest';
import { HmskError } from '../../src/codec/errors.js';

/** CRC-16/CCITT-FALSE bitwise from section 2's parameters. */
export function refCrc16(d: Uint8Array): number {
  let c = 0xffff;
  for (const x of d) {
    c ^= x << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
  }
  return c;
}
/** CRC-32/ISO-HDLC bitwise (reflected poly 0xEDB88320). */
export function refCrc32(d: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of d) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
export const ascii = (s: string) => new TextEncoder().encode(s);
/** Re-seals a gate block / record after a mutation, so only the mutated field is wrong. */
export function seal(b: Uint8Array): Uint8Array {
  const c16 = refCrc16(b.subarray(0, 14));
  b[14] = c16 >> 8;
  b[15] = c16 & 0xff;
  if (b.length === 144) new DataView(b.buffer, b.byteOffset).setUint32(140, refCrc32(b.subarray(0, 140)));
  return b;
}
export function sealRecordOnly(b: Uint8Array): Uint8Array {
  new DataView(b.buffer, b.byteOffset).setUint32(140, refCrc32(b.subarray(0, 140)));
  return b;
}
export function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(HmskError);
    return (e as HmskError).code;
  }
  return 'ok';
}

/*
 * Hand-derived record (section 2 tables):
 *   holder: cleaning, card 999999999999, org 987654325, given "Jo", family "Li", org name "AB",
 *   birth 2079-06-06, gender X, expiry 2099-12-31, issue 255.
 *   0     48             tag 'H'
 *   1     12             version 1, category 2 (cleaning)
 *   2-6   E8 D4 A5 0F FF 999 999 999 999 = 10^12 - 1; 10^12 = 0xE8_D4A5_1000
 *   7-10  3A DE 68 B5    987 654 325 (987654321 = 0x3ADE68B1, + 4)
 *   11-12 8E AC          2000-01-01 .. 2099-12-31 = 99*365 + 25 leap days (2000..2096) + 364 = 36524
 *   13    FF             issue 255
 *   14-15 93 7B          CRC-16/CCITT-FALSE of bytes 0-13 (CPython binascii.crc_hqx(data, 0xFFFF))
 *   16-17 FF FF          1900-01-01 .. 2079-06-06 = 179*365 + 44 leap days + 156 = 65535
 *   18    00             gender X
 *   19    00             flags
 *   20-22 02 02 02       g, f, o
 *   23    00             reserved
 *   24-29 4A 6F 4C 69 41 42  "Jo" "Li" "AB", then 110 zero bytes
 *   140   96 0D CA DE    CRC-32 of bytes 0-139 (CPython zlib.crc32)
 */
export const HAND_HOLDER = {
  category: 'cleaning',
  cardNumber: '999999999999',
  orgNumber: '987654325',
  orgName: 'AB',
  givenName: 'Jo',
  familyName: 'Li',
  birthDate: '2079-06-06',
  gender: 'X',
  expiry: '2099-12-31',
  issue: 255,
} as const;
export const HAND_RECORD = '4812e8d4a50fff3ade68b58eacff937bffff0000020202004a6f4c694142' + '00'.repeat(110) + '960dcade';
/** The spec's example gate block (examples.json "decode-gate"). */
export const SPEC_GATE = '4811000001e2403a19aae128a800ff8d';

/**
 * Raw track data as the MSR206 / MSR605 family of encoders exchanges it (MSR605 Programmer's
 * Manual rev. B, section 7 "[Raw Data] bit orientation" and section 9 "Write Raw Data to Magnetic
 * Card"). The stripe is a stream of bits in head order; the device groups them BPC bits to a byte
 * (Set BPC, ESC o; 5-8). The two directions differ:
 *   - raw WRITE (ESC n) takes the first stripe bit in the LEAST significant bit of a byte:
 *     `%ABC123?` at 8 BPC packs to C5 B0 78 14 95 4E 3E 2A, `;12345?` to 2B 88 49 EA AF (LRC
 *     included, manual section 9);
 *   - raw READ (ESC m) returns the first stripe bit in the MOST significant bit (manual section 7,
 *     read table: 1B0 1B1 ... from MSB). For BPC < 8 the manual gives no read table; we read the
 *     first bit of a group from the group's highest used bit (bit BPC-1), mirroring the write side.
 * Bits are strings of '0'/'1' like the spec's track-bits vectors. A last partial group is padded
 * with zero bits (blank stripe), as in the manual's track 1 example (63 bits -> 8 bytes, 2A).
 */

import { argumentError, needBytes, needInteger } from './guard.js';

function checkBpc(fn: string, bpc: number): void {
  needInteger(fn, 'bpc (bits per character)', bpc, 5, 8);
}

function checkBits(fn: string, bits: string): void {
  if (typeof bits !== 'string' || !/^[01]*$/.test(bits)) throw argumentError(fn, 'bits', 'a string of 0 and 1', bits);
}

/** Stripe bits -> bytes for the raw WRITE command: first bit of each group in bit 0. */
export function packRawWrite(bits: string, bpc = 8): Uint8Array {
  checkBpc('packRawWrite', bpc);
  checkBits('packRawWrite', bits);
  const out = new Uint8Array(Math.ceil(bits.length / bpc));
  for (let i = 0; i < bits.length; i++) if (bits.charCodeAt(i) === 49) out[(i / bpc) | 0] |= 1 << i % bpc;
  return out;
}

/** Inverse of packRawWrite (what a device does with a raw write block): bytes -> stripe bits. */
export function unpackRawWrite(bytes: Uint8Array, bpc = 8): string {
  needBytes('unpackRawWrite', 'bytes', bytes);
  checkBpc('unpackRawWrite', bpc);
  let s = '';
  for (const b of bytes) for (let j = 0; j < bpc; j++) s += (b >> j) & 1 ? '1' : '0';
  return s;
}

/** Stripe bits -> bytes as a raw READ returns them: first bit of each group in bit BPC-1. */
export function packRawRead(bits: string, bpc = 8): Uint8Array {
  checkBpc('packRawRead', bpc);
  checkBits('packRawRead', bits);
  const out = new Uint8Array(Math.ceil(bits.length / bpc));
  for (let i = 0; i < bits.length; i++) if (bits.charCodeAt(i) === 49) out[(i / bpc) | 0] |= 1 << (bpc - 1 - (i % bpc));
  return out;
}

/** Bytes of a raw READ reply -> stripe bits in head order. */
export function unpackRawRead(bytes: Uint8Array, bpc = 8): string {
  needBytes('unpackRawRead', 'bytes', bytes);
  checkBpc('unpackRawRead', bpc);
  let s = '';
  for (const b of bytes) for (let j = bpc - 1; j >= 0; j--) s += (b >> j) & 1 ? '1' : '0';
  return s;
}

/**
 * The three CRCs of the spec (section 2, "CRC parameters"; section 3 for the MAD's CRC-8).
 *
 * CRC-16/CCITT-FALSE and CRC-32/ISO-HDLC are our sliced tables (crcSliced.ts), the same code the
 * decoders run in place over a prefix, so encoding and decoding cannot disagree. The `crc` package
 * is a dev dependency only: test/unit/codec/crc.test.ts holds these functions to it and to the
 * published check values. CRC-8/MIFARE-MAD (poly 0x1D, init 0xC7) is written here, bitwise: it
 * runs over 31 bytes once per card, never on a hot path.
 */
import { crc16Prefix, crc32Prefix } from './crcSliced.js';
import { needBytes } from './guard.js';

/** CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, xorout 0. Check 0x29B1. */
export function crc16CcittFalse(data: Uint8Array): number {
  needBytes('crc16CcittFalse', 'data', data);
  return crc16Prefix(data, data.length);
}

/** CRC-32/ISO-HDLC (zlib): reflected 0x04C11DB7, init/xorout 0xFFFFFFFF. Check 0xCBF43926. */
export function crc32(data: Uint8Array): number {
  needBytes('crc32', 'data', data);
  return crc32Prefix(data, data.length);
}

/** CRC-8/MIFARE-MAD: poly 0x1D, init 0xC7, no reflection, xorout 0 (MIFARE MAD, spec section 3). Check 0x99. */
export function crc8Mad(data: Uint8Array): number {
  needBytes('crc8Mad', 'data', data);
  let crc = 0xc7;
  for (let i = 0; i < data.length; i++) {
    crc ^= data[i];
    for (let b = 0; b < 8; b++) crc = crc & 0x80 ? ((crc << 1) ^ 0x1d) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

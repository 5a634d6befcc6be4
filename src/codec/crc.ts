/**
 * The three CRCs of the spec (section 2, "CRC parameters").
 *
 * CRC-16/CCITT-FALSE and CRC-32/ISO-HDLC come from the `crc` package's per-algorithm calculators,
 * which take a Uint8Array without copying it into a Buffer. `crc` has no CRC-8 with poly 0x1D and
 * init 0xC7 (the MIFARE Application Directory CRC), so that one is written here, bitwise: it runs
 * over 31 bytes once per card, never on a hot path.
 */
import crc16ccittCalc from 'crc/calculators/crc16ccitt';
import crc32Calc from 'crc/calculators/crc32';
import { needBytes } from './guard.js';

/** CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, xorout 0. Check 0x29B1. */
export function crc16CcittFalse(data: Uint8Array): number {
  needBytes('crc16CcittFalse', 'data', data);
  return crc16ccittCalc(data) & 0xffff;
}

/** CRC-32/ISO-HDLC (zlib): reflected 0x04C11DB7, init/xorout 0xFFFFFFFF. Check 0xCBF43926. */
export function crc32(data: Uint8Array): number {
  needBytes('crc32', 'data', data);
  return crc32Calc(data) >>> 0;
}

/** CRC-8/MAD: poly 0x1D, init 0xC7, no reflection, xorout 0 (MIFARE MAD, spec section 3). */
export function crc8Mad(data: Uint8Array): number {
  needBytes('crc8Mad', 'data', data);
  let crc = 0xc7;
  for (let i = 0; i < data.length; i++) {
    crc ^= data[i];
    for (let b = 0; b < 8; b++) crc = crc & 0x80 ? ((crc << 1) ^ 0x1d) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

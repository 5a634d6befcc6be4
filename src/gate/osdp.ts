/**
 * The body of the OSDP reply osdp_RAW (0x50, card data report as a raw bit array; SIA OSDP 2.2):
 * what a peripheral device sends to the control panel when a card is read.
 *
 *   byte 0      reader number (0 = first reader of the PD)
 *   byte 1      format code: 0 = raw, not specified; 1 = P/data/P (Wiegand, parity included)
 *   bytes 2-3   bit count, 16-bit little-endian
 *   bytes 4..   the bits, first bit in the most significant bit of byte 4, zero-padded to a byte
 *
 * Only the reply data is built here: the packet around it (SOM, address, length, control, CRC or
 * secure channel) belongs to an OSDP stack such as libosdp.
 */
import { wiegandBytes, type WiegandFrame } from './wiegand.js';
import { needBytes, needObject, needNumber } from '../codec/guard.js';

export const OSDP_RAW_REPLY = 0x50;
export const OSDP_FORMAT_RAW_UNSPECIFIED = 0;
export const OSDP_FORMAT_WIEGAND = 1;

/** osdp_RAW reply data for raw bits (`bitCount` bits, MSB first in `bits`). */
export function osdpRawBody(reader: number, formatCode: number, bitCount: number, bits: Uint8Array): Uint8Array {
  needNumber('osdpRawBody', 'reader', reader);
  needNumber('osdpRawBody', 'formatCode', formatCode);
  needNumber('osdpRawBody', 'bitCount', bitCount);
  needBytes('osdpRawBody', 'bits', bits);
  if (!Number.isInteger(reader) || reader < 0 || reader > 255) throw new RangeError(`reader number ${reader} is not 0..255`);
  if (!Number.isInteger(formatCode) || formatCode < 0 || formatCode > 255) throw new RangeError(`format code ${formatCode} is not 0..255`);
  if (!Number.isInteger(bitCount) || bitCount < 0 || bitCount > 0xffff) throw new RangeError(`bit count ${bitCount} is not 0..65535`);
  const n = Math.ceil(bitCount / 8);
  if (bits.length !== n) throw new RangeError(`${bitCount} bits need ${n} bytes, got ${bits.length}`);
  const out = new Uint8Array(4 + n);
  out[0] = reader;
  out[1] = formatCode;
  out[2] = bitCount & 0xff;
  out[3] = bitCount >>> 8;
  out.set(bits, 4);
  // Bits past bitCount in the last byte are padding and must be zero.
  if (bitCount % 8 !== 0) out[out.length - 1] &= (0xff << (8 - (bitCount % 8))) & 0xff;
  return out;
}

/** osdp_RAW reply data carrying a Wiegand frame with its parity bits (format code 1). */
export function osdpRawWiegand(reader: number, frame: WiegandFrame): Uint8Array {
  needNumber('osdpRawWiegand', 'reader', reader);
  needObject('osdpRawWiegand', 'frame', frame);
  return osdpRawBody(reader, OSDP_FORMAT_WIEGAND, frame.bitCount, wiegandBytes(frame));
}

export interface OsdpRaw {
  reader: number;
  formatCode: number;
  bitCount: number;
  bits: Uint8Array;
}

/** Parses osdp_RAW reply data (a control panel's view), checking the length against the bit count. */
export function parseOsdpRaw(body: Uint8Array): OsdpRaw {
  needBytes('parseOsdpRaw', 'body', body);
  if (body.length < 4) throw new RangeError(`osdp_RAW body is ${body.length} bytes, at least 4 needed`);
  const bitCount = body[2] | (body[3] << 8);
  if (body.length !== 4 + Math.ceil(bitCount / 8)) throw new RangeError(`osdp_RAW body: ${bitCount} bits need ${4 + Math.ceil(bitCount / 8)} bytes, got ${body.length}`);
  return { reader: body[0], formatCode: body[1], bitCount, bits: body.slice(4) };
}

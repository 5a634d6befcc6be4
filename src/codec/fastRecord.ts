/**
 * Fast path for the whole 144-byte record (spec section 2): every check of the section's decode
 * order, on the bytes, into a caller-owned object; returns a status, never throws. Texts are
 * validated as UTF-8 here and left as byte ranges; src/codec/record.ts turns them into strings.
 *
 * Holder area, byte by byte (section 2):
 *   16-17   birth date, day number since 1900-01-01
 *   18      gender: 0 X, 1 M, 2 F
 *   19      flags: bit 0 signed, bit 1 truncated, bits 2-7 zero
 *   20      g = UTF-8 length of the given name (>= 1)
 *   21      f = UTF-8 length of the family name (>= 1)
 *   22      o = UTF-8 length of the org name (>= 1)
 *   23      reserved, zero
 *   24-139  given name, family name, org name back to back; g + f + o <= 116; the rest zero
 *   140-143 CRC-32/ISO-HDLC of bytes 0-139
 */
import { crc32PrefixInt32 } from './crcSliced.js';
import { needBytes, needObject } from './guard.js';
import { decodeGateFields, fault, newFastGateBlock, STATUS_BAD_CRC, STATUS_BAD_FIELD, STATUS_BAD_LENGTH, STATUS_OK, type FastGateBlock } from './fastGate.js';

export const RECORD_BYTES = 144;
export const TEXT_OFFSET = 24;
export const TEXT_AREA_END = 140;

/** A decoded record as numbers and byte ranges. Reused across calls. */
export interface FastRecord extends FastGateBlock {
  /** Birth date as day number since 1900-01-01. */
  birthDay: number;
  /** 0 X, 1 M, 2 F. */
  gender: number;
  /** Byte 19: bit 0 signed, bit 1 truncated. */
  flags: number;
  /** g, f, o: the text lengths; the texts start at byte 24, 24 + g and 24 + g + f. */
  givenLength: number;
  familyLength: number;
  orgLength: number;
}

export function newFastRecord(): FastRecord {
  // Grown from a gate-block object, not spread or written as a new literal: its fields then share
  // the gate block's map and field representations, so a card number >= 2^31 is stored in place
  // as a double. A spread object or a second literal map kept boxing a fresh 16-byte heap number on
  // every such store (bench, card numbers near 10^12: 16 -> 0 bytes/op).
  const r = newFastGateBlock() as FastRecord;
  r.birthDay = 0;
  r.gender = 0;
  r.flags = 0;
  r.givenLength = 0;
  r.familyLength = 0;
  r.orgLength = 0;
  return r;
}

/**
 * Offset of the first byte of bytes[start .. end-1] that breaks UTF-8 well-formedness (Unicode
 * Table 3-7: no overlongs, no surrogates, nothing above U+10FFFF, no sequence cut by `end`), or -1.
 */
export function invalidUtf8At(b: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number; // continuation bytes
    let lo = 0x80; // bounds of the first continuation byte
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0; // overlong
      else if (c === 0xed) hi = 0x9f; // surrogates D800-DFFF
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90; // overlong
      else if (c === 0xf4) hi = 0x8f; // above U+10FFFF
    } else return i;
    if (i + 1 >= end || b[i + 1] < lo || b[i + 1] > hi) return i + 1 < end ? i + 1 : i;
    for (let k = 2; k <= n; k++) {
      if (i + k >= end) return i;
      if ((b[i + k] & 0xc0) !== 0x80) return i + k;
    }
    i += n + 1;
  }
  return -1;
}

/** Section 2's record decode: 0 on success, else 1 + the DECODE_CODES index of the first failing check. */
export function decodeRecordFast(b: Uint8Array, out: FastRecord): number {
  needBytes('decodeRecordFast', 'bytes', b);
  needObject('decodeRecordFast', 'out', out);
  if (b.length !== RECORD_BYTES) return fault(out, 0, STATUS_BAD_LENGTH);
  const gate = decodeGateFields(b, out);
  if (gate !== STATUS_OK) return gate;
  // Both sides as signed 32-bit integers: no heap number on either side (crcSliced.ts).
  const stored = (b[140] << 24) | (b[141] << 16) | (b[142] << 8) | b[143];
  if (crc32PrefixInt32(b, TEXT_AREA_END) !== stored) return fault(out, 140, STATUS_BAD_CRC);
  // BAD_FIELD checks, in the order section 2 lists them.
  if (b[19] & 0xfc) return fault(out, 19, STATUS_BAD_FIELD);
  if (b[23] !== 0) return fault(out, 23, STATUS_BAD_FIELD);
  if (b[18] > 2) return fault(out, 18, STATUS_BAD_FIELD);
  const g = b[20];
  const f = b[21];
  const o = b[22];
  if (g === 0) return fault(out, 20, STATUS_BAD_FIELD);
  if (f === 0) return fault(out, 21, STATUS_BAD_FIELD);
  if (o === 0) return fault(out, 22, STATUS_BAD_FIELD);
  const textEnd = TEXT_OFFSET + g + f + o;
  if (textEnd > TEXT_AREA_END) return fault(out, 20, STATUS_BAD_FIELD);
  for (let i = textEnd; i < TEXT_AREA_END; i++) if (b[i] !== 0) return fault(out, i, STATUS_BAD_FIELD);
  const familyStart = TEXT_OFFSET + g;
  const orgStart = familyStart + f;
  let bad = invalidUtf8At(b, TEXT_OFFSET, familyStart);
  if (bad < 0) bad = invalidUtf8At(b, familyStart, orgStart);
  if (bad < 0) bad = invalidUtf8At(b, orgStart, textEnd);
  if (bad >= 0) return fault(out, bad, STATUS_BAD_FIELD);
  out.birthDay = (b[16] << 8) | b[17];
  out.gender = b[18];
  out.flags = b[19];
  out.givenLength = g;
  out.familyLength = f;
  out.orgLength = o;
  return STATUS_OK;
}

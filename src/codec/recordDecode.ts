/**
 * Decodes the whole 144-byte record (spec section 2): every check of the section's decode order, on
 * the bytes, into a caller-owned object; returns a status, never throws. Texts are validated as
 * UTF-8 here and left as byte ranges; src/codec/record.ts turns them into strings. The byte table
 * and every offset are recordLayout.ts's.
 */
import { crc32PrefixInt32 } from './crcSliced.js';
import { needBytes, needObject } from './guard.js';
import { decodeGateFields, fault, newGateBlockOut, STATUS_BAD_CRC, STATUS_BAD_FIELD, STATUS_BAD_LENGTH, STATUS_OK, type GateBlockOut } from './gateBlockDecode.js';
import * as Layout from './recordLayout.js';

// Own copies of the layout's numbers, for speed: see gateBlockDecode.ts.
const FLAG_RESERVED_BITS = Layout.FLAG_RESERVED_BITS;
const OFFSET_BIRTH_DATE = Layout.OFFSET_BIRTH_DATE;
const OFFSET_FAMILY_LENGTH = Layout.OFFSET_FAMILY_LENGTH;
const OFFSET_FLAGS = Layout.OFFSET_FLAGS;
const OFFSET_GENDER = Layout.OFFSET_GENDER;
const OFFSET_GIVEN_LENGTH = Layout.OFFSET_GIVEN_LENGTH;
const OFFSET_ORG_LENGTH = Layout.OFFSET_ORG_LENGTH;
const OFFSET_RECORD_CRC = Layout.OFFSET_RECORD_CRC;
const OFFSET_RESERVED = Layout.OFFSET_RESERVED;
const RECORD_LENGTH = Layout.RECORD_LENGTH;
const TEXT_AREA_END = Layout.TEXT_AREA_END;
const TEXT_OFFSET = Layout.TEXT_OFFSET;

const MAX_GENDER_CODE = Layout.GENDER_CODES.length - 1;

/** A decoded record as numbers and byte ranges. Reused across calls. */
export interface RecordOut extends GateBlockOut {
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

export function newRecordOut(): RecordOut {
  // Grown from a gate-block object, not spread or written as a new literal: its fields then share
  // the gate block's map and field representations, so a card number >= 2^31 is stored in place
  // as a double. A spread object or a second literal map kept boxing a fresh 16-byte heap number on
  // every such store (bench, card numbers near 10^12: 16 -> 0 bytes/op).
  const r = newGateBlockOut() as RecordOut;
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
export function decodeRecordInto(b: Uint8Array, out: RecordOut): number {
  needBytes('decodeRecordInto', 'bytes', b);
  needObject('decodeRecordInto', 'out', out);
  if (b.length !== RECORD_LENGTH) return fault(out, 0, STATUS_BAD_LENGTH);
  const gate = decodeGateFields(b, out);
  if (gate !== STATUS_OK) return gate;
  // Both sides as signed 32-bit integers: no heap number on either side (crcSliced.ts).
  const k = OFFSET_RECORD_CRC;
  const stored = (b[k] << 24) | (b[k + 1] << 16) | (b[k + 2] << 8) | b[k + 3];
  if (crc32PrefixInt32(b, OFFSET_RECORD_CRC) !== stored) return fault(out, OFFSET_RECORD_CRC, STATUS_BAD_CRC);
  // BAD_FIELD checks, in the order section 2 lists them.
  if (b[OFFSET_FLAGS] & FLAG_RESERVED_BITS) return fault(out, OFFSET_FLAGS, STATUS_BAD_FIELD);
  if (b[OFFSET_RESERVED] !== 0) return fault(out, OFFSET_RESERVED, STATUS_BAD_FIELD);
  if (b[OFFSET_GENDER] > MAX_GENDER_CODE) return fault(out, OFFSET_GENDER, STATUS_BAD_FIELD);
  const g = b[OFFSET_GIVEN_LENGTH];
  const f = b[OFFSET_FAMILY_LENGTH];
  const o = b[OFFSET_ORG_LENGTH];
  if (g === 0) return fault(out, OFFSET_GIVEN_LENGTH, STATUS_BAD_FIELD);
  if (f === 0) return fault(out, OFFSET_FAMILY_LENGTH, STATUS_BAD_FIELD);
  if (o === 0) return fault(out, OFFSET_ORG_LENGTH, STATUS_BAD_FIELD);
  const textEnd = TEXT_OFFSET + g + f + o;
  if (textEnd > TEXT_AREA_END) return fault(out, OFFSET_GIVEN_LENGTH, STATUS_BAD_FIELD);
  for (let i = textEnd; i < TEXT_AREA_END; i++) if (b[i] !== 0) return fault(out, i, STATUS_BAD_FIELD);
  const familyStart = TEXT_OFFSET + g;
  const orgStart = familyStart + f;
  let bad = invalidUtf8At(b, TEXT_OFFSET, familyStart);
  if (bad < 0) bad = invalidUtf8At(b, familyStart, orgStart);
  if (bad < 0) bad = invalidUtf8At(b, orgStart, textEnd);
  if (bad >= 0) return fault(out, bad, STATUS_BAD_FIELD);
  out.birthDay = (b[OFFSET_BIRTH_DATE] << 8) | b[OFFSET_BIRTH_DATE + 1];
  out.gender = b[OFFSET_GENDER];
  out.flags = b[OFFSET_FLAGS];
  out.givenLength = g;
  out.familyLength = f;
  out.orgLength = o;
  return STATUS_OK;
}

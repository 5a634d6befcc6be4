/**
 * Fast path for the gate block (spec section 2, record bytes 0-15): decodes into a caller-owned
 * object, allocates nothing, never throws, returns a status. A gate decodes one block per card
 * presented, so this is the hot path; the readable reference is formats/record-layout.ts and a
 * property test (test/unit/codec/record-layout-vs-fast.test.ts) keeps the two in agreement.
 *
 * Gate block, byte by byte (section 2):
 *   0      format tag 0x48 'H'
 *   1      high nibble version 1, low nibble category (1 construction, 2 cleaning, 0xF void)
 *   2-6    card number, 40-bit big-endian
 *   7-10   organisation number, 32-bit big-endian
 *   11-12  expiry, day number since 2000-01-01
 *   13     issue number
 *   14-15  CRC-16/CCITT-FALSE of bytes 0-13
 */
import { crc16Prefix } from './crcSliced.js';
import { DECODE_CODES, type DecodeErrorCode } from './errors.js';
import { needBytes, needObject, needInteger } from './guard.js';

/** Gate-block fields as numbers. Reused across calls by the gate. */
export interface FastGateBlock {
  /** Category nibble: 1 construction, 2 cleaning, 0xF void. */
  category: number;
  cardNumber: number;
  orgNumber: number;
  /** Expiry as day number since 2000-01-01. */
  expiryDay: number;
  issue: number;
  /** On a failure: the byte offset the failing check looked at (set by newFastGateBlock). */
  errorOffset?: number;
}

export function newFastGateBlock(): FastGateBlock {
  return { category: 0, cardNumber: 0, orgNumber: 0, expiryDay: 0, issue: 0, errorOffset: 0 };
}

/** Statuses: 1 + the index of the code in DECODE_CODES (errors.ts), 0 for success. */
export const STATUS_OK = 0;
export const STATUS_BAD_LENGTH = 1 + DECODE_CODES.indexOf('BAD_LENGTH');
export const STATUS_BLANK = 1 + DECODE_CODES.indexOf('BLANK');
export const STATUS_UNKNOWN_FORMAT = 1 + DECODE_CODES.indexOf('UNKNOWN_FORMAT');
export const STATUS_UNSUPPORTED_VERSION = 1 + DECODE_CODES.indexOf('UNSUPPORTED_VERSION');
export const STATUS_BAD_CRC = 1 + DECODE_CODES.indexOf('BAD_CRC');
export const STATUS_BAD_FIELD = 1 + DECODE_CODES.indexOf('BAD_FIELD');

export const FORMAT_TAG = 0x48;
export const CATEGORY_CONSTRUCTION = 1;
export const CATEGORY_CLEANING = 2;
export const CATEGORY_VOID = 0xf;
const MAX_CARD_NUMBER = 999_999_999_999;
const MAX_ORG_NUMBER = 999_999_999;
const TWO_32 = 0x1_0000_0000;

/**
 * Weighted digit pairs for the mod-11 check (section 1; weights 3 2 7 6 5 4 3 2 on digits 1-8).
 * PAIR[w * 100 + p] is the weighted sum of the two-digit number p for weight pair w: 0 = (3, 2)
 * for digits 1-2 and 7-8, 1 = (7, 6) for digits 3-4, 2 = (5, 4) for digits 5-6. Four lookups on
 * four independent divisions replace eight dependent divide-by-ten steps.
 */
const PAIR = (() => {
  const t = new Uint8Array(300);
  const w = [
    [3, 2],
    [7, 6],
    [5, 4],
  ];
  for (let k = 0; k < 3; k++) for (let p = 0; p < 100; p++) t[k * 100 + p] = ((p / 10) | 0) * w[k][0] + (p % 10) * w[k][1];
  return t;
})();

/** Mod-11 check of an organisation number given as an integer (section 1), no string built. */
export function isValidOrgValue(org: number): boolean {
  if (org > MAX_ORG_NUMBER) return false;
  // <= 999 999 999 < 2^31: int32 arithmetic from here (`| 0`), integer % and / instead of doubles.
  const x = org | 0;
  const check = x % 10;
  const d = (x / 10) | 0; // digits 1-8
  const sum = PAIR[(d / 1_000_000) | 0] + PAIR[100 + (((d / 10_000) | 0) % 100)] + PAIR[200 + (((d / 100) | 0) % 100)] + PAIR[d % 100];
  const c = 11 - (sum % 11);
  return c === 10 ? false : (c === 11 ? 0 : c) === check;
}

/**
 * Checks 2-6 of section 2's gate-block order on bytes[0..15] (the caller has checked the length:
 * 16 for a gate block, 144 for a record). Writes `out` only on success.
 */
export function decodeGateFields(b: Uint8Array, out: FastGateBlock): number {
  // BLANK (all 00 or all FF) is checked before UNKNOWN_FORMAT, but a blank block cannot start
  // with the tag 0x48: so the 16-byte scan runs only when the tag is wrong, not on every good card.
  if (b[0] !== FORMAT_TAG) return fault(out, 0, isBlank(b) ? STATUS_BLANK : STATUS_UNKNOWN_FORMAT);
  if (b[1] >>> 4 !== 1) return fault(out, 1, STATUS_UNSUPPORTED_VERSION);
  // CRC over bytes 0-13, sliced by 4 in place (crcSliced.ts).
  if (crc16Prefix(b, 14) !== ((b[14] << 8) | b[15])) return fault(out, 14, STATUS_BAD_CRC);
  const category = b[1] & 0xf;
  if (category !== CATEGORY_CONSTRUCTION && category !== CATEGORY_CLEANING && category !== CATEGORY_VOID) return fault(out, 1, STATUS_BAD_FIELD);
  const cardNumber = b[2] * TWO_32 + (((b[3] << 24) | (b[4] << 16) | (b[5] << 8) | b[6]) >>> 0);
  if (cardNumber === 0 || cardNumber > MAX_CARD_NUMBER) return fault(out, 2, STATUS_BAD_FIELD);
  const orgNumber = ((b[7] << 24) | (b[8] << 16) | (b[9] << 8) | b[10]) >>> 0;
  if (!isValidOrgValue(orgNumber)) return fault(out, 7, STATUS_BAD_FIELD);
  out.category = category;
  out.cardNumber = cardNumber;
  out.orgNumber = orgNumber;
  out.expiryDay = (b[11] << 8) | b[12];
  out.issue = b[13];
  return STATUS_OK;
}

/** Bytes 0-15 all 0x00 or all 0xFF: an unwritten block (section 2, BLANK). */
function isBlank(b: Uint8Array): boolean {
  let any = 0;
  let all = 0xff;
  for (let i = 0; i < 16; i++) {
    any |= b[i];
    all &= b[i];
  }
  return any === 0 || all === 0xff;
}

/** 0 when the block decodes; otherwise 1 + the index in DECODE_CODES of the spec's error code. */
export function decodeGateBlockFast(bytes: Uint8Array, out: FastGateBlock): number {
  // "Never throws" is about the bytes: a non-Uint8Array or a missing `out` is a caller's bug.
  needBytes('decodeGateBlockFast', 'bytes', bytes);
  needObject('decodeGateBlockFast', 'out', out);
  if (bytes.length !== 16) return fault(out, 0, STATUS_BAD_LENGTH);
  return decodeGateFields(bytes, out);
}

/** Records where a check failed and passes its status through. */
export function fault(out: { errorOffset?: number }, offset: number, status: number): number {
  out.errorOffset = offset;
  return status;
}

/** The error code of a non-zero status of decodeGateBlockFast. */
export function statusCode(status: number): DecodeErrorCode {
  needInteger('statusCode', 'status', status, 1, DECODE_CODES.length);
  return DECODE_CODES[status - 1];
}

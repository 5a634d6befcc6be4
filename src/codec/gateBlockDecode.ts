/**
 * Decodes the gate block (spec section 2, record bytes 0-15) into a caller-owned object: allocates
 * nothing, never throws, returns a status. A gate decodes one block per card presented, so this is
 * the hot path; the readable reference is formats/record-layout.ts and a property test
 * (test/unit/codec/record-layout-vs-decoders.test.ts) keeps the two in agreement. The offsets, tag, version,
 * categories and ranges are recordLayout.ts's (the byte table is there).
 */
import { crc16Prefix } from './crcSliced.js';
import { DECODE_CODES, type DecodeErrorCode } from './errors.js';
import { needBytes, needObject, needInteger } from './guard.js';
import { isValidOrgValue } from './orgNumber.js';
import * as Layout from './recordLayout.js';

// Own copies of the layout's numbers (recordLayout.ts stays their one source): V8 folds a module's
// own const bindings into the compiled code, but loads an imported binding from its module cell on
// every use (measured, bench gate-block/fast: 33 ns with copies, 41 ns with the imports used as is).
const CATEGORY_CLEANING = Layout.CATEGORY_CLEANING;
const CATEGORY_CONSTRUCTION = Layout.CATEGORY_CONSTRUCTION;
const CATEGORY_VOID = Layout.CATEGORY_VOID;
const FORMAT_TAG = Layout.FORMAT_TAG;
const FORMAT_VERSION = Layout.FORMAT_VERSION;
const GATE_BLOCK_LENGTH = Layout.GATE_BLOCK_LENGTH;
const MAX_CARD_NUMBER = Layout.MAX_CARD_NUMBER;
const OFFSET_CARD_NUMBER = Layout.OFFSET_CARD_NUMBER;
const OFFSET_EXPIRY = Layout.OFFSET_EXPIRY;
const OFFSET_GATE_CRC = Layout.OFFSET_GATE_CRC;
const OFFSET_ISSUE = Layout.OFFSET_ISSUE;
const OFFSET_ORG_NUMBER = Layout.OFFSET_ORG_NUMBER;
const OFFSET_TAG = Layout.OFFSET_TAG;
const OFFSET_VERSION_CATEGORY = Layout.OFFSET_VERSION_CATEGORY;

/** Gate-block fields as numbers. Reused across calls by the gate. */
export interface GateBlockOut {
  /** Category nibble: 1 construction, 2 cleaning, 0xF void. */
  category: number;
  cardNumber: number;
  orgNumber: number;
  /** Expiry as day number since 2000-01-01. */
  expiryDay: number;
  issue: number;
  /** On a failure: the byte offset the failing check looked at (set by newGateBlockOut). */
  errorOffset?: number;
}

export function newGateBlockOut(): GateBlockOut {
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

const TWO_32 = 0x1_0000_0000;

/**
 * Checks 2-6 of section 2's gate-block order on bytes[0..15] (the caller has checked the length:
 * 16 for a gate block, 144 for a record). Writes `out` only on success.
 */
export function decodeGateFields(b: Uint8Array, out: GateBlockOut): number {
  // BLANK (all 00 or all FF) is checked before UNKNOWN_FORMAT, but a blank block cannot start
  // with the tag 0x48: so the 16-byte scan runs only when the tag is wrong, not on every good card.
  if (b[OFFSET_TAG] !== FORMAT_TAG) return fault(out, OFFSET_TAG, isBlank(b) ? STATUS_BLANK : STATUS_UNKNOWN_FORMAT);
  if (b[OFFSET_VERSION_CATEGORY] >>> 4 !== FORMAT_VERSION) return fault(out, OFFSET_VERSION_CATEGORY, STATUS_UNSUPPORTED_VERSION);
  // CRC over bytes 0-13, sliced by 4 in place (crcSliced.ts).
  if (crc16Prefix(b, OFFSET_GATE_CRC) !== ((b[OFFSET_GATE_CRC] << 8) | b[OFFSET_GATE_CRC + 1])) return fault(out, OFFSET_GATE_CRC, STATUS_BAD_CRC);
  const category = b[OFFSET_VERSION_CATEGORY] & 0xf;
  if (category !== CATEGORY_CONSTRUCTION && category !== CATEGORY_CLEANING && category !== CATEGORY_VOID) return fault(out, OFFSET_VERSION_CATEGORY, STATUS_BAD_FIELD);
  const c = OFFSET_CARD_NUMBER;
  const cardNumber = b[c] * TWO_32 + (((b[c + 1] << 24) | (b[c + 2] << 16) | (b[c + 3] << 8) | b[c + 4]) >>> 0);
  if (cardNumber === 0 || cardNumber > MAX_CARD_NUMBER) return fault(out, OFFSET_CARD_NUMBER, STATUS_BAD_FIELD);
  const o = OFFSET_ORG_NUMBER;
  const orgNumber = ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  if (!isValidOrgValue(orgNumber)) return fault(out, OFFSET_ORG_NUMBER, STATUS_BAD_FIELD);
  out.category = category;
  out.cardNumber = cardNumber;
  out.orgNumber = orgNumber;
  out.expiryDay = (b[OFFSET_EXPIRY] << 8) | b[OFFSET_EXPIRY + 1];
  out.issue = b[OFFSET_ISSUE];
  return STATUS_OK;
}

/** Bytes 0-15 all 0x00 or all 0xFF: an unwritten block (section 2, BLANK). */
function isBlank(b: Uint8Array): boolean {
  let any = 0;
  let all = 0xff;
  for (let i = 0; i < GATE_BLOCK_LENGTH; i++) {
    any |= b[i];
    all &= b[i];
  }
  return any === 0 || all === 0xff;
}

/** 0 when the block decodes; otherwise 1 + the index in DECODE_CODES of the spec's error code. */
export function decodeGateBlockInto(bytes: Uint8Array, out: GateBlockOut): number {
  // "Never throws" is about the bytes: a non-Uint8Array or a missing `out` is a caller's bug.
  needBytes('decodeGateBlockInto', 'bytes', bytes);
  needObject('decodeGateBlockInto', 'out', out);
  if (bytes.length !== GATE_BLOCK_LENGTH) return fault(out, 0, STATUS_BAD_LENGTH);
  return decodeGateFields(bytes, out);
}

/** Records where a check failed and passes its status through. */
export function fault(out: { errorOffset?: number }, offset: number, status: number): number {
  out.errorOffset = offset;
  return status;
}

/** The error code of a non-zero status of decodeGateBlockInto. */
export function statusCode(status: number): DecodeErrorCode {
  needInteger('statusCode', 'status', status, 1, DECODE_CODES.length);
  return DECODE_CODES[status - 1];
}

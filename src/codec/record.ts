/**
 * The 144-byte record and the 16-byte gate block (spec section 2): encode, decode, void.
 *
 * Decoding runs the fast path (fastGate.ts, fastRecord.ts), which does every check of section 2 in
 * the spec's order on the bytes; this module turns its status into an HmskError and its numbers
 * into the strings of the public model (types.ts). The byte layout is commented in those files and
 * written declaratively in formats/record-layout.ts.
 */
import { HmskError } from './errors.js';
import { argumentError, needBytes, needOptions } from './guard.js';
import { crc16CcittFalse, crc32 } from './crc.js';
import { BIRTH_EPOCH_DAYS, EXPIRY_EPOCH_DAYS, daysToIso, parseIsoDate } from './dates.js';
import { encodeUtf8, isValidatedHolder, validateHolder, type ValidHolder } from './holder.js';
import {
  CATEGORY_CLEANING,
  CATEGORY_CONSTRUCTION,
  CATEGORY_VOID,
  FORMAT_TAG,
  decodeGateBlockFast,
  newFastGateBlock,
  statusCode,
  type FastGateBlock,
} from './fastGate.js';
import { decodeRecordFast, newFastRecord, TEXT_OFFSET, type FastRecord } from './fastRecord.js';
import type { CardCategory, DecodedHolder, EncodeOptions, Gender, GateFields, HolderInput } from './types.js';

export const RECORD_LENGTH = 144;
export const GATE_BLOCK_LENGTH = 16;

/** Record flag bits (section 2, byte 19). */
export const FLAG_SIGNED = 0x01;
export const FLAG_TRUNCATED = 0x02;

const GENDER_CODE: Record<Gender, number> = { X: 0, M: 1, F: 2 };
const GENDERS: readonly Gender[] = ['X', 'M', 'F'];

/** Which field a failing offset belongs to, for HmskError.where (section 2's tables). */
function fieldAt(offset: number): string {
  if (offset <= 0) return 'formatTag';
  if (offset === 1) return 'category';
  if (offset < 7) return 'cardNumber';
  if (offset < 11) return 'orgNumber';
  if (offset < 13) return 'expiry';
  if (offset === 13) return 'issue';
  if (offset < 16) return 'gateCrc';
  if (offset < 18) return 'birthDate';
  if (offset === 18) return 'gender';
  if (offset === 19) return 'flags';
  if (offset < 23) return 'textLengths';
  if (offset === 23) return 'reserved';
  if (offset < 140) return 'texts';
  return 'recordCrc';
}

const MESSAGES: Record<string, string> = {
  BAD_LENGTH: 'wrong length',
  BLANK: 'all bytes are 0x00 or all are 0xFF (blank card)',
  UNKNOWN_FORMAT: 'byte 0 is not the format tag 0x48',
  UNSUPPORTED_VERSION: 'version nibble is not 1',
  BAD_CRC: 'CRC mismatch',
  BAD_FIELD: 'field out of range',
};

function decodeError(status: number, out: { errorOffset?: number }, what: string, length: number): HmskError {
  const code = statusCode(status);
  const offset = out.errorOffset ?? 0;
  if (code === 'BAD_LENGTH') return new HmskError(code, `${what} is ${length} bytes, not ${what === 'record' ? RECORD_LENGTH : GATE_BLOCK_LENGTH}`, { offset: 0 });
  return new HmskError(code, `${what}: ${MESSAGES[code]} at byte ${offset} (${fieldAt(offset)})`, { offset, field: fieldAt(offset) });
}

function categoryName(nibble: number): CardCategory {
  return nibble === CATEGORY_CONSTRUCTION ? 'construction' : nibble === CATEGORY_CLEANING ? 'cleaning' : 'void';
}

function gateFields(f: FastGateBlock): GateFields {
  return {
    category: categoryName(f.category),
    cardNumber: String(f.cardNumber),
    orgNumber: String(f.orgNumber).padStart(9, '0'),
    expiry: daysToIso(EXPIRY_EPOCH_DAYS + f.expiryDay),
    issue: f.issue,
  };
}

// One scratch object per decoder: the decoders are synchronous, so they are never re-entered.
const gateScratch = newFastGateBlock();
const recordScratch = newFastRecord();
// ignoreBOM: a leading U+FEFF is text like any other; the fast path has already checked UTF-8.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes record bytes 0-15 with the check order of section 2; throws HmskError. */
export function decodeGateBlock(bytes: Uint8Array): GateFields {
  needBytes('decodeGateBlock', 'bytes', bytes);
  const status = decodeGateBlockFast(bytes, gateScratch);
  if (status !== 0) throw decodeError(status, gateScratch, 'gate block', bytes.length);
  return gateFields(gateScratch);
}

/** Decodes the whole 144-byte record; throws HmskError. */
export function decodeRecord(bytes: Uint8Array): DecodedHolder {
  needBytes('decodeRecord', 'bytes', bytes);
  const r: FastRecord = recordScratch;
  const status = decodeRecordFast(bytes, r);
  if (status !== 0) throw decodeError(status, r, 'record', bytes.length);
  const familyStart = TEXT_OFFSET + r.givenLength;
  const orgStart = familyStart + r.familyLength;
  // Built field by field: spreading gateFields() into this literal measured 13x slower (bench record/public).
  return {
    category: categoryName(r.category),
    cardNumber: String(r.cardNumber),
    orgNumber: String(r.orgNumber).padStart(9, '0'),
    expiry: daysToIso(EXPIRY_EPOCH_DAYS + r.expiryDay),
    issue: r.issue,
    birthDate: daysToIso(BIRTH_EPOCH_DAYS + r.birthDay),
    gender: GENDERS[r.gender],
    givenName: utf8Decoder.decode(bytes.subarray(TEXT_OFFSET, familyStart)),
    familyName: utf8Decoder.decode(bytes.subarray(familyStart, orgStart)),
    orgName: utf8Decoder.decode(bytes.subarray(orgStart, orgStart + r.orgLength)),
    signed: (r.flags & FLAG_SIGNED) !== 0,
    truncated: (r.flags & FLAG_TRUNCATED) !== 0,
  };
}

/**
 * Encodes a holder to the 144 record bytes. A ValidHolder returned by validateHolder is used as it
 * is (its `truncated` becomes flag bit 1); anything else is validated here first, with
 * `opts.truncate` (section 1).
 */
export function encodeRecord(holder: HolderInput | ValidHolder, opts: EncodeOptions = {}): Uint8Array {
  if (holder === null || typeof holder !== 'object') throw argumentError('encodeRecord', 'holder', 'a holder object', holder);
  needOptions('encodeRecord', 'opts', opts);
  const h = isValidatedHolder(holder) ? holder : validateHolder(holder, { truncate: opts.truncate });
  const truncated = h.truncated;
  const given = encodeUtf8(h.givenName);
  const family = encodeUtf8(h.familyName);
  const org = encodeUtf8(h.orgName);

  const rec = new Uint8Array(RECORD_LENGTH);
  const dv = new DataView(rec.buffer);
  rec[0] = FORMAT_TAG;
  rec[1] = 0x10 | (h.category === 'construction' ? CATEGORY_CONSTRUCTION : CATEGORY_CLEANING);
  rec[2] = Math.floor(h.cardNumberValue / 0x1_0000_0000); // top 8 of the 40 bits
  dv.setUint32(3, h.cardNumberValue >>> 0); // low 32 bits (>>> is ToUint32: modulo 2^32, exact)
  dv.setUint32(7, Number(h.orgNumber));
  dv.setUint16(11, parseIsoDate(h.expiry)! - EXPIRY_EPOCH_DAYS);
  rec[13] = h.issue;
  dv.setUint16(14, crc16CcittFalse(rec.subarray(0, 14)));

  dv.setUint16(16, parseIsoDate(h.birthDate)! - BIRTH_EPOCH_DAYS);
  rec[18] = GENDER_CODE[h.gender];
  rec[19] = (opts.signed ? FLAG_SIGNED : 0) | (truncated ? FLAG_TRUNCATED : 0);
  rec[20] = given.length;
  rec[21] = family.length;
  rec[22] = org.length;
  // rec[23] reserved, and the padding after the texts, stay zero.
  rec.set(given, TEXT_OFFSET);
  rec.set(family, TEXT_OFFSET + given.length);
  rec.set(org, TEXT_OFFSET + given.length + family.length);
  dv.setUint32(140, crc32(rec.subarray(0, 140)));
  return rec;
}

/**
 * The gate block of a voided card (section 3, "Voiding a card"): category nibble 0xF and a new
 * CRC-16, every other byte kept. The block must decode first (its HmskError otherwise), so a
 * damaged block is never turned into one with a valid CRC.
 */
export function voidGateBlock(gateBlock: Uint8Array): Uint8Array {
  needBytes('voidGateBlock', 'gateBlock', gateBlock);
  decodeGateBlock(gateBlock);
  const out = gateBlock.slice(0, GATE_BLOCK_LENGTH);
  out[1] = (out[1] & 0xf0) | CATEGORY_VOID;
  const crc = crc16CcittFalse(out.subarray(0, 14));
  out[14] = crc >>> 8;
  out[15] = crc & 0xff;
  return out;
}

/**
 * The 144-byte record and the 16-byte gate block (spec section 2): encode, decode, void.
 *
 * Decoding runs the allocation-free decoders (gateBlockDecode.ts, recordDecode.ts), which do every
 * check of section 2 in the spec's order on the bytes; this module turns their status into an
 * HmskError and their numbers into the strings of the public model (types.ts). Every length, offset
 * and constant is recordLayout.ts's; formats/record-layout.ts writes the layout out declaratively.
 */
import { HmskError } from './errors.js';
import { argumentError, needBytes, needOptions } from './guard.js';
import { crc16Prefix, crc32Prefix } from './crcSliced.js';
import { BIRTH_EPOCH_DAYS, EXPIRY_EPOCH_DAYS, daysToIso, parseIsoDate } from './dates.js';
import { encodeUtf8, isValidatedHolder, validateHolder, type ValidHolder } from './holder.js';
import { decodeGateBlockInto, newGateBlockOut, statusCode, type GateBlockOut } from './gateBlockDecode.js';
import { decodeRecordInto, newRecordOut, type RecordOut } from './recordDecode.js';
import {
  CATEGORY_CLEANING,
  CATEGORY_CONSTRUCTION,
  CATEGORY_VOID,
  FLAG_SIGNED,
  FLAG_TRUNCATED,
  FORMAT_TAG,
  FORMAT_VERSION,
  GATE_BLOCK_LENGTH,
  GENDER_CODES,
  OFFSET_BIRTH_DATE,
  OFFSET_CARD_NUMBER,
  OFFSET_EXPIRY,
  OFFSET_FAMILY_LENGTH,
  OFFSET_FLAGS,
  OFFSET_GATE_CRC,
  OFFSET_GENDER,
  OFFSET_GIVEN_LENGTH,
  OFFSET_ISSUE,
  OFFSET_ORG_LENGTH,
  OFFSET_ORG_NUMBER,
  OFFSET_RECORD_CRC,
  OFFSET_RESERVED,
  OFFSET_TAG,
  OFFSET_VERSION_CATEGORY,
  RECORD_LENGTH,
  TEXT_AREA_END,
  TEXT_OFFSET,
} from './recordLayout.js';
import type { CardCategory, DecodedHolder, EncodeOptions, Gender, GateFields, HolderInput } from './types.js';

// Exported from here since the first release (the package root re-exports this module).
export { RECORD_LENGTH, GATE_BLOCK_LENGTH, FLAG_SIGNED, FLAG_TRUNCATED } from './recordLayout.js';

const GENDERS: readonly Gender[] = GENDER_CODES;

/** Which field a failing offset belongs to, for HmskError.where (section 2's tables). */
function fieldAt(offset: number): string {
  if (offset <= OFFSET_TAG) return 'formatTag';
  if (offset === OFFSET_VERSION_CATEGORY) return 'category';
  if (offset < OFFSET_ORG_NUMBER) return 'cardNumber';
  if (offset < OFFSET_EXPIRY) return 'orgNumber';
  if (offset < OFFSET_ISSUE) return 'expiry';
  if (offset === OFFSET_ISSUE) return 'issue';
  if (offset < GATE_BLOCK_LENGTH) return 'gateCrc';
  if (offset < OFFSET_GENDER) return 'birthDate';
  if (offset === OFFSET_GENDER) return 'gender';
  if (offset === OFFSET_FLAGS) return 'flags';
  if (offset < OFFSET_RESERVED) return 'textLengths';
  if (offset === OFFSET_RESERVED) return 'reserved';
  if (offset < TEXT_AREA_END) return 'texts';
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

function gateFields(f: GateBlockOut): GateFields {
  return {
    category: categoryName(f.category),
    cardNumber: String(f.cardNumber),
    orgNumber: String(f.orgNumber).padStart(9, '0'),
    expiry: daysToIso(EXPIRY_EPOCH_DAYS + f.expiryDay),
    issue: f.issue,
  };
}

// One scratch object per decoder: the decoders are synchronous, so they are never re-entered.
const gateScratch = newGateBlockOut();
const recordScratch = newRecordOut();
// ignoreBOM: a leading U+FEFF is text like any other; the fast path has already checked UTF-8.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes record bytes 0-15 with the check order of section 2; throws HmskError. */
export function decodeGateBlock(bytes: Uint8Array): GateFields {
  needBytes('decodeGateBlock', 'bytes', bytes);
  const status = decodeGateBlockInto(bytes, gateScratch);
  if (status !== 0) throw decodeError(status, gateScratch, 'gate block', bytes.length);
  return gateFields(gateScratch);
}

/** Decodes the whole 144-byte record; throws HmskError. */
export function decodeRecord(bytes: Uint8Array): DecodedHolder {
  needBytes('decodeRecord', 'bytes', bytes);
  const r: RecordOut = recordScratch;
  const status = decodeRecordInto(bytes, r);
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
  rec[OFFSET_TAG] = FORMAT_TAG;
  rec[OFFSET_VERSION_CATEGORY] = (FORMAT_VERSION << 4) | (h.category === 'construction' ? CATEGORY_CONSTRUCTION : CATEGORY_CLEANING);
  rec[OFFSET_CARD_NUMBER] = Math.floor(h.cardNumberValue / 0x1_0000_0000); // top 8 of the 40 bits
  dv.setUint32(OFFSET_CARD_NUMBER + 1, h.cardNumberValue >>> 0); // low 32 bits (>>> is ToUint32: modulo 2^32, exact)
  dv.setUint32(OFFSET_ORG_NUMBER, Number(h.orgNumber));
  dv.setUint16(OFFSET_EXPIRY, parseIsoDate(h.expiry)! - EXPIRY_EPOCH_DAYS);
  rec[OFFSET_ISSUE] = h.issue;
  dv.setUint16(OFFSET_GATE_CRC, crc16Prefix(rec, OFFSET_GATE_CRC));

  dv.setUint16(OFFSET_BIRTH_DATE, parseIsoDate(h.birthDate)! - BIRTH_EPOCH_DAYS);
  rec[OFFSET_GENDER] = GENDERS.indexOf(h.gender);
  rec[OFFSET_FLAGS] = (opts.signed ? FLAG_SIGNED : 0) | (truncated ? FLAG_TRUNCATED : 0);
  rec[OFFSET_GIVEN_LENGTH] = given.length;
  rec[OFFSET_FAMILY_LENGTH] = family.length;
  rec[OFFSET_ORG_LENGTH] = org.length;
  // The reserved byte, and the padding after the texts, stay zero.
  rec.set(given, TEXT_OFFSET);
  rec.set(family, TEXT_OFFSET + given.length);
  rec.set(org, TEXT_OFFSET + given.length + family.length);
  dv.setUint32(OFFSET_RECORD_CRC, crc32Prefix(rec, OFFSET_RECORD_CRC));
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
  out[OFFSET_VERSION_CATEGORY] = (out[OFFSET_VERSION_CATEGORY] & 0xf0) | CATEGORY_VOID;
  const crc = crc16Prefix(out, OFFSET_GATE_CRC);
  out[OFFSET_GATE_CRC] = crc >>> 8;
  out[OFFSET_GATE_CRC + 1] = crc & 0xff;
  return out;
}

/**
 * The HMSK record of spec section 2, written declaratively with @solana/buffer-layout (the
 * maintained fork of buffer-layout), and a reference codec built on it.
 *
 * This is the readable reference: it does every check of section 2 in the spec's order, in the
 * plainest way (string mod-11 check, the `crc` package for both CRCs, a fatal TextDecoder for
 * UTF-8). The library's own decoders (src/codec/gateBlockDecode.ts, recordDecode.ts) are hand-written for
 * speed; test/unit/codec/record-layout-vs-decoders.test.ts checks that both agree on every vector and on random
 * and mutated records. bench/cases/decode.ts compares their speed.
 *
 * Field types: every integer is big-endian (section 2), hence the *be layouts. The card number is
 * 40 bits: u40be reads it exactly (Buffer.readUIntBE handles up to 48 bits as a double, and
 * 999 999 999 999 < 2^40). The org number (<= 999 999 999 < 2^32) fits u32be. Nibbles and flag
 * bits are BitStructures over one u8, most significant field first for byte 1 (`msb: true`: the
 * version is the high nibble), least significant first for the flags (bit 0 = signed).
 */
import { bits, blob, struct, u16be, u32be, u40be, u8, type Layout } from '@solana/buffer-layout';
import { fail } from '../src/codec/errors.js';
// The `crc` package, not the library's CRCs (src/codec/crcSliced.ts): this codec is the tests'
// independent oracle, so it shares no CRC code with the decoders it is compared against.
import crc16ccittCalc from 'crc/calculators/crc16ccitt';
import crc32Calc from 'crc/calculators/crc32';
import { isValidOrgNumber } from '../src/codec/checkDigits.js';
import { BIRTH_EPOCH_DAYS, EXPIRY_EPOCH_DAYS, daysToIso, parseIsoDate } from '../src/codec/dates.js';
import { isValidatedHolder, validateHolder, type ValidHolder } from '../src/codec/holder.js';
import type { CardCategory, DecodedHolder, EncodeOptions, Gender, GateFields, HolderInput } from '../src/codec/types.js';

/** Byte 1: version (high nibble) and category (low nibble). */
const versionCategory = bits(u8(), true, 'versionCategory');
versionCategory.addField(4, 'version'); //   bits 7-4: version, 1
versionCategory.addField(4, 'category'); //  bits 3-0: 1 construction, 2 cleaning, 0xF void

/** Byte 19: flags. */
const flags = bits(u8(), false, 'flags');
flags.addBoolean('signed'); //              bit 0: signature sectors 4-5 present
flags.addBoolean('truncated'); //           bit 1: the encoder truncated the texts
flags.addField(6, 'reserved'); //           bits 2-7: MUST be 0

export interface GateBlockLayout {
  tag: number;
  versionCategory: { version: number; category: number };
  cardNumber: number;
  orgNumber: number;
  expiryDay: number;
  issue: number;
  crc16: number;
}

export interface HolderAreaLayout {
  birthDay: number;
  gender: number;
  flags: { signed: boolean; truncated: boolean; reserved: number };
  givenLength: number;
  familyLength: number;
  orgLength: number;
  reserved: number;
  texts: Uint8Array;
  crc32: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- buffer-layout's struct() types its fields loosely
type Fields = Layout<any>[];

/** Gate block: record bytes 0-15 (block 4 of the card). */
export const gateBlockLayout = struct<GateBlockLayout>([
  u8('tag'), //                  0      format tag 0x48 'H'
  versionCategory, //            1      version nibble | category nibble
  u40be('cardNumber'), //        2-6    card number, 40 bits
  u32be('orgNumber'), //         7-10   organisation number as an integer
  u16be('expiryDay'), //         11-12  expiry, days since 2000-01-01
  u8('issue'), //                13     issue number
  u16be('crc16'), //             14-15  CRC-16/CCITT-FALSE of bytes 0-13
] as Fields);

/** Holder area: record bytes 16-143. */
export const holderAreaLayout = struct<HolderAreaLayout>([
  u16be('birthDay'), //          16-17  birth date, days since 1900-01-01
  u8('gender'), //               18     0 X, 1 M, 2 F
  flags, //                      19     flags
  u8('givenLength'), //          20     g >= 1
  u8('familyLength'), //         21     f >= 1
  u8('orgLength'), //            22     o >= 1
  u8('reserved'), //             23     MUST be 0
  blob(116, 'texts'), //         24-139 given | family | org, then zeros; g + f + o <= 116
  u32be('crc32'), //             140-143 CRC-32/ISO-HDLC of bytes 0-139
] as Fields);

export const recordLayout = struct<{ gate: GateBlockLayout; holder: HolderAreaLayout }>([
  gateBlockLayout.replicate('gate'), //     0-15
  holderAreaLayout.replicate('holder'), //  16-143
] as Fields);

const CATEGORY_NAMES: Record<number, CardCategory> = { 1: 'construction', 2: 'cleaning', 0xf: 'void' };
const GENDERS: Gender[] = ['X', 'M', 'F'];
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Section 2's gate-block checks 2-6 on bytes[0..15]. */
function gateChecks(bytes: Uint8Array): GateFields {
  const first16 = Array.from(bytes.subarray(0, 16));
  if (first16.every((x) => x === 0) || first16.every((x) => x === 0xff)) fail('BLANK', 'blank gate block', { offset: 0 });
  const g = gateBlockLayout.decode(bytes, 0);
  if (g.tag !== 0x48) fail('UNKNOWN_FORMAT', 'format tag is not 0x48', { offset: 0 });
  if (g.versionCategory.version !== 1) fail('UNSUPPORTED_VERSION', `version ${g.versionCategory.version}`, { offset: 1 });
  if ((crc16ccittCalc(bytes.subarray(0, 14)) & 0xffff) !== g.crc16) fail('BAD_CRC', 'gate block CRC-16 mismatch', { offset: 14 });
  const category = CATEGORY_NAMES[g.versionCategory.category];
  if (category === undefined) fail('BAD_FIELD', `category ${g.versionCategory.category}`, { offset: 1, field: 'category' });
  if (g.cardNumber === 0 || g.cardNumber > 999_999_999_999) fail('BAD_FIELD', `card number ${g.cardNumber}`, { offset: 2, field: 'cardNumber' });
  const orgNumber = String(g.orgNumber).padStart(9, '0');
  if (g.orgNumber > 999_999_999 || !isValidOrgNumber(orgNumber)) fail('BAD_FIELD', `org number ${g.orgNumber}`, { offset: 7, field: 'orgNumber' });
  return { category, cardNumber: String(g.cardNumber), orgNumber, expiry: daysToIso(EXPIRY_EPOCH_DAYS + g.expiryDay), issue: g.issue };
}

/** Reference decode of a 16-byte gate block (section 2); throws HmskError. */
export function decodeGateBlockLayout(bytes: Uint8Array): GateFields {
  if (bytes.length !== 16) fail('BAD_LENGTH', `gate block is ${bytes.length} bytes, not 16`, { offset: 0 });
  return gateChecks(bytes);
}

/** Reference decode of the 144-byte record (section 2); throws HmskError. */
export function decodeRecordLayout(bytes: Uint8Array): DecodedHolder {
  if (bytes.length !== 144) fail('BAD_LENGTH', `record is ${bytes.length} bytes, not 144`, { offset: 0 });
  const gate = gateChecks(bytes);
  const { holder: h } = recordLayout.decode(bytes, 0);
  if (crc32Calc(bytes.subarray(0, 140)) >>> 0 !== h.crc32) fail('BAD_CRC', 'record CRC-32 mismatch', { offset: 140 });
  if (h.flags.reserved !== 0 || h.reserved !== 0) fail('BAD_FIELD', 'reserved flag bits or byte 23 set', { offset: 19 });
  const gender = GENDERS[h.gender];
  if (gender === undefined) fail('BAD_FIELD', `gender ${h.gender}`, { offset: 18, field: 'gender' });
  const { givenLength: g, familyLength: f, orgLength: o } = h;
  if (g === 0 || f === 0 || o === 0) fail('BAD_FIELD', 'a text length is 0', { offset: 20 });
  if (g + f + o > 116) fail('BAD_FIELD', `text lengths add up to ${g + f + o} > 116`, { offset: 20 });
  if (h.texts.subarray(g + f + o).some((x) => x !== 0)) fail('BAD_FIELD', 'non-zero padding after the texts', { offset: 24 + g + f + o });
  const text = (from: number, to: number, field: string): string => {
    try {
      return utf8.decode(h.texts.subarray(from, to));
    } catch (e) {
      return fail('BAD_FIELD', `${field} is not valid UTF-8`, { offset: 24 + from, field }, e);
    }
  };
  const givenName = text(0, g, 'givenName');
  const familyName = text(g, g + f, 'familyName');
  const orgName = text(g + f, g + f + o, 'orgName');
  return {
    ...gate,
    birthDate: daysToIso(BIRTH_EPOCH_DAYS + h.birthDay),
    gender,
    givenName,
    familyName,
    orgName,
    signed: h.flags.signed,
    truncated: h.flags.truncated,
  };
}

/** Reference encode (section 2) through the layout; same validation and errors as encodeRecord. */
export function encodeRecordLayout(holder: HolderInput | ValidHolder, opts: EncodeOptions = {}): Uint8Array {
  const v = isValidatedHolder(holder) ? holder : validateHolder(holder, { truncate: opts.truncate });
  const enc = new TextEncoder();
  const given = enc.encode(v.givenName);
  const family = enc.encode(v.familyName);
  const org = enc.encode(v.orgName);
  const texts = new Uint8Array(116);
  texts.set(given, 0);
  texts.set(family, given.length);
  texts.set(org, given.length + family.length);
  const out = new Uint8Array(144);
  const gate: GateBlockLayout = {
    tag: 0x48,
    versionCategory: { version: 1, category: v.category === 'construction' ? 1 : 2 },
    cardNumber: v.cardNumberValue,
    orgNumber: Number(v.orgNumber),
    expiryDay: parseIsoDate(v.expiry)! - EXPIRY_EPOCH_DAYS,
    issue: v.issue,
    crc16: 0,
  };
  gateBlockLayout.encode(gate, out, 0);
  gate.crc16 = crc16ccittCalc(out.subarray(0, 14)) & 0xffff;
  gateBlockLayout.encode(gate, out, 0);
  const area: HolderAreaLayout = {
    birthDay: parseIsoDate(v.birthDate)! - BIRTH_EPOCH_DAYS,
    gender: GENDERS.indexOf(v.gender),
    flags: { signed: opts.signed === true, truncated: v.truncated, reserved: 0 },
    givenLength: given.length,
    familyLength: family.length,
    orgLength: org.length,
    reserved: 0,
    texts,
    crc32: 0,
  };
  holderAreaLayout.encode(area, out, 16);
  area.crc32 = crc32Calc(out.subarray(0, 140)) >>> 0;
  holderAreaLayout.encode(area, out, 16);
  return out;
}

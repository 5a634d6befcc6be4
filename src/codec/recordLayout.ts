/**
 * The HMSK record's numbers, in one place (spec sections 1 and 2): lengths, the offset of every
 * field, the format tag and version, the category nibbles, the flag bits and the value ranges.
 * Every encoder and decoder in src/ takes them from here (test/unit/codec/recordLayout.test.ts
 * fails when a file of src/ writes one of them down again).
 *
 * formats/record-layout.ts describes the same bytes on its own, with @solana/buffer-layout, and does
 * NOT import this module: it is the independent reference codec the tests compare against.
 *
 * Record, byte by byte (section 2); bytes 0-15 are the gate block (card block 4):
 *   0       format tag 0x48 'H'
 *   1       high nibble version 1, low nibble category (1 construction, 2 cleaning, 0xF void)
 *   2-6     card number, 40-bit big-endian
 *   7-10    organisation number, 32-bit big-endian
 *   11-12   expiry, day number since 2000-01-01
 *   13      issue number
 *   14-15   CRC-16/CCITT-FALSE of bytes 0-13
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

/** Lengths (section 2). */
export const RECORD_LENGTH = 144;
export const GATE_BLOCK_LENGTH = 16;

/** Gate block fields (section 2). */
export const OFFSET_TAG = 0;
export const OFFSET_VERSION_CATEGORY = 1;
export const OFFSET_CARD_NUMBER = 2;
export const OFFSET_ORG_NUMBER = 7;
export const OFFSET_EXPIRY = 11;
export const OFFSET_ISSUE = 13;
/** The CRC-16 is stored here and covers bytes 0 .. OFFSET_GATE_CRC - 1. */
export const OFFSET_GATE_CRC = 14;

/** Holder area fields (section 2). */
export const OFFSET_BIRTH_DATE = 16;
export const OFFSET_GENDER = 18;
export const OFFSET_FLAGS = 19;
export const OFFSET_GIVEN_LENGTH = 20;
export const OFFSET_FAMILY_LENGTH = 21;
export const OFFSET_ORG_LENGTH = 22;
export const OFFSET_RESERVED = 23;
/** The text area: bytes TEXT_OFFSET .. TEXT_AREA_END - 1. */
export const TEXT_OFFSET = 24;
export const TEXT_AREA_END = 140;
export const TEXT_AREA_BYTES = TEXT_AREA_END - TEXT_OFFSET; // 116
/** The CRC-32 is stored here and covers bytes 0 .. OFFSET_RECORD_CRC - 1. */
export const OFFSET_RECORD_CRC = TEXT_AREA_END;

/** Byte 0 (section 2): 'H'. */
export const FORMAT_TAG = 0x48;
/** High nibble of byte 1 (section 2): version 1 is the only one. */
export const FORMAT_VERSION = 1;

/** Low nibble of byte 1 (section 2). */
export const CATEGORY_CONSTRUCTION = 1;
export const CATEGORY_CLEANING = 2;
export const CATEGORY_VOID = 0xf;

/** Byte 19 (section 2): the flag bits; the others must be zero. */
export const FLAG_SIGNED = 0x01;
export const FLAG_TRUNCATED = 0x02;
export const FLAG_RESERVED_BITS = 0xfc;

/** Byte 18 (section 2): gender codes 0, 1, 2, in this order. */
export const GENDER_CODES = ['X', 'M', 'F'] as const;

/** Value ranges (section 1): card numbers 1 ..= 999 999 999 999 (12 digits), org numbers 9 digits. */
export const MAX_CARD_NUMBER = 999_999_999_999;
export const CARD_NUMBER_DIGITS = 12;
export const MAX_ORG_NUMBER = 999_999_999;
/** Issue numbers are one byte (section 1: 0 ..= 255). */
export const MAX_ISSUE = 255;

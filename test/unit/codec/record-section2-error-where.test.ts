/**
 * Spec section 2: every decoding error says where it happened, and that place is the field of
 * section 2's byte tables that holds the faulty byte (HmskError.where: offset and field name). The
 * field table below is copied from the spec, not from src/codec/recordLayout.ts. Mutated bytes are
 * re-sealed with CRCs computed by test/helpers/recordBytes.ts.
 */
import { describe, expect, it } from 'vitest';
import { HmskError } from '../../../src/codec/errors.js';
import { fromHex } from '../../../src/codec/hex.js';
import { decodeGateBlock, decodeRecord } from '../../../src/codec/record.js';
import { HAND_RECORD, SPEC_GATE, seal, sealRecordOnly } from '../../helpers/recordBytes.js';
import { thrown as thrownOf } from '../../helpers/thrown.js';

/** Section 2's tables: [first byte, size, field name as HmskError.where.field says it]. */
const SPEC_FIELDS: [number, number, string][] = [
  [0, 1, 'formatTag'],
  [1, 1, 'category'], // the version nibble shares byte 1; the byte is named by its category
  [2, 5, 'cardNumber'],
  [7, 4, 'orgNumber'],
  [11, 2, 'expiry'],
  [13, 1, 'issue'],
  [14, 2, 'gateCrc'],
  [16, 2, 'birthDate'],
  [18, 1, 'gender'],
  [19, 1, 'flags'],
  [20, 3, 'textLengths'],
  [23, 1, 'reserved'],
  [24, 116, 'texts'],
  [140, 4, 'recordCrc'],
];

const thrown = (f: () => unknown) => thrownOf(f, HmskError);

/** Asserts the error's code, that its offset lies in `field`'s bytes, and that it names `field`. */
function expectAt(e: HmskError, code: string, field: string): void {
  const row = SPEC_FIELDS.find(([, , name]) => name === field)!;
  expect(e.code).toBe(code);
  expect(e.where.field).toBe(field);
  expect(e.where.offset).toBeGreaterThanOrEqual(row[0]);
  expect(e.where.offset).toBeLessThan(row[0] + row[1]);
  // The message names the byte and the field too (a gate's log line is all an installer sees).
  expect(e.detail).toContain(`at byte ${e.where.offset} (${field})`);
}

describe('gate-block errors name the field of section 2 that failed', () => {
  const gate = () => fromHex(SPEC_GATE);
  const cases: [string, (b: Uint8Array) => Uint8Array, string, string][] = [
    ['format tag 0x49', (b) => ((b[0] = 0x49), seal(b)), 'UNKNOWN_FORMAT', 'formatTag'],
    ['version 2', (b) => ((b[1] = 0x21), seal(b)), 'UNSUPPORTED_VERSION', 'category'],
    ['category 3', (b) => ((b[1] = 0x13), seal(b)), 'BAD_FIELD', 'category'],
    ['card number 0', (b) => (b.set([0, 0, 0, 0, 0], 2), seal(b)), 'BAD_FIELD', 'cardNumber'],
    ['card number 10^12', (b) => (b.set([0xe8, 0xd4, 0xa5, 0x10, 0x00], 2), seal(b)), 'BAD_FIELD', 'cardNumber'],
    ['org number check digit', (b) => (b.set([0x3a, 0xde, 0x68, 0xb1], 7), seal(b)), 'BAD_FIELD', 'orgNumber'],
    ['CRC-16 low byte', (b) => ((b[15] ^= 1), b), 'BAD_CRC', 'gateCrc'],
    ['CRC-16 high byte', (b) => ((b[14] ^= 0x80), b), 'BAD_CRC', 'gateCrc'],
  ];
  for (const [name, mutate, code, field] of cases) {
    it(`${name}: ${code} in ${field}`, () => {
      expectAt(thrown(() => decodeGateBlock(mutate(gate()))), code, field);
      // The same fault in a whole record is reported the same way.
      const rec = fromHex(HAND_RECORD);
      rec.set(mutate(gate()), 0);
      const e = thrown(() => decodeRecord(sealRecordOnly(rec)));
      expect([e.code, e.where.field]).toEqual([code, field]);
    });
  }

  it('BAD_LENGTH says the length it got and the one it wanted, at offset 0', () => {
    const g = thrown(() => decodeGateBlock(new Uint8Array(15).fill(0x48)));
    expect([g.code, g.where.offset, g.detail]).toEqual(['BAD_LENGTH', 0, 'gate block is 15 bytes, not 16']);
    const r = thrown(() => decodeRecord(new Uint8Array(143).fill(0x48)));
    expect([r.code, r.where.offset, r.detail]).toEqual(['BAD_LENGTH', 0, 'record is 143 bytes, not 144']);
  });
});

describe('record errors name the field of section 2 that failed', () => {
  const rec = () => fromHex(HAND_RECORD);
  const cases: [string, (b: Uint8Array) => void, string, string][] = [
    ['gender 3', (b) => (b[18] = 3), 'BAD_FIELD', 'gender'],
    ['flag bit 2', (b) => (b[19] = 0x04), 'BAD_FIELD', 'flags'],
    ['given name length 0', (b) => b.set([0, 4, 2], 20), 'BAD_FIELD', 'textLengths'],
    ['org name length 0', (b) => b.set([2, 4, 0], 20), 'BAD_FIELD', 'textLengths'],
    ['g + f + o = 117', (b) => b.set([2, 2, 113], 20), 'BAD_FIELD', 'textLengths'],
    ['reserved byte 23', (b) => (b[23] = 1), 'BAD_FIELD', 'reserved'],
    ['padding byte 139', (b) => (b[139] = 1), 'BAD_FIELD', 'texts'],
    ['lone continuation byte', (b) => (b[24] = 0x80), 'BAD_FIELD', 'texts'],
  ];
  for (const [name, mutate, code, field] of cases) {
    it(`${name}: ${code} in ${field}`, () => {
      const b = rec();
      mutate(b);
      expectAt(thrown(() => decodeRecord(sealRecordOnly(b))), code, field);
    });
  }

  it('a CRC-32 mismatch is in recordCrc', () => {
    const b = rec();
    b[141] ^= 1;
    expectAt(thrown(() => decodeRecord(b)), 'BAD_CRC', 'recordCrc');
  });
});

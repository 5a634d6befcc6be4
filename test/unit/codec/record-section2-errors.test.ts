/**
 * Spec section 2, "Decoding": every error code of the gate-block and record decoders, and the
 * order of the checks (a block with two faults fails with the one the spec checks first).
 * Mutated bytes are re-sealed with CRCs computed by test/helpers/recordBytes.ts.
 */
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../src/codec/hex.js';
import { decodeGateBlock, decodeRecord } from '../../../src/codec/record.js';
import { HAND_RECORD, SPEC_GATE, codeOf, refCrc16, seal, sealRecordOnly } from '../../helpers/recordBytes.js';

describe('gate-block errors in the order of section 2', () => {
  const gate = () => fromHex(SPEC_GATE);
  const dec = (b: Uint8Array) => codeOf(() => decodeGateBlock(b));

  it('1 BAD_LENGTH', () => {
    for (const n of [0, 15, 17, 144]) expect(dec(new Uint8Array(n).fill(0x48))).toBe('BAD_LENGTH');
  });
  it('2 BLANK, before the format tag', () => {
    expect(dec(new Uint8Array(16))).toBe('BLANK');
    expect(dec(new Uint8Array(16).fill(0xff))).toBe('BLANK');
  });
  it('3 UNKNOWN_FORMAT, before the version and the CRC', () => {
    const b = gate();
    b[0] = 0x49; // CRC now wrong too
    expect(dec(b)).toBe('UNKNOWN_FORMAT');
    expect(dec(seal(b))).toBe('UNKNOWN_FORMAT');
    const almostBlank = new Uint8Array(16).fill(0xff);
    almostBlank[9] = 0xfe; // not blank, so the tag check decides
    expect(dec(almostBlank)).toBe('UNKNOWN_FORMAT');
  });
  it('4 UNSUPPORTED_VERSION, before the CRC', () => {
    for (const v of [0x01, 0x21, 0xf1]) {
      const b = gate();
      b[1] = v;
      expect(dec(b)).toBe('UNSUPPORTED_VERSION');
    }
  });
  it('5 BAD_CRC, before the fields', () => {
    const b = gate();
    b[15] ^= 1;
    expect(dec(b)).toBe('BAD_CRC');
    b[1] = 0x13; // bad category as well
    expect(dec(b)).toBe('BAD_CRC');
  });
  it('6 BAD_FIELD: category, card number, org number', () => {
    const cases: [number, number[]][] = [
      [1, [0x10]], [1, [0x13]], [1, [0x1e]], //                category 0, 3, 0xE
      [2, [0, 0, 0, 0, 0]], //                                 card number 0
      [2, [0xe8, 0xd4, 0xa5, 0x10, 0x00]], //                  10^12
      [2, [0xff, 0xff, 0xff, 0xff, 0xff]], //                  2^40 - 1
      [7, [0x3b, 0x9a, 0xca, 0x00]], //                        10^9 (mod-11 of its low 9 digits would pass)
      [7, [0x3a, 0xde, 0x68, 0xb1]], //                        987654321: check digit should be 5
    ];
    for (const [at, bytes] of cases) {
      const b = gate();
      b.set(bytes, at);
      expect(dec(seal(b)), `${at} ${bytes}`).toBe('BAD_FIELD');
    }
    const b = gate();
    b.set([0xe8, 0xd4, 0xa5, 0x0f, 0xff], 2); // 999 999 999 999 is the largest valid
    expect(dec(seal(b))).toBe('ok');
  });
  it('errors say where', () => {
    const b = gate();
    b.set([0x3a, 0xde, 0x68, 0xb1], 7);
    expect(() => decodeGateBlock(seal(b))).toThrowError(expect.objectContaining({ code: 'BAD_FIELD', where: { offset: 7, field: 'orgNumber' } }));
  });
});

describe('record errors in the order of section 2', () => {
  const rec = () => fromHex(HAND_RECORD);
  const dec = (b: Uint8Array) => codeOf(() => decodeRecord(b));

  it('BAD_LENGTH first, then the gate block checks, then CRC-32, then BAD_FIELD', () => {
    expect(dec(new Uint8Array(143))).toBe('BAD_LENGTH');
    expect(dec(new Uint8Array(145))).toBe('BAD_LENGTH');
    expect(dec(fromHex(SPEC_GATE))).toBe('BAD_LENGTH');
    const blank = new Uint8Array(144);
    blank[100] = 1; // the gate block is still blank
    expect(dec(blank)).toBe('BLANK');
    const b = rec();
    b[1] = 0x13; // gate block BAD_FIELD with its CRC-16 right, CRC-32 left wrong
    const c16 = refCrc16(b.subarray(0, 14));
    b.set([c16 >> 8, c16 & 0xff], 14);
    expect(dec(b)).toBe('BAD_FIELD');
    const c = rec();
    c[10] ^= 1; // gate block CRC-16 wrong and CRC-32 wrong: the gate block's BAD_CRC
    expect(dec(c)).toBe('BAD_CRC');
    const d = rec();
    d[143] ^= 1;
    expect(dec(d)).toBe('BAD_CRC');
    const e = rec();
    e[18] = 3; // gender 3, CRC-32 not re-computed: BAD_CRC comes first
    expect(dec(e)).toBe('BAD_CRC');
    expect(dec(sealRecordOnly(e))).toBe('BAD_FIELD');
  });

  it('BAD_FIELD on every rule of the holder area', () => {
    const muts: [string, (b: Uint8Array) => void][] = [
      ['flag bit 2', (b) => (b[19] = 0x04)],
      ['flag bit 7', (b) => (b[19] = 0x80)],
      ['reserved byte 23', (b) => (b[23] = 1)],
      ['gender 3', (b) => (b[18] = 3)],
      ['gender 255', (b) => (b[18] = 255)],
      ['g = 0', (b) => b.set([0, 4, 2], 20)],
      ['f = 0', (b) => b.set([4, 0, 2], 20)],
      ['o = 0', (b) => b.set([2, 4, 0], 20)],
      ['g+f+o = 117', (b) => b.set([2, 2, 113], 20)],
      ['g+f+o = 255*3', (b) => b.set([255, 255, 255], 20)],
      ['padding byte 30', (b) => (b[30] = 0x20)],
      ['padding byte 139', (b) => (b[139] = 1)],
      ['overlong C0 80', (b) => b.set([0xc0, 0x80], 24)],
      ['lone continuation', (b) => (b[24] = 0x80)],
      ['byte FF', (b) => (b[25] = 0xff)],
      ['surrogate ED A0 80', (b) => { b.set([3, 2, 2], 20); b.set([0xed, 0xa0, 0x80, 0x4c, 0x69, 0x41, 0x42], 24); }],
      ['above U+10FFFF', (b) => { b.set([4, 2, 2], 20); b.set([0xf4, 0x90, 0x80, 0x80, 0x4c, 0x69, 0x41, 0x42], 24); }],
      // "Ø" = C3 98 split across given and family: each field alone is not valid UTF-8.
      ['split code point', (b) => { b.set([3, 3, 2], 20); b.set([0x4a, 0x6f, 0xc3, 0x98, 0x4c, 0x69, 0x41, 0x42], 24); }],
      ['sequence cut by the end', (b) => { b.set([2, 2, 3], 20); b.set([0x4a, 0x6f, 0x4c, 0x69, 0x41, 0x42, 0xe2], 24); }],
    ];
    for (const [name, m] of muts) {
      const b = rec();
      m(b);
      expect(dec(sealRecordOnly(b)), name).toBe('BAD_FIELD');
    }
    // Controls: valid multi-byte texts pass (4-byte U+1F600 = F0 9F 98 80, 3-byte U+20AC = E2 82 AC).
    const ok = rec();
    ok.set([4, 3, 2], 20);
    ok.set([0xf0, 0x9f, 0x98, 0x80, 0xe2, 0x82, 0xac, 0x41, 0x42], 24);
    expect(decodeRecord(sealRecordOnly(ok))).toMatchObject({ givenName: '\u{1F600}', familyName: '\u20AC', orgName: 'AB' });
  });

  it('flags decode to signed and truncated', () => {
    for (const [f, signed, truncated] of [[1, true, false], [2, false, true], [3, true, true]] as const) {
      const b = rec();
      b[19] = f;
      expect(decodeRecord(sealRecordOnly(b))).toMatchObject({ signed, truncated });
    }
  });
});

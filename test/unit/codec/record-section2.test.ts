/**
 * Spec section 2 (the 144-byte record and the 16-byte gate block): the spec's examples, bytes
 * derived by hand from the section's tables (test/helpers/recordBytes.ts), flags, the CRC check
 * values, voiding. The error codes and their order: record-section2-errors.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { crc16CcittFalse, crc32 } from '../../../src/codec/crc.js';
import { crc16Prefix } from '../../../src/codec/crcSliced.js';
import { fromHex, toHex } from '../../../src/codec/hex.js';
import { validateHolder } from '../../../src/codec/holder.js';
import { decodeGateBlock, decodeRecord, encodeRecord, voidGateBlock } from '../../../src/codec/record.js';
import { HAND_HOLDER, HAND_RECORD, SPEC_GATE, ascii, codeOf, refCrc16, refCrc32, seal, sealRecordOnly } from '../../helpers/recordBytes.js';

describe('the spec examples (examples.json, section 8) through this API', () => {
  const file = resolve(import.meta.dirname, '../../../test-vectors/spec-examples.json');
  const vectors = (JSON.parse(readFileSync(file, 'utf8')) as { vectors: { id: string; kind: string; input: Record<string, never>; expect: Record<string, never> }[] }).vectors;
  const mine = vectors.filter((v) => ['encode', 'decode-record', 'decode-gate'].includes(v.kind));
  it('has the 7 record examples', () => expect(mine.length).toBe(7));
  for (const v of mine) {
    it(v.id, () => {
      const run = () => {
        if (v.kind === 'decode-record') return { holder: decodeRecord(fromHex(v.input.record)) };
        if (v.kind === 'decode-gate') return { holder: decodeGateBlock(fromHex(v.input.gateBlock)) };
        const r = encodeRecord(validateHolder(v.input.holder));
        return { record: toHex(r), gateBlock: toHex(r.subarray(0, 16)) };
      };
      const got = v.expect.error ? { error: codeOf(run) } : run();
      const want = v.kind === 'encode' && !v.expect.error ? { record: v.expect.record, gateBlock: v.expect.gateBlock } : v.expect;
      expect(got).toEqual(want);
    });
  }
});

describe('CRC parameters of section 2 (published check values over ASCII "123456789")', () => {
  it('CRC-16/CCITT-FALSE = 0x29B1, CRC-32/ISO-HDLC = 0xCBF43926', () => {
    for (const f of [crc16CcittFalse, refCrc16, (d: Uint8Array) => crc16Prefix(d, d.length)]) expect(f(ascii('123456789'))).toBe(0x29b1);
    for (const f of [crc32, refCrc32]) expect(f(ascii('123456789'))).toBe(0xcbf43926);
  });
});

describe('encode (section 2 tables)', () => {
  it('produces the hand-derived record', () => {
    expect(HAND_RECORD.length).toBe(288);
    expect(toHex(encodeRecord(HAND_HOLDER))).toBe(HAND_RECORD);
  });

  it('date edges map to their day numbers', () => {
    // birth 1900-01-01 is day 0; expiry 2000-01-01 is day 0.
    const r = encodeRecord({ ...HAND_HOLDER, birthDate: '1900-01-01', expiry: '2000-01-01' });
    expect(toHex(r.subarray(11, 13))).toBe('0000');
    expect(toHex(r.subarray(16, 18))).toBe('0000');
    // 2000-02-29 is day 31 + 28 = 59 = 0x3B; 2024-02-29 is 24*365 + 6 leap days (2000..2020) + 59 = 8825 = 0x2279.
    expect(toHex(encodeRecord({ ...HAND_HOLDER, expiry: '2000-02-29' }).subarray(11, 13))).toBe('003b');
    expect(toHex(encodeRecord({ ...HAND_HOLDER, expiry: '2024-02-29' }).subarray(11, 13))).toBe('2279');
  });

  it('gender codes and flags: bit 0 signed, bit 1 truncated', () => {
    expect(encodeRecord({ ...HAND_HOLDER, gender: 'M' })[18]).toBe(1);
    expect(encodeRecord({ ...HAND_HOLDER, gender: 'F' })[18]).toBe(2);
    expect(encodeRecord(HAND_HOLDER, { signed: true })[19]).toBe(0x01);
    const long = { ...HAND_HOLDER, orgName: 'o'.repeat(120) };
    expect(encodeRecord(long, { truncate: true })[19]).toBe(0x02);
    // A ValidHolder from validateHolder carries its truncation into the record.
    expect(encodeRecord(validateHolder(long, { truncate: true }), { signed: true })[19]).toBe(0x03);
    expect(codeOf(() => encodeRecord(long))).toBe('TOO_LONG');
    // Truncation may leave a trailing NBSP (only U+0020 is stripped): the ValidHolder is encoded as
    // it is, not rejected by a second validation. 'o'*54 + NBSP + 'xyzw' loses 'xyzw' (60 -> 56 bytes).
    const nbsp = validateHolder({ ...HAND_HOLDER, orgName: 'o'.repeat(54) + '\u00A0xyzw', givenName: 'g'.repeat(50), familyName: 'f'.repeat(10) }, { truncate: true });
    expect(decodeRecord(encodeRecord(nbsp))).toMatchObject({ orgName: 'o'.repeat(54) + '\u00A0', truncated: true });
  });

  it('card numbers with leading zeros encode as their value', () => {
    expect(toHex(encodeRecord({ ...HAND_HOLDER, cardNumber: '000000000001' }).subarray(2, 7))).toBe('0000000001');
  });
});

describe('decode (section 2)', () => {
  it('decodes the hand-derived record and its gate block', () => {
    const gate = { category: 'cleaning', cardNumber: '999999999999', orgNumber: '987654325', expiry: '2099-12-31', issue: 255 };
    expect(decodeGateBlock(fromHex(HAND_RECORD.slice(0, 32)))).toEqual(gate);
    expect(decodeRecord(fromHex(HAND_RECORD))).toEqual({ ...gate, birthDate: '2079-06-06', gender: 'X', givenName: 'Jo', familyName: 'Li', orgName: 'AB', signed: false, truncated: false });
  });

  it('keeps a leading U+FEFF of a text (valid UTF-8; the decoder checks nothing else)', () => {
    const r = fromHex(HAND_RECORD);
    r.set([2 + 3], 20);
    r.set([0xef, 0xbb, 0xbf, 0x4a, 0x6f, 0x4c, 0x69, 0x41, 0x42], 24);
    expect(decodeRecord(sealRecordOnly(r)).givenName).toBe('\uFEFFJo');
  });

  it('org numbers with leading zeros are 9 digits; void decodes as "void"', () => {
    const b = fromHex(SPEC_GATE);
    b.set([0, 0, 0, 0], 7); // org 000000000: mod-11 sum 0 -> check 0, valid by section 1's rule
    expect(decodeGateBlock(seal(b)).orgNumber).toBe('000000000');
    b[1] = 0x1f;
    expect(decodeGateBlock(seal(b)).category).toBe('void');
  });
});

describe('voidGateBlock (section 3, "Voiding a card")', () => {
  it('sets the category nibble to 0xF and a new CRC-16, keeps all else', () => {
    const v = voidGateBlock(fromHex(SPEC_GATE));
    const want = fromHex(SPEC_GATE);
    want[1] = 0x1f;
    expect(toHex(v)).toBe(toHex(seal(want)));
    expect(decodeGateBlock(v)).toEqual({ category: 'void', cardNumber: '123456', orgNumber: '974760673', expiry: '2028-06-30', issue: 0 });
    expect(toHex(voidGateBlock(v))).toBe(toHex(v)); // voiding twice changes nothing
  });
  it('refuses a block that does not decode', () => {
    const b = fromHex(SPEC_GATE);
    b[3] ^= 1;
    expect(codeOf(() => voidGateBlock(b))).toBe('BAD_CRC');
    expect(codeOf(() => voidGateBlock(new Uint8Array(16)))).toBe('BLANK');
  });
});

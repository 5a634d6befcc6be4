/**
 * Spec section 2 (the 144-byte record and the 16-byte gate block): bytes derived by hand from the
 * section's tables, every decode error code and the check order, flags, voiding. Mutated records
 * get their CRCs re-computed by bitwise CRCs written here from the spec's parameters (checked
 * against the published check values), independent of src/codec/crc.ts and the fast path's table.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { HmskError } from '../src/codec/errors.js';
import { crc16CcittFalse, crc32 } from '../src/codec/crc.js';
import { crc16Prefix } from '../src/codec/fastGate.js';
import { fromHex, toHex } from '../src/codec/hex.js';
import { validateHolder } from '../src/codec/holder.js';
import { decodeGateBlock, decodeRecord, encodeRecord, voidGateBlock } from '../src/codec/record.js';

/** CRC-16/CCITT-FALSE bitwise from section 2's parameters. */
function refCrc16(d: Uint8Array): number {
  let c = 0xffff;
  for (const x of d) {
    c ^= x << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
  }
  return c;
}
/** CRC-32/ISO-HDLC bitwise (reflected poly 0xEDB88320). */
function refCrc32(d: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of d) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
const ascii = (s: string) => new TextEncoder().encode(s);
/** Re-seals a gate block / record after a mutation, so only the mutated field is wrong. */
function seal(b: Uint8Array): Uint8Array {
  const c16 = refCrc16(b.subarray(0, 14));
  b[14] = c16 >> 8;
  b[15] = c16 & 0xff;
  if (b.length === 144) new DataView(b.buffer, b.byteOffset).setUint32(140, refCrc32(b.subarray(0, 140)));
  return b;
}
function sealRecordOnly(b: Uint8Array): Uint8Array {
  new DataView(b.buffer, b.byteOffset).setUint32(140, refCrc32(b.subarray(0, 140)));
  return b;
}
function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(HmskError);
    return (e as HmskError).code;
  }
  return 'ok';
}

/*
 * Hand-derived record (section 2 tables):
 *   holder: cleaning, card 999999999999, org 987654325, given "Jo", family "Li", org name "AB",
 *   birth 2079-06-06, gender X, expiry 2099-12-31, issue 255.
 *   0     48             tag 'H'
 *   1     12             version 1, category 2 (cleaning)
 *   2-6   E8 D4 A5 0F FF 999 999 999 999 = 10^12 - 1; 10^12 = 0xE8_D4A5_1000
 *   7-10  3A DE 68 B5    987 654 325 (987654321 = 0x3ADE68B1, + 4)
 *   11-12 8E AC          2000-01-01 .. 2099-12-31 = 99*365 + 25 leap days (2000..2096) + 364 = 36524
 *   13    FF             issue 255
 *   14-15 93 7B          CRC-16/CCITT-FALSE of bytes 0-13 (CPython binascii.crc_hqx(data, 0xFFFF))
 *   16-17 FF FF          1900-01-01 .. 2079-06-06 = 179*365 + 44 leap days + 156 = 65535
 *   18    00             gender X
 *   19    00             flags
 *   20-22 02 02 02       g, f, o
 *   23    00             reserved
 *   24-29 4A 6F 4C 69 41 42  "Jo" "Li" "AB", then 110 zero bytes
 *   140   96 0D CA DE    CRC-32 of bytes 0-139 (CPython zlib.crc32)
 */
const HAND_HOLDER = {
  category: 'cleaning',
  cardNumber: '999999999999',
  orgNumber: '987654325',
  orgName: 'AB',
  givenName: 'Jo',
  familyName: 'Li',
  birthDate: '2079-06-06',
  gender: 'X',
  expiry: '2099-12-31',
  issue: 255,
} as const;
const HAND_RECORD = '4812e8d4a50fff3ade68b58eacff937bffff0000020202004a6f4c694142' + '00'.repeat(110) + '960dcade';
/** The spec's example gate block (examples.json "decode-gate"). */
const SPEC_GATE = '4811000001e2403a19aae128a800ff8d';

describe('the spec examples (examples.json, section 8) through this API', () => {
  const file = resolve(import.meta.dirname, '../test-vectors/spec-examples.json');
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

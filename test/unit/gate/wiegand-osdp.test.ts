/**
 * Wiegand H10301 / H10304 frames and the OSDP osdp_RAW reply body, against published values:
 * - H10301 FC 101 / CN 1337 = 0xCA0A73 (issue 7's independent check value).
 * - H10301 bit strings of real cards published in Z9 Security's open-source test suite
 *   (TestBinaryFormatter.cs, "Test26BitWiegand": HID iClass, HID Prox, PhotoProx cards read on HID
 *   readers; FC/CN pairs with their 26-bit strings).
 * - H10304 by hand from the HID 37-bit layout (ooaccess.com "37 Bit Card Format (with facility code)":
 *   even parity over bits 1-19, FC 16 bits from bit 2, CN 19 bits from bit 18, odd parity over 19-37).
 * - osdp_RAW: OSDP.Net's RawCardDataTest (bytes 05 00 10 00 12 AB = reader 5, format 0, 16 bits,
 *   bits 0001001010101011) and libosdp's format enum (OSDP_CARD_FMT_RAW_WIEGAND = 1).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeWiegand, encodeH10301, encodeH10304, wiegandBits, wiegandBytes } from '../../../src/gate/wiegand.js';
import { OSDP_FORMAT_WIEGAND, osdpRawBody, osdpRawWiegand, parseOsdpRaw } from '../../../src/gate/osdp.js';

describe('H10301 26-bit', () => {
  it('FC 101 / CN 1337 = 0xCA0A73', () => {
    const f = encodeH10301(101, 1337);
    expect(f.bitCount).toBe(26);
    expect(f.value).toBe(0xca0a73);
  });

  // [facility code, card number, 26 bits as published]
  const published: [number, number, string][] = [
    [68, 41551, '00100010010100010010011111'],
    [68, 62170, '00100010011110010110110101'],
    [68, 47198, '10100010010111000010111101'],
    [68, 46621, '10100010010110110000111011'],
    [144, 9005, '11001000000100011001011011'],
    [1, 556, '10000000100000010001011001'],
    [1, 5, '10000000100000000000001011'],
    [200, 35628, '01100100010001011001011001'],
    [1, 5281, '00000000100010100101000011'],
    [233, 30333, '01110100101110110011111011'],
    [113, 7068, '10111000100011011100111000'],
    [11, 637, '10000101100000010011111010'],
  ];
  for (const [fcode, cn, bits] of published)
    it(`FC ${fcode} / CN ${cn} = ${bits} (Z9 TestBinaryFormatter)`, () => {
      expect(wiegandBits(encodeH10301(fcode, cn))).toBe(bits);
      expect(decodeWiegand('H10301', parseInt(bits, 2))).toEqual({ facilityCode: fcode, cardNumber: cn, parityOk: true });
    });

  it('refuses values that do not fit', () => {
    expect(() => encodeH10301(256, 1)).toThrow(RangeError);
    expect(() => encodeH10301(1, 65536)).toThrow(RangeError);
    expect(() => encodeH10301(-1, 1)).toThrow(RangeError);
    expect(() => encodeH10301(1, 1.5)).toThrow(RangeError);
  });
});

describe('H10304 37-bit', () => {
  it('FC 118 / CN 1603, derived by hand', () => {
    // FC 118 = 0000000001110110 (16 bits), CN 1603 = 0000000011001000011 (19 bits).
    // Even parity over bits 2-19 = FC (five 1s) + first two CN bits (00): 5 ones -> parity 1.
    // Odd parity over bits 19-36 = last 18 CN bits 000000011001000011: 5 ones, already odd -> parity 0.
    const want = '1' + '0000000001110110' + '0000000011001000011' + '0';
    expect(want.length).toBe(37);
    expect(wiegandBits(encodeH10304(118, 1603))).toBe(want);
  });
  it('FC 65535 / CN 524287 (all ones), derived by hand', () => {
    // Even group: 16 + 2 = 18 ones -> 0. Odd group: 18 ones -> 1.
    expect(wiegandBits(encodeH10304(0xffff, 0x7ffff))).toBe('0' + '1'.repeat(35) + '1');
    expect(wiegandBits(encodeH10304(0, 0))).toBe('0' + '0'.repeat(35) + '1');
  });
  it('refuses values that do not fit', () => {
    expect(() => encodeH10304(65536, 0)).toThrow(RangeError);
    expect(() => encodeH10304(0, 524288)).toThrow(RangeError);
  });
});

describe('parity, by a bit-string check independent of the encoder', () => {
  const check = (bits: string, evenTo: number, oddFrom: number) => {
    const count = (s: string) => [...s].filter((c) => c === '1').length;
    return count(bits.slice(0, evenTo)) % 2 === 0 && count(bits.slice(oddFrom)) % 2 === 1;
  };
  it('H10301: bits 1-13 even, 14-26 odd; round trip', () =>
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 65535 }), (f, c) => {
        const fr = encodeH10301(f, c);
        const bits = wiegandBits(fr);
        expect(check(bits, 13, 13)).toBe(true);
        expect(parseInt(bits.slice(1, 9), 2)).toBe(f);
        expect(parseInt(bits.slice(9, 25), 2)).toBe(c);
        expect(decodeWiegand('H10301', fr.value)).toEqual({ facilityCode: f, cardNumber: c, parityOk: true });
        // Any single flipped bit breaks a parity check.
        for (let i = 0; i < 26; i++) expect(decodeWiegand('H10301', fr.value ^ (1 << i)).parityOk).toBe(false);
      }),
    ));
  it('H10304: bits 1-19 even, 19-37 odd; round trip', () =>
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 524287 }), (f, c) => {
        const fr = encodeH10304(f, c);
        const bits = wiegandBits(fr);
        expect(check(bits, 19, 18)).toBe(true);
        expect(parseInt(bits.slice(1, 17), 2)).toBe(f);
        expect(parseInt(bits.slice(17, 36), 2)).toBe(c);
        expect(decodeWiegand('H10304', fr.value)).toEqual({ facilityCode: f, cardNumber: c, parityOk: true });
      }),
    ));
});

describe('osdp_RAW reply body', () => {
  it('OSDP.Net RawCardDataTest: 05 00 10 00 12 AB', () => {
    expect([...osdpRawBody(5, 0, 16, Uint8Array.of(0x12, 0xab))]).toEqual([0x05, 0x00, 0x10, 0x00, 0x12, 0xab]);
    const p = parseOsdpRaw(Uint8Array.of(0x05, 0x00, 0x10, 0x00, 0x12, 0xab));
    expect(p.reader).toBe(5);
    expect(p.formatCode).toBe(0);
    expect(p.bitCount).toBe(16);
    expect([...p.bits].map((b) => b.toString(2).padStart(8, '0')).join('')).toBe('0001001010101011');
  });
  it('H10301 FC 101 / CN 1337 as format 1 (P/data/P), by hand', () => {
    // 0xCA0A73 as 26 bits: 00110010 10000010 10011100 11 + six zero pad bits -> 32 82 9C C0.
    // Bit count 26 = 0x001A, little-endian 1A 00.
    expect(OSDP_FORMAT_WIEGAND).toBe(1);
    expect([...wiegandBytes(encodeH10301(101, 1337))]).toEqual([0x32, 0x82, 0x9c, 0xc0]);
    expect([...osdpRawWiegand(0, encodeH10301(101, 1337))]).toEqual([0x00, 0x01, 0x1a, 0x00, 0x32, 0x82, 0x9c, 0xc0]);
  });
  it('37-bit frame: 5 data bytes, count 25 00', () => {
    const b = osdpRawWiegand(1, encodeH10304(118, 1603));
    expect(b.length).toBe(9);
    expect([...b.subarray(0, 4)]).toEqual([1, 1, 37, 0]);
    expect(b[8] & 0x07).toBe(0); // 3 pad bits zero
  });
  it('a bit count above 255 is little-endian', () => {
    expect([...osdpRawBody(0, 0, 0x0108, new Uint8Array(33)).subarray(0, 4)]).toEqual([0, 0, 0x08, 0x01]);
  });
  it('checks sizes', () => {
    expect(() => osdpRawBody(0, 1, 26, new Uint8Array(3))).toThrow(RangeError);
    expect(() => osdpRawBody(256, 1, 8, new Uint8Array(1))).toThrow(RangeError);
    expect(() => parseOsdpRaw(Uint8Array.of(0, 1, 26, 0, 1))).toThrow(RangeError);
    expect(() => parseOsdpRaw(Uint8Array.of(0, 1))).toThrow(RangeError);
  });
});

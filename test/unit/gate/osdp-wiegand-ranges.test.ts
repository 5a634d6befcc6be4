/**
 * The edges of osdp_RAW (SIA OSDP 2.2, reply 0x50: reader number 1 byte, format code 1 byte, bit
 * count 16-bit little-endian, bits MSB first zero-padded to a byte) and of the Wiegand frames
 * (H10301 26 bits, H10304 37 bits): the largest and smallest values each field holds, one past
 * them refused with a message naming the field, and the padding bits cleared. Expected bytes are
 * written out by hand from the layout above.
 */
import { describe, expect, it } from 'vitest';
import { osdpRawBody, osdpRawWiegand, parseOsdpRaw } from '../../../src/gate/osdp.js';
import { decodeWiegand, encodeWiegand, wiegandBits, wiegandBytes } from '../../../src/gate/wiegand.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('osdpRawBody: one byte per reader number and format code, 16 bits of bit count', () => {
  it('reader 255 and format 255 fit; 256, -1 and 1.5 are refused naming the field', () => {
    expect(hex(osdpRawBody(255, 255, 8, Uint8Array.of(0xa5)))).toBe('ffff0800a5');
    expect(hex(osdpRawBody(0, 0, 8, Uint8Array.of(0xa5)))).toBe('00000800a5');
    for (const r of [256, -1, 1.5]) expect(() => osdpRawBody(r, 0, 8, Uint8Array.of(0))).toThrow(new RangeError(`reader number ${r} is not 0..255`));
    for (const f of [256, -1, 1.5]) expect(() => osdpRawBody(0, f, 8, Uint8Array.of(0))).toThrow(new RangeError(`format code ${f} is not 0..255`));
  });

  it('bit count 0 (no bits) and 65535 (8192 bytes) fit; 65536, -1 and 2.5 are refused', () => {
    expect(hex(osdpRawBody(1, 0, 0, new Uint8Array(0)))).toBe('01000000');
    const big = osdpRawBody(0, 0, 0xffff, new Uint8Array(8192).fill(0xff));
    expect(big.length).toBe(4 + 8192);
    expect(hex(big.subarray(0, 4))).toBe('0000ffff'); // low byte first
    expect(big[big.length - 1]).toBe(0xfe); // 65535 = 8191 * 8 + 7: the last bit is padding
    for (const n of [0x10000, -1, 2.5]) expect(() => osdpRawBody(0, 0, n, new Uint8Array(0))).toThrow(new RangeError(`bit count ${n} is not 0..65535`));
  });

  it('the byte count must match the bit count, and the message says both', () => {
    expect(() => osdpRawBody(0, 0, 12, Uint8Array.of(1))).toThrow(new RangeError('12 bits need 2 bytes, got 1'));
    expect(() => osdpRawBody(0, 0, 8, Uint8Array.of(1, 2))).toThrow(new RangeError('8 bits need 1 bytes, got 2'));
  });

  it('padding bits after the bit count are cleared, the data bits kept', () => {
    // 12 bits: AB C|D -> the low nibble of the second byte is padding.
    expect(hex(osdpRawBody(0, 0, 12, Uint8Array.of(0xab, 0xcd)))).toBe('00000c00abc0');
    // 1 bit: only the MSB of the one byte counts.
    expect(hex(osdpRawBody(0, 0, 1, Uint8Array.of(0xff)))).toBe('0000010080');
    expect(hex(osdpRawBody(0, 0, 15, Uint8Array.of(0xff, 0xff)))).toBe('00000f00fffe');
    // The caller's bytes are not changed.
    const bits = Uint8Array.of(0xab, 0xcd);
    osdpRawBody(0, 0, 12, bits);
    expect(hex(bits)).toBe('abcd');
  });

  it('a Wiegand frame: format code 1, 26 bits in 4 bytes, the last 6 bits zero', () => {
    // H10301 FC 101 CN 1337 = 0xCA0A73 (26 bits) -> bits 11 0010 1000 0010 1001 1100 11, padded.
    expect(hex(osdpRawWiegand(3, encodeWiegand('H10301', 101, 1337)))).toBe('03011a00' + '3282 9cc0'.replace(' ', ''));
  });

  it('argument errors name the function and the argument', () => {
    expect(() => osdpRawBody('1' as never, 0, 0, new Uint8Array(0))).toThrow(/osdpRawBody: reader /);
    expect(() => osdpRawBody(0, '1' as never, 0, new Uint8Array(0))).toThrow(/osdpRawBody: formatCode /);
    expect(() => osdpRawBody(0, 0, '1' as never, new Uint8Array(0))).toThrow(/osdpRawBody: bitCount /);
    expect(() => osdpRawBody(0, 0, 0, [] as never)).toThrow(/osdpRawBody: bits /);
    expect(() => osdpRawWiegand('1' as never, encodeWiegand('H10301', 1, 1))).toThrow(/osdpRawWiegand: reader /);
    expect(() => osdpRawWiegand(0, null as never)).toThrow(/osdpRawWiegand: frame /);
    expect(() => parseOsdpRaw([] as never)).toThrow(/parseOsdpRaw: body /);
  });
});

describe('parseOsdpRaw: the header is 4 bytes, then ceil(bits / 8) bytes', () => {
  it('4 bytes with 0 bits is a whole body; 3 bytes are refused', () => {
    expect(parseOsdpRaw(Uint8Array.of(2, 1, 0, 0))).toEqual({ reader: 2, formatCode: 1, bitCount: 0, bits: new Uint8Array(0) });
    expect(() => parseOsdpRaw(Uint8Array.of(2, 1, 0))).toThrow(new RangeError('osdp_RAW body is 3 bytes, at least 4 needed'));
  });
  it('a length that disagrees with the bit count is refused with the needed length', () => {
    expect(() => parseOsdpRaw(Uint8Array.of(0, 0, 12, 0, 0xab))).toThrow(new RangeError('osdp_RAW body: 12 bits need 6 bytes, got 5'));
    expect(() => parseOsdpRaw(Uint8Array.of(0, 0, 0, 1, 0xab))).toThrow(new RangeError('osdp_RAW body: 256 bits need 36 bytes, got 5'));
  });
});

describe('Wiegand field ranges', () => {
  it('the largest values fit (parity counted by hand); one past is refused with the range', () => {
    // FC 255 CN 65535: 24 data ones. Bits 2-13 hold 12 ones (even) -> even parity bit 0;
    // bits 14-25 hold 12 ones (even) -> odd parity bit 1.
    expect(wiegandBits(encodeWiegand('H10301', 255, 65535))).toBe('0' + '1'.repeat(24) + '1');
    // H10304 FC 65535 CN 524287: 35 data ones; bits 2-19 hold 18 ones -> 0; bits 19-36 hold 18 -> 1.
    expect(wiegandBits(encodeWiegand('H10304', 65535, 524287))).toBe('0' + '1'.repeat(35) + '1');
    expect(() => encodeWiegand('H10301', 256, 0)).toThrow(new RangeError('H10301 facility code 256 does not fit 8 bits (0..255)'));
    expect(() => encodeWiegand('H10301', 0, 65536)).toThrow(new RangeError('H10301 card number 65536 does not fit 16 bits (0..65535)'));
    expect(() => encodeWiegand('H10304', 65536, 0)).toThrow(new RangeError('H10304 facility code 65536 does not fit 16 bits (0..65535)'));
    expect(() => encodeWiegand('H10304', 0, 524288)).toThrow(new RangeError('H10304 card number 524288 does not fit 19 bits (0..524287)'));
    expect(() => encodeWiegand('H10301', -1, 0)).toThrow(RangeError);
    expect(() => encodeWiegand('H10301', 0, 1.5)).toThrow(RangeError);
  });

  it('decodeWiegand takes 0 .. 2^bits - 1 and refuses the rest', () => {
    expect(decodeWiegand('H10301', 0)).toEqual({ facilityCode: 0, cardNumber: 0, parityOk: false }); // odd parity bit 0 over no ones
    expect(decodeWiegand('H10301', 2 ** 26 - 1)).toEqual({ facilityCode: 255, cardNumber: 65535, parityOk: false }); // even bit 1 over 12 ones
    expect(decodeWiegand('H10304', 2 ** 37 - 1).facilityCode).toBe(65535);
    for (const v of [2 ** 26, -1, 0.5]) expect(() => decodeWiegand('H10301', v)).toThrow(new RangeError('H10301: value does not fit 26 bits'));
    expect(() => decodeWiegand('H10304', 2 ** 37)).toThrow(new RangeError('H10304: value does not fit 37 bits'));
  });

  it('argument errors name the function and the argument', () => {
    expect(() => encodeWiegand('H1' as never, 0, 0)).toThrow(/encodeWiegand: format /);
    expect(() => encodeWiegand('H10301', '0' as never, 0)).toThrow(/encodeWiegand: facilityCode /);
    expect(() => encodeWiegand('H10301', 0, '0' as never)).toThrow(/encodeWiegand: cardNumber /);
    expect(() => decodeWiegand('H1' as never, 0)).toThrow(/decodeWiegand: format /);
    expect(() => decodeWiegand('H10301', '0' as never)).toThrow(/decodeWiegand: value /);
    expect(() => wiegandBits(null as never)).toThrow(/wiegandBits: frame /);
    expect(() => wiegandBytes({ bitCount: 26, value: 1 } as never)).toThrow(/wiegandBytes: frame\.format /);
    expect(() => wiegandBits({ format: 'H26', bitCount: 26, value: 1 } as never)).toThrow(/wiegandBits: frame\.format /);
  });
});

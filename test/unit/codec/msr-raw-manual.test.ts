/**
 * MSR605 Programmer's Manual rev. B, section 9 "Write Raw Data to Magnetic Card": the published
 * raw examples, packed by our codec from the ISO/IEC 7811 bits our track coder writes; and the
 * read-direction orientation of section 7 (first stripe bit in the MSB).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { packRawRead, packRawWrite, unpackRawRead, unpackRawWrite } from '../../../src/codec/msrRaw.js';
import { decodeTrackBits, trackToBits } from '../../../src/codec/tracks.js';
import { fromHex } from '../../../src/codec/hex.js';

const bits = (track: 1 | 2, s: string) => trackToBits(track, s, { leadingZeros: 0, trailingZeros: 0 });

describe('manual section 9, 08 08 08 BITS', () => {
  it('%ABC123? packs to C5 B0 78 14 95 4E 3E 2A (LRC included)', () => {
    expect(packRawWrite(bits(1, '%ABC123?'), 8)).toEqual(fromHex('C5B07814954E3E2A'));
  });
  it(';12345? packs to 2B 88 49 EA AF (LRC included)', () => {
    expect(packRawWrite(bits(2, ';12345?'), 8)).toEqual(fromHex('2B8849EAAF'));
  });
});

describe('manual section 9, 07 05 05 BITS', () => {
  it('track 1 at 7 BPC: 45 61 62 23 51 52 13 1F 2A', () => {
    expect(packRawWrite(bits(1, '%ABC123?'), 7)).toEqual(fromHex('456162235152131F2A'));
  });
  it('track 2 at 5 BPC: 0B 01 02 13 04 15 1F 15', () => {
    expect(packRawWrite(bits(2, ';12345?'), 5)).toEqual(fromHex('0B01021304151F15'));
  });
});

describe('raw read orientation (manual section 7)', () => {
  it('first stripe bit is the MSB: the % character 1010001 + first bit of A reads as A3', () => {
    // Stripe bits of %ABC... : 1,0,1,0,0,0,1 then A: 1,... -> byte 1010 0011 = A3.
    expect(packRawRead(bits(1, '%ABC123?'), 8)[0]).toBe(0xa3);
    // The same byte in write orientation is C5 (bit order reversed): the asymmetry of issue 5.
    expect(packRawWrite(bits(1, '%ABC123?'), 8)[0]).toBe(0xc5);
  });
  it('the manual write bytes unpack to stripe bits that decode to the track', () => {
    expect(decodeTrackBits(1, unpackRawWrite(fromHex('C5B07814954E3E2A')))).toBe('%ABC123?');
    expect(decodeTrackBits(2, unpackRawWrite(fromHex('2B8849EAAF')))).toBe(';12345?');
  });
  it('property: both directions round-trip at every BPC', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('0', '1'), { maxLength: 300 }), fc.integer({ min: 5, max: 8 }), (arr, bpc) => {
        const b = arr.join('');
        const pad = (s: string) => s.slice(0, b.length);
        expect(pad(unpackRawWrite(packRawWrite(b, bpc), bpc))).toBe(b);
        expect(pad(unpackRawRead(packRawRead(b, bpc), bpc))).toBe(b);
      }),
    );
  });
  it('rejects a bad BPC', () => expect(() => packRawWrite('1', 9)).toThrow(/INVALID_ARGUMENT: packRawWrite: bpc/));
});

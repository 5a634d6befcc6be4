/**
 * Spec section 3, MIFARE Application Directory v1: the NFC Forum MAD (CRC 0x14, published in the
 * spec and in NFC Forum Type MIFARE Classic Tag documents) and the MAD blocks of the spec's
 * `card` examples are the independent expected values.
 */
import { describe, expect, it } from 'vitest';
import { buildMad, hmskMad, parseMad, HMSK_AID, HMSK_SIGNATURE_AID } from '../../../src/card/mad.js';
import { HmskError } from '../../../src/codec/errors.js';
import { fromHex as hex, toHex } from '../../helpers/hex.js';


const NFC_FORUM = ['140103e103e103e103e103e103e103e1', '03e103e103e103e103e103e103e103e1'];
// From the spec's examples.json: card-signed-4-byte-uid and card-unsigned-7-byte-uid, blocks 1-2.
const HMSK_SIGNED = ['0400484b484b484b494b494b00000000', '00000000000000000000000000000000'];
const HMSK_UNSIGNED = ['a400484b484b484b0000000000000000', '00000000000000000000000000000000'];

describe('MAD v1 parse', () => {
  it('NFC Forum MAD: info byte 0x01, fifteen AIDs 0xE103 (low byte first)', () => {
    expect(parseMad(hex(NFC_FORUM[0]), hex(NFC_FORUM[1]))).toEqual({ infoByte: 1, aids: new Array(15).fill(0xe103) });
  });
  it('HMSK MADs of the spec examples', () => {
    const s = parseMad(hex(HMSK_SIGNED[0]), hex(HMSK_SIGNED[1]));
    expect(s.infoByte).toBe(0);
    expect(s.aids).toEqual([0x4b48, 0x4b48, 0x4b48, 0x4b49, 0x4b49, ...new Array(10).fill(0)]);
    expect(parseMad(hex(HMSK_UNSIGNED[0]), hex(HMSK_UNSIGNED[1])).aids).toEqual([0x4b48, 0x4b48, 0x4b48, ...new Array(12).fill(0)]);
  });
  it('any one byte changed anywhere in the 32 bytes fails with BAD_MAD_CRC', () => {
    const good = hex(NFC_FORUM.join(''));
    for (let i = 0; i < 32; i++) {
      for (const x of [0x01, 0x80, 0xff]) {
        const b = good.slice();
        b[i] ^= x;
        let code = 'none';
        try {
          parseMad(b.subarray(0, 16), b.subarray(16));
        } catch (e) {
          code = (e as HmskError).code;
        }
        expect(code, `byte ${i} ^ ${x}`).toBe('BAD_MAD_CRC');
      }
    }
  });
  it('a BAD_MAD_CRC says where: sector 0, block 1', () => {
    const b = hex(NFC_FORUM[0]);
    b[0] = 0x15;
    try {
      parseMad(b, hex(NFC_FORUM[1]));
      expect.unreachable();
    } catch (e) {
      expect((e as HmskError).where).toMatchObject({ sector: 0, block: 1 });
    }
  });
});

describe('MAD v1 build', () => {
  it('rebuilds the NFC Forum MAD byte for byte (CRC 0x14)', () => {
    expect(buildMad({ infoByte: 1, aids: new Array(15).fill(0xe103) }).map(toHex)).toEqual(NFC_FORUM);
  });
  it('hmskMad gives the blocks of the spec examples', () => {
    expect(buildMad(hmskMad(true)).map(toHex)).toEqual(HMSK_SIGNED);
    expect(buildMad(hmskMad(false)).map(toHex)).toEqual(HMSK_UNSIGNED);
    expect([HMSK_AID, HMSK_SIGNATURE_AID]).toEqual([0x4b48, 0x4b49]); // 'KH', 'KI' read low byte first
  });
  it('rejects a wrong AID count or an out-of-range AID', () => {
    expect(() => buildMad({ infoByte: 0, aids: [1, 2] })).toThrow(RangeError);
    expect(() => buildMad({ infoByte: 0, aids: [...new Array(14).fill(0), 0x10000] })).toThrow(RangeError);
  });
});

/**
 * Spec section 3: the finished 64-block card. Expected values: the spec's two `card` examples,
 * the spec's `encode` example records (independent of the card code), and block 0 / trailers
 * assembled by hand from the section 3 tables.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { blankCardImage, buildCardImage, imageBytes } from '../../../src/card/image.js';
import { decodeAccessBits } from '../../../src/card/accessBits.js';
import { RECORD_BLOCKS, gatherBlocks, manufacturerBlock, trailerBlock } from '../../../src/card/layout.js';
import { buildTrailer, hmskTrailer, transportTrailer } from '../../../src/card/trailer.js';
import { HmskError } from '../../../src/codec/errors.js';
import { fromHex as hex, toHex } from '../../helpers/hex.js';


const examples = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../test-vectors/spec-examples.json'), 'utf8')).vectors as {
  id: string;
  input: Record<string, any>;
  expect: Record<string, any>;
}[];
const byId = (id: string) => examples.find((v) => v.id === id)!;

function imageOf(id: string) {
  const i = byId(id).input;
  return buildCardImage({
    holder: i.holder,
    uid: hex(i.uid),
    readMaster: hex(i.readMaster),
    writeMaster: hex(i.writeMaster),
    signingKey: i.signingKey ? hex(i.signingKey) : undefined,
    keyId: i.keyId,
  });
}

describe("the spec's card examples", () => {
  for (const id of ['card-signed-4-byte-uid', 'card-unsigned-7-byte-uid']) {
    it(`${id}: 64 blocks, byte for byte`, () => {
      expect(imageOf(id).map(toHex)).toEqual(byId(id).expect.blocks);
    });
  }
  it('the unsigned card carries the record of the spec encode example (Jan Kowalski) in blocks 4-14', () => {
    const record = gatherBlocks(imageOf('card-unsigned-7-byte-uid'), RECORD_BLOCKS);
    expect(toHex(record)).toBe(byId('encode-cleaning-leading-zeros').expect.record);
  });
  it('the signed card carries the encode example record with flag bit 0 set (byte 19) and its own CRC-32', () => {
    const record = gatherBlocks(imageOf('card-signed-4-byte-uid'), RECORD_BLOCKS);
    const unsigned = hex(byId('encode-construction').expect.record);
    expect(record[19]).toBe(unsigned[19] | 1);
    expect(toHex(record.subarray(0, 19))).toBe(toHex(unsigned.subarray(0, 19)));
    expect(toHex(record.subarray(20, 140))).toBe(toHex(unsigned.subarray(20, 140)));
    expect(toHex(record.subarray(140))).not.toBe(toHex(unsigned.subarray(140)));
  });
  it('1024 bytes as an image', () => {
    expect(imageBytes(imageOf('card-signed-4-byte-uid'))).toHaveLength(1024);
  });
});

describe('block 0 (section 3, hand-assembled)', () => {
  it('4-byte UID: UID, BCC, SAK 08, ATQA 04 00, "bcdefghi"', () => {
    // BCC = 04 ^ A1 ^ B2 ^ C3 = A5 ^ B2 ^ C3 = 17 ^ C3 = D4; "bcdefghi" = 62 63 64 65 66 67 68 69
    expect(toHex(manufacturerBlock(hex('04a1b2c3')))).toBe('04a1b2c3' + 'd4' + '08' + '0400' + '6263646566676869');
  });
  it('7-byte UID: UID, SAK 08, ATQA 44 00, "bcdefg"', () => {
    expect(toHex(manufacturerBlock(hex('04112233445566')))).toBe('04112233445566' + '08' + '4400' + '626364656667');
  });
  it('10-byte UID: no block 0 in the spec, so the caller must pass one', () => {
    expect(() => manufacturerBlock(new Uint8Array(10))).toThrow(RangeError);
    const block0 = new Uint8Array(16).fill(7);
    const img = buildCardImage({ ...imageInput('card-unsigned-7-byte-uid'), uid: hex('04112233445566778899'), block0 });
    expect(toHex(img[0])).toBe(toHex(block0));
  });
});

function imageInput(id: string) {
  const i = byId(id).input;
  return { holder: i.holder, uid: hex(i.uid), readMaster: hex(i.readMaster), writeMaster: hex(i.writeMaster) };
}

describe('trailers', () => {
  it('blank card: every trailer FF..FF FF 07 80 69 FF..FF, data zero (section 3)', () => {
    const blank = blankCardImage(hex('04a1b2c3'));
    for (let b = 1; b < 64; b++) expect(toHex(blank[b])).toBe(b % 4 === 3 ? 'ffffffffffffff078069ffffffffffff' : '0'.repeat(32));
    expect(toHex(transportTrailer())).toBe('ffffffffffffff078069ffffffffffff');
  });
  it('HMSK trailers: access bytes 78 77 88, GPB C1 in sector 0 and 00 in 1-5, MAD key A in sector 0', () => {
    const img = imageOf('card-signed-4-byte-uid');
    for (let s = 0; s < 6; s++) {
      const t = img[trailerBlock(s)];
      expect(toHex(t.subarray(6, 10))).toBe(s === 0 ? '787788c1' : '78778800');
      expect(decodeAccessBits(t.subarray(6, 9))).toEqual([[1, 0, 0], [1, 0, 0], [1, 0, 0], [0, 1, 1]]);
    }
    expect(toHex(img[3].subarray(0, 6))).toBe('a0a1a2a3a4a5');
    expect(toHex(hmskTrailer(1, hex('04a1b2c3'), hex('000102030405060708090a0b0c0d0e0f'), hex('101112131415161718191a1b1c1d1e1f')))).toBe(
      byId('card-signed-4-byte-uid').expect.blocks[7],
    );
  });
  it('sectors 6-15 stay blank; an unsigned card leaves sectors 4-5 blank too', () => {
    const img = imageOf('card-unsigned-7-byte-uid');
    for (let b = 16; b < 64; b++) expect(toHex(img[b])).toBe(b % 4 === 3 ? 'ffffffffffffff078069ffffffffffff' : '0'.repeat(32));
  });
  it('buildTrailer never returns a trailer whose access bits fail the check', () => {
    const k = new Uint8Array(6);
    let code = '';
    try {
      buildTrailer(k, hex('787789'), 0, k);
    } catch (e) {
      code = (e as HmskError).code;
    }
    expect(code).toBe('INVALID_ACCESS_BITS');
    expect(() => buildTrailer(k, hex('7877'), 0, k)).toThrow();
    expect(toHex(buildTrailer(k, [[1, 0, 0], [1, 0, 0], [1, 0, 0], [0, 1, 1]], 0x00, k).subarray(6, 9))).toBe('787788');
  });
});

describe('input errors', () => {
  it('a signing key without a key id is refused', () => {
    const i = byId('card-signed-4-byte-uid').input;
    expect(() => buildCardImage({ ...imageInput('card-signed-4-byte-uid'), signingKey: hex(i.signingKey) })).toThrow(/keyId/);
    expect(() => buildCardImage({ ...imageInput('card-signed-4-byte-uid'), signingKey: hex(i.signingKey), keyId: 0 })).toThrow(/INVALID_ARGUMENT: buildSignatureArea: keyId/);
  });
  it("the holder's errors come through (TOO_LONG, INVALID_ORG_NUMBER)", () => {
    const base = imageInput('card-unsigned-7-byte-uid');
    const codeOf = (holder: object) => {
      try {
        buildCardImage({ ...base, holder: holder as never });
      } catch (e) {
        return (e as HmskError).code;
      }
    };
    expect(codeOf({ ...base.holder, orgNumber: '923609017' })).toBe('INVALID_ORG_NUMBER');
    expect(codeOf({ ...base.holder, orgName: 'x'.repeat(120) })).toBe('TOO_LONG');
  });
});

/**
 * Spec section 5: a signature area that fails says which field of the area's table failed
 * (HmskError.where.offset inside that field's bytes), and the key id's range 1-255. The area is
 * built with the RFC 8032 section 7.1 TEST 1 key; CRCs are re-computed with the test's own CRC-32
 * (test/helpers/recordBytes.ts refCrc32).
 */
import { describe, expect, it } from 'vitest';
import { buildMad, HMSK_AID, HMSK_SIGNATURE_AID } from '../../../src/card/mad.js';
import { buildSignatureArea, verifySignatureArea } from '../../../src/card/signature.js';
import { verifyCardImage } from '../../../src/card/verify.js';
import { cardExamples } from '../../helpers/cardExamples.js';
import { HmskError } from '../../../src/codec/errors.js';
import { fromHex as hex } from '../../helpers/hex.js';
import { HAND_RECORD, refCrc32 } from '../../helpers/recordBytes.js';

// RFC 8032 section 7.1, TEST 1.
const SEED = hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const PUB = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
const UID = hex('04a1b2c3');
const RECORD = hex(HAND_RECORD);

/** Section 5's table: [first byte, size, field]. */
const FIELDS: Record<string, [number, number]> = { tag: [0, 1], version: [1, 1], keyId: [2, 1], algorithm: [3, 1], signature: [4, 64], filler: [68, 24], crc: [92, 4] };

function reseal(area: Uint8Array): Uint8Array {
  new DataView(area.buffer, area.byteOffset).setUint32(92, refCrc32(area.subarray(0, 92)));
  return area;
}
function failure(area: Uint8Array, keys: Record<string, Uint8Array> = { 7: PUB }): HmskError {
  try {
    verifySignatureArea(UID, RECORD, area, keys);
  } catch (e) {
    if (e instanceof HmskError) return e;
    throw e;
  }
  throw new Error('verified');
}
function expectIn(e: HmskError, code: string, field: string): void {
  const [start, size] = FIELDS[field];
  expect(e.code).toBe(code);
  expect(e.where.offset).toBeGreaterThanOrEqual(start);
  expect(e.where.offset).toBeLessThan(start + size);
}

describe('signature area errors name the field that failed', () => {
  const good = () => buildSignatureArea(UID, RECORD, SEED, 7);
  it('the good area verifies under key 7', () => expect(verifySignatureArea(UID, RECORD, good(), { 7: PUB })).toBe(7));
  it('tag, version, key id 0, algorithm, filler, CRC: SIGNATURE_INVALID where it is', () => {
    const cases: [string, (a: Uint8Array) => void][] = [
      ['tag', (a) => (a[0] = 0x54)],
      ['version', (a) => (a[1] = 2)],
      ['keyId', (a) => (a[2] = 0)],
      ['algorithm', (a) => (a[3] = 2)],
      ['filler', (a) => (a[80] = 1)],
    ];
    for (const [field, m] of cases) {
      const a = good();
      m(a);
      expectIn(failure(reseal(a)), 'SIGNATURE_INVALID', field);
    }
    const c = good();
    c[95] ^= 1;
    expectIn(failure(c), 'SIGNATURE_INVALID', 'crc');
  });
  it('an unknown key id is UNKNOWN_KEY at the key id', () => expectIn(failure(good(), { 8: PUB }), 'UNKNOWN_KEY', 'keyId'));
  it('a signature that does not verify is SIGNATURE_INVALID at the signature', () => {
    const a = good();
    a[10] ^= 1;
    expectIn(failure(reseal(a)), 'SIGNATURE_INVALID', 'signature');
    // The UID is signed: the same area on another card does not verify.
    expect(() => verifySignatureArea(hex('04a1b2c4'), RECORD, good(), { 7: PUB })).toThrow(HmskError);
  });
});

describe('key id range 1-255 (section 5)', () => {
  it('1 and 255 are accepted, 0 and 256 refused', () => {
    expect(verifySignatureArea(UID, RECORD, buildSignatureArea(UID, RECORD, SEED, 1), { 1: PUB })).toBe(1);
    expect(verifySignatureArea(UID, RECORD, buildSignatureArea(UID, RECORD, SEED, 255), { 255: PUB })).toBe(255);
    for (const id of [0, 256, 1.5]) expect(() => buildSignatureArea(UID, RECORD, SEED, id), String(id)).toThrow();
  });
});

describe('verifyCardImage: a MAD entry that does not fit names its sector (section 5)', () => {
  const ex = cardExamples().find((e) => e.id === 'card-signed-4-byte-uid')!;
  const keys = { '1': PUB };
  /** The signed example with sector `s`'s AID in the MAD replaced by `aid`. */
  function withAid(s: number, aid: number): Uint8Array[] {
    const blocks = ex.blocks.map(hex);
    const aids = [HMSK_AID, HMSK_AID, HMSK_AID, HMSK_SIGNATURE_AID, HMSK_SIGNATURE_AID, ...new Array(10).fill(0)];
    aids[s - 1] = aid;
    [blocks[1], blocks[2]] = buildMad({ infoByte: 0x01, aids });
    return blocks;
  }
  it('the example verifies', () => expect(verifyCardImage(ex.blocks.map(hex), hex(ex.uid), keys).signature).toBe('valid'));
  for (const s of [1, 2, 3]) {
    it(`sector ${s} not 0x4B48: UNKNOWN_FORMAT at sector ${s}`, () => {
      expect(() => verifyCardImage(withAid(s, 0x12ab), hex(ex.uid), keys)).toThrow(
        expect.objectContaining({ code: 'UNKNOWN_FORMAT', where: { sector: s }, message: expect.stringContaining(`AID 0x12AB for sector ${s}, not 0x4B48`) }),
      );
    });
  }
  for (const s of [4, 5]) {
    it(`signed, sector ${s} not 0x4B49: SIGNATURE_INVALID at sector ${s}`, () => {
      expect(() => verifyCardImage(withAid(s, 0), hex(ex.uid), keys)).toThrow(
        expect.objectContaining({ code: 'SIGNATURE_INVALID', where: { sector: s }, message: expect.stringContaining(`AID 0x0000 for sector ${s}, not 0x4B49`) }),
      );
    });
  }
});

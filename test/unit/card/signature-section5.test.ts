/**
 * Spec section 5: the issuer signature and the verification of a card read in full. Ed25519 is
 * checked against RFC 8032 section 7.1 TEST 1; the signed card against the spec's `card` and
 * `verify-card` examples; every failure code against a hand-made mutation of the spec's card.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ed25519PublicKey, ed25519Sign, ed25519Verify } from '../../../src/card/crypto.js';
import { parseSignatureArea, signedMessage, verifySignatureArea } from '../../../src/card/signature.js';
import { verifyCardImage } from '../../../src/card/verify.js';
import { buildMad } from '../../../src/card/mad.js';
import { RECORD_BLOCKS, SIGNATURE_BLOCKS, gatherBlocks } from '../../../src/card/layout.js';
import { crc32 } from '../../../src/codec/crc.js';
import { HmskError } from '../../../src/codec/errors.js';
import { fromHex as hex, toHex } from '../../helpers/hex.js';


const examples = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../test-vectors/spec-examples.json'), 'utf8')).vectors as {
  id: string;
  input: Record<string, any>;
  expect: Record<string, any>;
}[];
const byId = (id: string) => examples.find((v) => v.id === id)!;

// RFC 8032 section 7.1, TEST 1 (empty message).
const SEED = hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const PUB = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
const SIG =
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

describe('Ed25519 (RFC 8032 TEST 1)', () => {
  it('public key from the seed', () => expect(toHex(ed25519PublicKey(SEED))).toBe(toHex(PUB)));
  it('signature of the empty message', () => expect(toHex(ed25519Sign(SEED, new Uint8Array(0)))).toBe(SIG));
  it('verifies, and rejects a flipped bit', () => {
    expect(ed25519Verify(PUB, new Uint8Array(0), hex(SIG))).toBe(true);
    const bad = hex(SIG);
    bad[10] ^= 1;
    expect(ed25519Verify(PUB, new Uint8Array(0), bad)).toBe(false);
    expect(ed25519Verify(PUB.subarray(0, 31), new Uint8Array(0), hex(SIG))).toBe(false);
  });
});

const signedCard = (): Uint8Array[] => (byId('verify-card-signed').input.blocks as string[]).map(hex);
const UID = hex('04a1b2c3');
const KEYS = { '1': PUB };

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof HmskError ? e.code : `not HmskError: ${String(e)}`;
  }
  return 'no error';
}

/** Writes a 96-byte area back into blocks 16-18, 20-22. */
function putArea(blocks: Uint8Array[], area: Uint8Array) {
  SIGNATURE_BLOCKS.forEach((b, k) => (blocks[b] = area.slice(k * 16, k * 16 + 16)));
}
/** Recomputes the area's CRC-32 (bytes 92-95, big-endian) so only the intended field is wrong. */
function fixCrc(area: Uint8Array) {
  new DataView(area.buffer, area.byteOffset).setUint32(92, crc32(area.subarray(0, 92)));
  return area;
}

describe('signature area (section 5 table)', () => {
  it("the spec card's area: 53 01 01 01, zero filler, CRC-32", () => {
    const area = gatherBlocks(signedCard(), SIGNATURE_BLOCKS);
    expect(toHex(area.subarray(0, 4))).toBe('53010101');
    expect(toHex(area.subarray(68, 92))).toBe('0'.repeat(48));
    expect(parseSignatureArea(area).keyId).toBe(1);
  });
  it('signed message = "HMSK-SIG1" || len(UID) || UID || record || key id', () => {
    const record = new Uint8Array(144).fill(0xaa);
    const m = signedMessage(UID, record, 7);
    expect(toHex(m.subarray(0, 14))).toBe('484d534b2d53494731' + '04' + '04a1b2c3');
    expect(m.length).toBe(9 + 1 + 4 + 144 + 1);
    expect(m[m.length - 1]).toBe(7);
  });
  it.each([
    ['tag', 0, 0x54],
    ['version', 1, 2],
    ['key id 0', 2, 0],
    ['algorithm', 3, 2],
    ['filler', 80, 1],
  ])('%s wrong (CRC fixed): SIGNATURE_INVALID', (_n, offset, value) => {
    const area = gatherBlocks(signedCard(), SIGNATURE_BLOCKS);
    area[offset] = value;
    expect(codeOf(() => parseSignatureArea(fixCrc(area)))).toBe('SIGNATURE_INVALID');
  });
  it('CRC-32 wrong: SIGNATURE_INVALID', () => {
    const area = gatherBlocks(signedCard(), SIGNATURE_BLOCKS);
    area[95] ^= 1;
    expect(codeOf(() => parseSignatureArea(area))).toBe('SIGNATURE_INVALID');
  });
});

describe('verifying a card read in full (section 5)', () => {
  it("the spec's verify-card example: holder and signature valid", () => {
    const r = verifyCardImage(signedCard(), UID, KEYS);
    expect({ holder: { ...r.holder }, signature: r.signature }).toEqual(byId('verify-card-signed').expect);
    expect(r.keyId).toBe(1);
  });
  it('the unsigned spec card: signature absent, holder as given to the encoder', () => {
    const blocks = (byId('card-unsigned-7-byte-uid').expect.blocks as string[]).map(hex);
    const r = verifyCardImage(blocks, hex('04112233445566'), {});
    expect(r.signature).toBe('absent');
    const h = byId('card-unsigned-7-byte-uid').input.holder;
    expect(r.holder).toEqual({ ...h, cardNumber: '4711', signed: false, truncated: false });
  });
  it('a flipped bit in the signature (CRC fixed): SIGNATURE_INVALID', () => {
    const blocks = signedCard();
    const area = gatherBlocks(blocks, SIGNATURE_BLOCKS);
    area[4 + 20] ^= 0x08;
    putArea(blocks, fixCrc(area));
    expect(codeOf(() => verifyCardImage(blocks, UID, KEYS))).toBe('SIGNATURE_INVALID');
  });
  it('a flipped bit in the signature, CRC not fixed: still SIGNATURE_INVALID', () => {
    const blocks = signedCard();
    blocks[17][3] ^= 0x01;
    expect(codeOf(() => verifyCardImage(blocks, UID, KEYS))).toBe('SIGNATURE_INVALID');
  });
  it('unknown key id: UNKNOWN_KEY', () => {
    expect(codeOf(() => verifyCardImage(signedCard(), UID, { '2': PUB }))).toBe('UNKNOWN_KEY');
    expect(codeOf(() => verifyCardImage(signedCard(), UID, {}))).toBe('UNKNOWN_KEY');
  });
  it('another public key under the same id: SIGNATURE_INVALID', () => {
    expect(codeOf(() => verifyCardImage(signedCard(), UID, { '1': ed25519PublicKey(new Uint8Array(32)) }))).toBe('SIGNATURE_INVALID');
  });
  it('the record copied to a card with another UID: SIGNATURE_INVALID', () => {
    expect(codeOf(() => verifyCardImage(signedCard(), hex('04a1b2c4'), KEYS))).toBe('SIGNATURE_INVALID');
  });
  it('a signed record whose MAD lists 0x0000 for sector 4 (CRC right): SIGNATURE_INVALID', () => {
    const blocks = signedCard();
    const aids = [0x4b48, 0x4b48, 0x4b48, 0x0000, 0x4b49, ...new Array(10).fill(0)];
    [blocks[1], blocks[2]] = buildMad({ infoByte: 0, aids });
    expect(codeOf(() => verifyCardImage(blocks, UID, KEYS))).toBe('SIGNATURE_INVALID');
  });
  it('a MAD byte flipped: BAD_MAD_CRC, before anything else', () => {
    const blocks = signedCard();
    blocks[1][5] ^= 0x01;
    blocks[4][0] = 0; // a broken record too: the MAD check comes first
    expect(codeOf(() => verifyCardImage(blocks, UID, KEYS))).toBe('BAD_MAD_CRC');
  });
  it('MAD without 0x4B48 on sectors 1-3 (CRC right): UNKNOWN_FORMAT', () => {
    const blocks = signedCard();
    [blocks[1], blocks[2]] = buildMad({ infoByte: 1, aids: new Array(15).fill(0xe103) });
    expect(codeOf(() => verifyCardImage(blocks, UID, KEYS))).toBe('UNKNOWN_FORMAT');
  });
  it("the record's own codes come through: BAD_CRC on a changed name byte", () => {
    const blocks = signedCard();
    blocks[6][0] ^= 0x01;
    expect(codeOf(() => verifyCardImage(blocks, UID, KEYS))).toBe('BAD_CRC');
    const blank = signedCard();
    for (const b of RECORD_BLOCKS) blank[b] = new Uint8Array(16);
    expect(codeOf(() => verifyCardImage(blank, UID, KEYS))).toBe('BLANK');
  });
  it('verifySignatureArea accepts a Map of keys', () => {
    const blocks = signedCard();
    expect(verifySignatureArea(UID, gatherBlocks(blocks, RECORD_BLOCKS), gatherBlocks(blocks, SIGNATURE_BLOCKS), new Map([[1, PUB]]))).toBe(1);
  });
});

describe('fuzz: mutated cards yield a result or a typed error, nothing else', () => {
  it('1 000 cards with 1-4 random bytes changed', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1023 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
        const blocks = signedCard();
        for (const [pos, x] of edits) blocks[pos >> 4][pos & 15] ^= x;
        try {
          verifyCardImage(blocks, UID, KEYS);
          // It verified: then no byte of the MAD, the record or the signature area differs.
          for (const b of [1, 2, ...RECORD_BLOCKS, ...SIGNATURE_BLOCKS]) expect(toHex(blocks[b])).toBe(toHex(signedCard()[b]));
        } catch (e) {
          expect(e).toBeInstanceOf(HmskError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

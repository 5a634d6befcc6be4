/**
 * The card image and key helpers hand out arrays the caller owns: the 1024-byte image is the 64
 * blocks in order (a dump file's layout, MIFARE Classic 1K memory map: block n at byte 16 n), and
 * a caller that changes a returned block or key changes nothing inside the library (the MAD key
 * A0..A5 is a constant every sector-0 trailer is built from).
 */
import { describe, expect, it } from 'vitest';
import { blankCardImage, cardPayload, imageBytes } from '../../../src/card/image.js';
import { hmskSectorKeys, hmskTrailer } from '../../../src/card/trailer.js';
import { cardExamples } from '../../helpers/cardExamples.js';
import { fromHex as hex, toHex } from '../../helpers/hex.js';

const ex = cardExamples().find((e) => e.id === 'card-signed-4-byte-uid')!;

describe('imageBytes', () => {
  it('is the 64 blocks back to back: block n at byte 16 n', () => {
    const blocks = ex.blocks.map(hex);
    const bytes = imageBytes(blocks);
    expect(bytes.length).toBe(1024);
    for (let n = 0; n < 64; n++) expect(toHex(bytes.subarray(16 * n, 16 * n + 16)), `block ${n}`).toBe(ex.blocks[n]);
  });
});

describe('copies, not shared arrays', () => {
  it('blankCardImage copies the block 0 it is given', () => {
    const block0 = hex(ex.blocks[0]);
    const image = blankCardImage(hex(ex.uid), block0);
    block0.fill(0);
    expect(toHex(image[0])).toBe(ex.blocks[0]);
  });
  it("sector 0's key A is the MAD key A0..A5, and changing a returned one does not change the next", () => {
    const uid = hex(ex.uid);
    const first = hmskSectorKeys(0, uid, ex.readMaster, ex.writeMaster).keyA;
    expect(toHex(first)).toBe('a0a1a2a3a4a5');
    first.fill(0);
    expect(toHex(hmskSectorKeys(0, uid, ex.readMaster, ex.writeMaster).keyA)).toBe('a0a1a2a3a4a5');
    expect(toHex(hmskTrailer(0, uid, ex.readMaster, ex.writeMaster).subarray(0, 6))).toBe('a0a1a2a3a4a5');
  });
  it('a signing key without a key id is refused', () => {
    expect(() => cardPayload({ ...ex.input, uid: hex(ex.uid), keyId: undefined } as never)).toThrow(/keyId/);
  });
});

/**
 * Which blocks spec section 5 verification needs from a dump (src/card/dumps/complete.ts): the MAD
 * (blocks 1-2) and the record (sectors 1-3 data blocks), and when the card is signed — record flag
 * bit 0 (byte 19 = block 5, byte 3) or the MAD listing 0x4B49 for sector 4 or 5 — the signature
 * area (sectors 4-5 data blocks) and block 0 for the UID the signature covers, unless the UID is
 * known from elsewhere. The block lists below are read off the spec's sections 3 and 5.
 */
import { describe, expect, it } from 'vitest';
import { buildMad, HMSK_AID, HMSK_SIGNATURE_AID } from '../../../../src/card/mad.js';
import { blocksToVerify, requireDumpBlocks, requireVerifiableDump } from '../../../../src/card/dumps/complete.js';
import type { CardDump } from '../../../../src/card/dumps/types.js';
import { cardExamples } from '../../../helpers/cardExamples.js';
import { fromHex as hex } from '../../../helpers/hex.js';

const MAD_AND_RECORD = [1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14];
const SIGNATURE = [16, 17, 18, 20, 21, 22];
const examples = cardExamples();
const signed = examples.find((e) => e.id === 'card-signed-4-byte-uid')!;
const unsigned = examples.find((e) => e.id === 'card-unsigned-7-byte-uid')!;

function dump(blocks: string[], unknownBlocks: number[] = [], uid?: Uint8Array): CardDump {
  return { blocks: blocks.map(hex), unknownBlocks, ...(uid ? { card: { uid } } : {}), format: 'proxmark' };
}
/** The unsigned example with its MAD replaced by one listing `aids` for sectors 1-5. */
function withMad(aids: number[]): CardDump {
  const d = dump(unsigned.blocks);
  const [b1, b2] = buildMad({ infoByte: 0x01, aids: [...aids, ...new Array(15 - aids.length).fill(0)] });
  d.blocks[1] = b1;
  d.blocks[2] = b2;
  return d;
}

describe('blocksToVerify', () => {
  it('an unsigned card: the MAD and the record', () => {
    expect(blocksToVerify(dump(unsigned.blocks), false)).toEqual(MAD_AND_RECORD);
  });
  it('a signed card: also the signature area, and block 0 unless the UID is known', () => {
    expect(blocksToVerify(dump(signed.blocks), false)).toEqual([0, ...MAD_AND_RECORD, ...SIGNATURE]);
    expect(blocksToVerify(dump(signed.blocks), true)).toEqual([...MAD_AND_RECORD, ...SIGNATURE]);
  });
  it('signed by the flag alone, the MAD unreadable', () => {
    expect(blocksToVerify(dump(signed.blocks, [1, 2]), true)).toEqual([...MAD_AND_RECORD, ...SIGNATURE]);
    expect(blocksToVerify(dump(signed.blocks, [2]), true)).toEqual([...MAD_AND_RECORD, ...SIGNATURE]);
  });
  it('signed by the MAD alone, the flag block unreadable', () => {
    expect(blocksToVerify(dump(signed.blocks, [5]), true)).toEqual([...MAD_AND_RECORD, ...SIGNATURE]);
  });
  it('the MAD listing 0x4B49 for sector 4 or for sector 5 is enough', () => {
    const h = HMSK_AID;
    expect(blocksToVerify(withMad([h, h, h, HMSK_SIGNATURE_AID, 0]), true)).toEqual([...MAD_AND_RECORD, ...SIGNATURE]);
    expect(blocksToVerify(withMad([h, h, h, 0, HMSK_SIGNATURE_AID]), true)).toEqual([...MAD_AND_RECORD, ...SIGNATURE]);
    expect(blocksToVerify(withMad([h, h, h, 0, 0]), true)).toEqual(MAD_AND_RECORD);
    // 0x4B49 elsewhere (sector 3) does not make the card signed.
    expect(blocksToVerify(withMad([h, h, HMSK_SIGNATURE_AID, 0, 0]), true)).toEqual(MAD_AND_RECORD);
  });
  it('an unreadable flag block and MAD on an unsigned card: nothing more is asked for', () => {
    expect(blocksToVerify(dump(unsigned.blocks, [1, 5]), false)).toEqual(MAD_AND_RECORD);
  });
  it('the bytes of a partly read block are not trusted: a flag bit in an unknown block 5 does not count', () => {
    const d = dump(unsigned.blocks, [5]);
    d.blocks[5][3] |= 1;
    expect(blocksToVerify(d, true)).toEqual(MAD_AND_RECORD);
  });
});

describe('requireDumpBlocks and requireVerifiableDump', () => {
  it('names one missing block, or all of them, with code DUMP_INCOMPLETE', () => {
    expect(() => requireDumpBlocks(dump(unsigned.blocks, [5]), MAD_AND_RECORD, 'c.json', 'verification')).toThrow(
      expect.objectContaining({ code: 'DUMP_INCOMPLETE', file: 'c.json', blocks: [5], message: expect.stringContaining('block 5 missing from the dump (the tool that made it could not read it); verification needs blocks 1, 2, 4') }),
    );
    expect(() => requireDumpBlocks(dump(unsigned.blocks, [5, 9, 40]), MAD_AND_RECORD, 'c.json', 'verification')).toThrow(
      expect.objectContaining({ blocks: [5, 9], message: expect.stringContaining('blocks 5, 9 missing from the dump (the tool that made it could not read them)') }),
    );
    expect(() => requireDumpBlocks(dump(unsigned.blocks, [40]), MAD_AND_RECORD, 'c.json', 'verification')).not.toThrow();
  });
  it('block 0 is needed for a signed card unless the dump carries the UID', () => {
    expect(() => requireVerifiableDump(dump(signed.blocks, [0]), 'c.json')).toThrow(expect.objectContaining({ blocks: [0] }));
    expect(requireVerifiableDump(dump(signed.blocks, [0], hex(signed.uid)), 'c.json')).toHaveLength(64);
  });
  it('refuses what is not a dump', () => {
    for (const bad of [null, {}, { blocks: [], unknownBlocks: [] }, { blocks: new Array(64).fill(new Uint8Array(16)) }])
      expect(() => requireVerifiableDump(bad as never, 'x.json'), JSON.stringify(bad)).toThrow(expect.objectContaining({ file: 'x.json' }));
  });
});

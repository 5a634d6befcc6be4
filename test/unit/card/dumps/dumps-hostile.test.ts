/**
 * Dumps from outside. Proxmark3 JSON dumps ("FileType": "mfc v2", "blocks": {"0": "<32 hex>", ...}, "Card": {UID,
 * ATQA, SAK}, as the Proxmark3 client writes it) read by parseProxmarkDump:
 * every malformed shape is a DumpFormatError of format proxmark, never a TypeError, and what is
 * well-formed is read exactly (a missing block listed as unknown). Also what every writer and
 * DumpFormatError share (a block that is not 16 bytes refused, file and line in the message).
 */
import { describe, expect, it } from 'vitest';
import { parseBinaryDump, writeBinaryDump } from '../../../../src/card/dumps/binary.js';
import { parseProxmarkDump, writeProxmarkDump } from '../../../../src/card/dumps/proxmark.js';
import { DumpFormatError } from '../../../../src/card/dumps/types.js';
import { cardExamples } from '../../../helpers/cardExamples.js';
import { fromHex as hex, toHex } from '../../../helpers/hex.js';

const ex = cardExamples().find((e) => e.id === 'card-signed-4-byte-uid')!;
const good = () => JSON.parse(writeProxmarkDump(ex.blocks.map(hex))) as Record<string, any>;

function refused(json: unknown): DumpFormatError {
  try {
    parseProxmarkDump(typeof json === 'string' ? json : JSON.stringify(json));
  } catch (e) {
    if (e instanceof DumpFormatError) return e;
    throw e;
  }
  throw new Error(`accepted ${JSON.stringify(json).slice(0, 80)}`);
}

describe('parseProxmarkDump refuses what is not a MIFARE Classic dump', () => {
  it('not an object, no FileType, another FileType', () => {
    for (const j of ['null', '7', '"x"', '[]']) expect(refused(j).format, j).toBe('proxmark');
    expect(refused({}).message).toMatch(/no "FileType"/);
    expect(refused({ FileType: 5, blocks: {} }).message).toMatch(/FileType .*5.* is not a MIFARE Classic dump/);
    expect(refused({ FileType: 'mfu', blocks: {} }).message).toMatch(/FileType .*mfu.* is not/);
  });
  it('blocks missing or not an object', () => {
    for (const blocks of [undefined, null, 'x']) expect(refused({ FileType: 'mfc v2', blocks }).message, String(blocks)).toMatch(/"blocks" is missing/);
  });
  it('block keys are 1K block numbers 0-63 written as decimal digits', () => {
    for (const k of ['64', 'x1', '1x', '-1', '1.0', ' 1']) {
      const d = good();
      d.blocks[k] = d.blocks['1'];
      expect(refused(d).message, k).toMatch(/is not a 1K block number/);
    }
  });
  it('block values are exactly 16 bytes of hex', () => {
    for (const v of ['0'.repeat(30), '0'.repeat(34), 'zz'.repeat(16), '0'.repeat(31), 7, null, `x${'0'.repeat(32)}`, `${'0'.repeat(32)}x`]) {
      const d = good();
      d.blocks['4'] = v;
      expect(refused(d).message, String(v)).toMatch(/block 4: expected 16 bytes of hex/);
    }
  });
  it('Card fields are hex of the right size', () => {
    for (const [field, v] of [['UID', 'zz'], ['UID', 'abc'], ['ATQA', '04'], ['SAK', '0808'], ['SAK', 8]] as const) {
      const d = good();
      d.Card[field] = v;
      expect(refused(d).message, `${field} ${v}`).toMatch(new RegExp(`Card.${field}`));
    }
  });
});

describe('parseProxmarkDump reads what is there', () => {
  it('blocks, UID, ATQA and SAK of the written dump', () => {
    const r = parseProxmarkDump(JSON.stringify(good()));
    expect(r.blocks.map(toHex)).toEqual(ex.blocks);
    expect(r.unknownBlocks).toEqual([]);
    expect([toHex(r.card!.uid!), r.card!.sak]).toEqual([ex.uid, hex(ex.blocks[0])[5]]);
    expect(toHex(r.card!.atqa!)).toBe(toHex(hex(ex.blocks[0]).subarray(6, 8)));
  });
  it('a block left out is zeros and listed as unknown; Card left out or not an object gives no card data', () => {
    const d = good();
    delete d.blocks['9'];
    delete d.Card;
    const r = parseProxmarkDump(d);
    expect(r.unknownBlocks).toEqual([9]);
    expect(toHex(r.blocks[9])).toBe('00'.repeat(16));
    expect(r.card).toEqual({});
    const s = good();
    s.Card = 'x';
    expect(parseProxmarkDump(s).card).toEqual({});
    const partial = good();
    partial.Card = { UID: ex.uid };
    expect(Object.keys(parseProxmarkDump(partial).card!)).toEqual(['uid']);
  });
});

describe('what every dump writer and error shares (dumps/types.ts, binary.ts)', () => {
  it('a writer refuses an image with a block that is not 16 bytes', () => {
    const blocks = ex.blocks.map(hex);
    blocks[7] = blocks[7].subarray(0, 15);
    expect(() => writeBinaryDump(blocks)).toThrow(/a 1K image is 64 blocks of 16 bytes/);
    expect(() => writeProxmarkDump(blocks)).toThrow(DumpFormatError);
  });
  it('a binary dump read back has every block known', () => {
    const r = parseBinaryDump(writeBinaryDump(ex.blocks.map(hex)));
    expect(r.unknownBlocks).toEqual([]);
    expect(r.blocks.map(toHex)).toEqual(ex.blocks);
  });
  it('an error message names the file and the line only when they are known', () => {
    expect(new DumpFormatError('mct', 'bad', 3, { file: 'a.mct' }).message).toBe('a.mct: mct dump: bad (line 3)');
    expect(new DumpFormatError('mct', 'bad').message).toBe('mct dump: bad');
    expect(new DumpFormatError('mfd', 'bad', undefined, { file: 'x.mfd' })).toMatchObject({ message: 'x.mfd: mfd dump: bad', code: 'DUMP_FORMAT', file: 'x.mfd', line: undefined });
  });
});

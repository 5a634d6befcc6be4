/**
 * Dump files (issue 3, "Dumps"): the 1024-byte binary (.mfd/.bin), the Proxmark3 JSON dump and
 * the MIFARE Classic Tool text dump, checked against files those projects publish
 * (test/fixtures/dumps/SOURCES.md) and against the texts the Proxmark3 client prints for access
 * conditions (client/src/mifare/mifare4.c, tables MFAccessConditions / MFAccessConditionsTrailer).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DumpFormatError,
  detectDumpFormat,
  parseBinaryDump,
  parseMctDump,
  parseProxmarkDump,
  readDump,
  writeBinaryDump,
  writeDump,
  writeMctDump,
  writeProxmarkDump,
} from '../../../../src/card/dumps/index.js';
import { describeDataBlock, describeTrailer, decodeAccessBits } from '../../../../src/card/accessBits.js';
import { parseMad } from '../../../../src/card/mad.js';
import { toHex } from '../../../helpers/hex.js';

const fixture = (name: string) => new Uint8Array(readFileSync(resolve(import.meta.dirname, '../../../fixtures/dumps', name)));
const text = (name: string) => readFileSync(resolve(import.meta.dirname, '../../../fixtures/dumps', name), 'utf8');
const spec = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../../test-vectors/spec-examples.json'), 'utf8'));
const signedCard: Uint8Array[] = (spec.vectors.find((v: { id: string }) => v.id === 'card-signed-4-byte-uid').expect.blocks as string[]).map((h) =>
  Uint8Array.from(Buffer.from(h, 'hex')),
);
const unsignedCard: Uint8Array[] = (spec.vectors.find((v: { id: string }) => v.id === 'card-unsigned-7-byte-uid').expect.blocks as string[]).map((h) =>
  Uint8Array.from(Buffer.from(h, 'hex')),
);

describe('MIFARE Classic Tool text dump (MCT example-dump-file)', () => {
  it('the .txt and the .raw MCT publishes hold the same 64 blocks', () => {
    const fromText = parseMctDump(text('mct-example-dump-file.txt'));
    const fromRaw = parseBinaryDump(fixture('mct-example-dump-file.raw'));
    expect(fromText.blocks.map(toHex)).toEqual(fromRaw.blocks.map(toHex));
    expect(fromText.unknownBlocks).toEqual([]);
    expect(toHex(fromText.blocks[63])).toBe('ffffffffffffff0780bcffffffffffff');
  });
  it('writing the .raw gives the .txt byte for byte', () => {
    expect(writeMctDump(parseBinaryDump(fixture('mct-example-dump-file.raw')).blocks)).toBe(text('mct-example-dump-file.txt'));
  });
  it('"*No keys found or dead sector" and NO_DATA / NO_KEY dashes are unknown blocks', () => {
    const lines = ['+Sector: 0', ...new Array(3).fill('0'.repeat(32)), 'A0A1A2A3A4A5787788C1------------', '+Sector: 1', '*No keys found or dead sector', '+Sector: 2', '-'.repeat(32), ...new Array(2).fill('0'.repeat(32)), 'FFFFFFFFFFFFFF078069FFFFFFFFFFFF'];
    const d = parseMctDump(lines.join('\r\n'));
    expect(d.unknownBlocks).toEqual([3, 4, 5, 6, 7, 8, ...Array.from({ length: 52 }, (_, i) => i + 12)]);
    expect(toHex(d.blocks[3])).toBe('a0a1a2a3a4a5787788c1000000000000');
    expect(writeMctDump(d.blocks, d.unknownBlocks).split('\n')[9]).toBe('-'.repeat(32));
  });
  it.each([
    ['no header', '0'.repeat(32), /"\+Sector: N" first/],
    ['short sector', '+Sector: 0\n' + '00'.repeat(16) + '\n+Sector: 1', /1 blocks/],
    ['five blocks', '+Sector: 0\n' + (('00'.repeat(16) + '\n').repeat(5)), /more than 4/],
    ['sector twice', '+Sector: 0\n' + ('00'.repeat(16) + '\n').repeat(4) + '+Sector: 0\n', /twice/],
    ['sector 16', '+Sector: 16\n', /beyond a 1K/],
    ['bad hex', '+Sector: 0\n' + 'G'.repeat(32), /32 characters/],
    ['half-known byte', '+Sector: 0\n0-' + '0'.repeat(30), /"--"/],
  ])('%s: DumpFormatError', (_n, t, msg) => {
    expect(() => parseMctDump(t)).toThrow(DumpFormatError);
    expect(() => parseMctDump(t)).toThrow(msg);
  });
});

describe('binary .mfd/.bin (Proxmark3 s50-empty.bin)', () => {
  it('1024 bytes -> 64 blocks and back, byte for byte', () => {
    const bytes = fixture('proxmark3-s50-empty.bin');
    const d = parseBinaryDump(bytes);
    expect(d.blocks).toHaveLength(64);
    expect(toHex(writeBinaryDump(d.blocks))).toBe(toHex(bytes));
    for (let s = 0; s < 16; s++) expect(decodeAccessBits(d.blocks[s * 4 + 3].subarray(6, 9))[3]).toEqual([0, 0, 1]);
  });
  it('other lengths are refused', () => {
    expect(() => parseBinaryDump(new Uint8Array(320))).toThrow(/1024 bytes/);
    expect(() => writeBinaryDump(signedCard.slice(0, 63))).toThrow(DumpFormatError);
  });
});

describe('Proxmark3 JSON', () => {
  it('reads the published s20-empty.json (a MIFARE Mini: blocks 0-19, the rest unknown)', () => {
    const d = parseProxmarkDump(text('proxmark3-s20-empty.json'));
    expect(toHex(d.card!.uid!)).toBe('1d357ae9');
    expect(d.card!.sak).toBe(0x09);
    expect(toHex(d.card!.atqa!)).toBe('0400');
    expect(toHex(d.blocks[0])).toBe('1d357ae9bb890400c846002000000017');
    expect(d.unknownBlocks).toEqual(Array.from({ length: 44 }, (_, i) => i + 20));
  });
  it('our access-condition texts are the ones the Proxmark3 client printed into s20-empty.json', () => {
    const pm = JSON.parse(text('proxmark3-s20-empty.json')).SectorKeys;
    for (const s of Object.keys(pm)) {
      const c = decodeAccessBits(Buffer.from(pm[s].AccessConditions, 'hex'));
      const t = pm[s].AccessConditionsText;
      const n = Number(s) * 4;
      expect([describeDataBlock(...c[0]), describeDataBlock(...c[1]), describeDataBlock(...c[2]), describeTrailer(...c[3])]).toEqual([
        t[`block${n}`],
        t[`block${n + 1}`],
        t[`block${n + 2}`],
        t[`block${n + 3}`],
      ]);
    }
  });
  it('HMSK sectors read as the client words 78 77 88 (data cond 4, trailer cond 3 of its tables)', () => {
    const json = JSON.parse(writeProxmarkDump(signedCard));
    expect(json.SectorKeys['1'].AccessConditionsText).toEqual({
      block4: 'read AB; write B',
      block5: 'read AB; write B',
      block6: 'read AB; write B',
      block7: 'write A by B; read ACCESS by AB; write ACCESS by B; write B by B',
      UserData: '00',
    });
    expect(json.SectorKeys['0']).toMatchObject({ KeyA: 'A0A1A2A3A4A5', KeyB: 'DC4D840794E4', AccessConditions: '787788C1' });
    expect(json.Card).toEqual({ UID: '04A1B2C3', ATQA: '0400', SAK: '08' });
    expect(json.FileType).toBe('mfc v2');
  });
  it('a 7-byte UID card: UID, SAK, ATQA from block 0 (section 3 layout)', () => {
    expect(JSON.parse(writeProxmarkDump(unsignedCard)).Card).toEqual({ UID: '04112233445566', ATQA: '4400', SAK: '08' });
  });
  it('round trip of the spec card; its MAD still decodes', () => {
    const d = parseProxmarkDump(writeProxmarkDump(signedCard));
    expect(d.blocks.map(toHex)).toEqual(signedCard.map(toHex));
    expect(d.unknownBlocks).toEqual([]);
    expect(parseMad(d.blocks[1], d.blocks[2]).aids.slice(0, 5)).toEqual([0x4b48, 0x4b48, 0x4b48, 0x4b49, 0x4b49]);
  });
  it('accepts the older FileType "mfcard"; refuses other files', () => {
    const j = JSON.parse(writeProxmarkDump(signedCard));
    expect(parseProxmarkDump({ ...j, FileType: 'mfcard' }).blocks).toHaveLength(64);
    expect(() => parseProxmarkDump({ ...j, FileType: 'mfu' })).toThrow(/FileType/);
    expect(() => parseProxmarkDump({ ...j, blocks: { '64': '00'.repeat(16) } })).toThrow(/0-63/);
    expect(() => parseProxmarkDump({ ...j, blocks: { '0': '00' } })).toThrow(/16 bytes/);
    expect(() => parseProxmarkDump('{')).toThrow(/not JSON/);
  });
});

describe('format detection', () => {
  it('each fixture is recognised, and readDump gives the same blocks for the same card', () => {
    expect(detectDumpFormat(fixture('proxmark3-s20-empty.json'))).toBe('proxmark');
    expect(detectDumpFormat(fixture('mct-example-dump-file.txt'))).toBe('mct');
    expect(detectDumpFormat(fixture('proxmark3-s50-empty.bin'))).toBe('mfd');
    expect(detectDumpFormat(new Uint8Array(100))).toBeUndefined();
    expect(readDump(fixture('mct-example-dump-file.txt')).blocks.map(toHex)).toEqual(readDump(fixture('mct-example-dump-file.raw')).blocks.map(toHex));
    expect(() => readDump(new Uint8Array(100))).toThrow(DumpFormatError);
  });
  it('writeDump in every format reads back to the spec card', () => {
    for (const f of ['mfd', 'proxmark', 'mct'] as const) {
      const out = writeDump(signedCard, f);
      const bytes = typeof out === 'string' ? new TextEncoder().encode(out) : out;
      expect(readDump(bytes).blocks.map(toHex), f).toEqual(signedCard.map(toHex));
    }
  });
});

describe('fuzz: the parsers throw DumpFormatError or return 64 blocks', () => {
  it('random and mutated text', async () => {
    const fc = (await import('fast-check')).default;
    const mct = text('mct-example-dump-file.txt');
    const pm = writeProxmarkDump(signedCard);
    const mutate = (s: string) => fc.tuple(fc.integer({ min: 0, max: s.length - 1 }), fc.string({ maxLength: 3 })).map(([i, r]) => s.slice(0, i) + r + s.slice(i + 1));
    fc.assert(
      fc.property(fc.oneof(fc.string(), mutate(mct), mutate(pm)), (t) => {
        for (const parse of [parseMctDump, parseProxmarkDump, (x: string) => readDump(new TextEncoder().encode(x))]) {
          try {
            expect(parse(t).blocks).toHaveLength(64);
          } catch (e) {
            expect(e).toBeInstanceOf(DumpFormatError);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});

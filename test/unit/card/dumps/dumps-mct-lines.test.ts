/**
 * MIFARE Classic Tool text dumps ("+Sector: N", four lines of 32 hex digits, "--" for a byte MCT
 * could not read, "*" for a sector it could not read at all): each malformed file is refused with
 * DumpFormatError naming the line, counted from 1, where the problem is found.
 */
import { describe, expect, it } from 'vitest';
import { parseMctDump, writeMctDump } from '../../../../src/card/dumps/mct.js';
import { DumpFormatError } from '../../../../src/card/dumps/types.js';
import { thrown } from '../../../helpers/thrown.js';

const BLOCKS = Array.from({ length: 64 }, (_, i) => new Uint8Array(16).fill(i));
const LINES = writeMctDump(BLOCKS).split('\n'); // line k (1-based) is LINES[k - 1]
const hexOf = (n: number) => n.toString(16).padStart(2, '0').repeat(16).toUpperCase();
const refused = (text: string) => thrown(() => parseMctDump(text), DumpFormatError);

describe('parseMctDump says which line is wrong', () => {
  it('the written dump reads back, with CRLF and surrounding spaces too', () => {
    expect(parseMctDump(LINES.join('\n')).blocks.map((b) => b[0])).toEqual(BLOCKS.map((b) => b[0]));
    expect(parseMctDump(LINES.map((l) => `  ${l} `).join('\r\n')).unknownBlocks).toEqual([]);
  });
  it('the header must be the whole line', () => {
    for (const h of ['x+Sector: 0', '+Sector: 0x', '+Sector: 100']) {
      const e = refused([h, ...LINES.slice(1)].join('\n'));
      expect([e.line, e.message], h).toEqual([1, expect.stringContaining('expected "+Sector: N" first')]);
    }
  });
  it('a sector with 3 blocks is reported at the next header, or at the end', () => {
    const short = [LINES[0], LINES[1], LINES[2], LINES[3], ...LINES.slice(5)];
    expect([refused(short.join('\n')).line, refused(short.join('\n')).message]).toEqual([5, expect.stringContaining('sector 0 has 3 blocks, not 4')]);
    const endShort = LINES.slice(0, -3).join('\n');
    const e = refused(endShort);
    expect([e.line, e.message]).toEqual([endShort.split('\n').length, expect.stringContaining('sector 15 has 2 blocks, not 4')]);
  });
  it('"*" only first in a sector; nothing after it', () => {
    const inside = [LINES[0], LINES[1], '*', ...LINES.slice(2)];
    expect(refused(inside.join('\n')).line).toBe(3);
    const after = [LINES[0], '*', LINES[1], ...LINES.slice(5)];
    expect([refused(after.join('\n')).line, refused(after.join('\n')).message]).toEqual([3, expect.stringContaining('more than 4 blocks')]);
    const unread = parseMctDump([LINES[0], '*', ...LINES.slice(5)].join('\n'));
    expect(unread.unknownBlocks).toEqual([0, 1, 2, 3]);
  });
  it('block lines: exactly 32 characters of hex or "-", bytes whole', () => {
    for (const bad of [`${hexOf(1)}0`, `x${hexOf(1).slice(1)}`, `${hexOf(1).slice(1)}x`, `0-${hexOf(1).slice(2)}`]) {
      const e = refused([LINES[0], LINES[1], bad, ...LINES.slice(3)].join('\n'));
      expect(e.line, bad).toBe(3);
    }
    const dashed = parseMctDump([LINES[0], LINES[1], `--${hexOf(1).slice(2)}`, ...LINES.slice(3)].join('\n'));
    expect(dashed.unknownBlocks).toEqual([1]);
    expect(dashed.blocks[1][1]).toBe(1);
  });
  it('a file without any header', () => {
    expect(refused('\n\n').message).toContain('no "+Sector: N" line');
  });
});

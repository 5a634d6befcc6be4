/**
 * The Dbc line compression of a K panel (A5013 rev. E p.5-6): the document's rules one by one,
 * a round trip over random panels, and, when the captures are at hand, the command streams of the
 * official Windows driver (S10 test.windows/*, Dualys 3, 2010) decoded to the ink-bit counts and
 * hashes research/evolis.md §5.3 lists for them (computed there, not by this code).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compressPanel, decompressPanel } from '../../../../src/drivers/printer/panelCompression.js';
import { PANEL_LINE_BYTES, PANEL_LINES } from '../../../../src/drivers/printer/types.js';

const SIZE = PANEL_LINES * PANEL_LINE_BYTES;
const blank = () => new Uint8Array(SIZE);
const line = (panel: Uint8Array, n: number) => panel.subarray(n * PANEL_LINE_BYTES, (n + 1) * PANEL_LINE_BYTES);

describe("the document's rules (S1 p.5-6) (emulator / scripted replies; no real printer)", () => {
  it('a white panel is 1016 bytes of 0x00: one per line', () => {
    expect(compressPanel(blank())).toEqual(new Uint8Array(PANEL_LINES));
  });

  it('a black line is the one byte 0xFF', () => {
    const p = blank();
    line(p, 0).fill(0xff);
    const c = compressPanel(p);
    expect(c.length).toBe(PANEL_LINES);
    expect([c[0], c[1]]).toEqual([0xff, 0x00]);
  });

  it('trailing zero bytes are dropped: the counter is the index of the last byte', () => {
    const p = blank();
    line(p, 0).set([0x80]); // one dot, top left
    line(p, 1).set([0x00, 0x00, 0x01]); // a dot in byte 3
    line(p, 2)[80] = 0x01; // the last byte of the line: all 81 sent
    const c = compressPanel(p);
    expect(Array.from(c.subarray(0, 2 + 4))).toEqual([1, 0x80, 3, 0x00, 0x00, 0x01]);
    expect(c[6]).toBe(81);
    expect(Array.from(c.subarray(7, 7 + 81))).toEqual([...new Array(80).fill(0), 0x01]);
    expect(c.length).toBe(2 + 4 + 82 + (PANEL_LINES - 3));
  });

  it('a line of 81 x 0xFF but one byte is sent in full, not as a black line', () => {
    const p = blank();
    line(p, 0).fill(0xff)[40] = 0xfe;
    expect(compressPanel(p)[0]).toBe(81);
  });

  it('the decoder pads each line to 81 bytes with 0x00, as the Windows driver\'s streams need', () => {
    const payload = new Uint8Array([2, 0xaa, 0xbb, 0xff, ...new Array(PANEL_LINES - 2).fill(0)]);
    const p = decompressPanel(payload);
    expect(Array.from(line(p, 0).subarray(0, 3))).toEqual([0xaa, 0xbb, 0x00]);
    expect(line(p, 1).every((b) => b === 0xff)).toBe(true);
    expect(p.subarray(2 * PANEL_LINE_BYTES).every((b) => b === 0)).toBe(true);
  });

  it('a payload that is not 1016 lines is refused, naming the line', () => {
    expect(() => decompressPanel(new Uint8Array(PANEL_LINES - 1))).toThrow(/ends at line 1015/);
    expect(() => decompressPanel(new Uint8Array(PANEL_LINES + 1))).toThrow(/1 bytes after line 1015/);
    expect(() => decompressPanel(Uint8Array.of(82))).toThrow(/line 0 .*counter 82/);
    expect(() => decompressPanel(Uint8Array.of(5, 1, 2))).toThrow(/line 0 needs 5 bytes/);
  });

  it('a panel of the wrong size is refused', () => {
    expect(() => compressPanel(new Uint8Array(SIZE - 1))).toThrow(/BAD_DATA/);
  });
});

describe('round trip (emulator / scripted replies; no real printer)', () => {
  // Lines that are mostly white, black, or end in zeros: the cases where the rules bite.
  const lineArb = fc.oneof(
    fc.constant(new Uint8Array(PANEL_LINE_BYTES)),
    fc.constant(new Uint8Array(PANEL_LINE_BYTES).fill(0xff)),
    fc.uint8Array({ minLength: PANEL_LINE_BYTES, maxLength: PANEL_LINE_BYTES }),
    fc.tuple(fc.uint8Array({ minLength: 1, maxLength: PANEL_LINE_BYTES }), fc.nat(PANEL_LINE_BYTES)).map(([head, cut]) => {
      const l = new Uint8Array(PANEL_LINE_BYTES);
      l.set(head.subarray(0, cut));
      return l;
    }),
  );

  it('decompress(compress(panel)) is the panel; no line costs more than 82 bytes', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 8, maxLength: 8 }), fc.nat(), (lines, seed) => {
        const p = blank();
        for (let i = 0; i < PANEL_LINES; i++) p.set(lines[(i * 7 + seed) % 8], i * PANEL_LINE_BYTES);
        const c = compressPanel(p);
        expect(c.length).toBeLessThanOrEqual(PANEL_LINES * (PANEL_LINE_BYTES + 1));
        expect(Buffer.from(decompressPanel(c)).equals(Buffer.from(p))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

/**
 * The official driver's streams: set HMSKORT_EVOLIS_CAPTURES to a directory holding dpavlin/
 * Printer-EVOLIS's test.windows/ files (@a20ce7d; not committed here: another repository's files).
 */
const CAPTURES = process.env.HMSKORT_EVOLIS_CAPTURES;
const TABLE: [string, number, number, string][] = [
  // file, Dbc length, ink bits, sha256[:16] of the decoded bitmap (evolis.md §5.3)
  ['card-black', 83312, 656383, 'e41bc4ba0f8b3d14'],
  ['card-black-fit', 83232, 653758, '33ec74de9db69121'],
  ['card-gradient', 83312, 412789, '416d3384b982e3d1'],
  ['card-gradient-fit', 83232, 411819, '7fbc53f6c8ee313f'],
  ['card-white', 42832, 3827, '8ce9021c251678e7'],
  ['card-white-fit', 42912, 5797, 'e3f9eb39c40112fc'],
  ['evolis-card-curves', 83223, 83952, 'd09309df87db8504'],
  ['evolis-card-text', 83223, 84881, '7db4e6b80e168560'],
];

describe.skipIf(!CAPTURES || !existsSync(CAPTURES))('the official Windows driver\'s streams (S10; needs HMSKORT_EVOLIS_CAPTURES)', () => {
  it.each(TABLE)('%s: Dbc of %i bytes decodes to %i ink bits, sha256 %s', (file, length, ink, sha) => {
    const stream = readFileSync(join(CAPTURES!, file));
    const head = stream.indexOf(Buffer.from(`\x1bDbc;k;2;${length};`, 'latin1'));
    expect(head).toBeGreaterThan(0);
    const start = head + `\x1bDbc;k;2;${length};`.length;
    const panel = decompressPanel(new Uint8Array(stream.subarray(start, start + length)));
    expect(stream[start + length]).toBe(0x0d);
    let bits = 0;
    for (const b of panel) for (let v = b; v; v &= v - 1) bits++;
    expect(bits).toBe(ink);
    expect(createHash('sha256').update(panel).digest('hex').slice(0, 16)).toBe(sha);
  });
});

/**
 * Whole command streams through the emulator, with panels that must come back as the bitmap they
 * were made from: the official Windows driver's layout (compressed Dbc, research/evolis.md §5.3),
 * dpavlin's uncompressed Db;k;2 stream (front and back), the guide's YMCKO program (A5013 p.69) and
 * the 0x00 / 0xFF line shortcuts of A5013 p.5. The streams are built by test/helpers/evolisStreams.ts
 * from a landscape face; the emulator's PNG is decoded with pngjs and compared dot for dot.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PNG } from 'pngjs';
import { EvolisEmulator } from '../../../../src/testing/evolisEmulator/emulator.js';
import { replayEvolisStream } from '../../../../src/testing/evolisEmulator/replay.js';
import { printedPanelPng } from '../../../../src/testing/evolisEmulator/machine.js';
import { ascii, cat, dpavlinStream, firstDiff, frame, H, knownFace, pngInk, toPrinterLayout, W, windowsCompress, windowsDriverStream } from '../../../helpers/evolisStreams.js';

const face = knownFace();
const printer = toPrinterLayout(face);
const decode = (png: Buffer | undefined) => pngInk(PNG.sync.read(png!));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe("the official Windows driver's layout (Dbc, A5013 p.6 form) (emulator / scripted replies; no real printer)", () => {
  const stream = windowsDriverStream(printer);

  it('is built in the captured layout: the header bytes of research/evolis.md §5.3, ESC of Se;1 at 1 mod 64, 32 NULs at the end', () => {
    const len = windowsCompress(printer).length;
    const captured = '1b50723b6b0d1b506d693b463b730d1b50633b6b3b3d3b31300d1b5064743b44550d1b4d723b730d1b507077733b313238313736313739390d1b53730d1b53720d1b4462633b6b3b323b';
    expect(hex(stream.subarray(0, captured.length / 2))).toBe(captured);
    const se = stream.length - 32 - 6;
    expect(hex(stream.subarray(se))).toBe('1b53653b310d' + '00'.repeat(32));
    expect(se % 64).toBe(1);
    expect(String(len)).toBe(Buffer.from(stream.subarray(captured.length / 2, captured.length / 2 + String(len).length)).toString());
  });

  it('replays to one card whose front K panel decodes back to the face; Pdt, Mr, Ppws listed as seen, nothing unknown', async () => {
    const r = await replayEvolisStream(stream);
    expect(r.transcript.map((e) => [e.command, e.reply, e.known])).toEqual([
      ['Pr', 'OK', 'doc'], ['Pmi', 'OK', 'doc'], ['Pc', 'OK', 'doc'], ['Pdt', 'OK', 'seen'], ['Mr', 'OK', 'seen'], ['Ppws', 'OK', 'seen'],
      ['Ss', 'OK', 'doc'], ['Sr', 'OK', 'doc'], ['Dbc', 'OK', 'doc'], ['Se', 'OK', 'doc'],
    ]);
    expect(r.unknown).toEqual([]);
    expect(r.problems).toEqual([]);
    expect(r.cards.map((c) => [c.n, c.fate, c.path])).toEqual([[1, 'output', ['print', 'output']]]);
    expect(r.panels.map((p) => [p.name, p.side, p.panel])).toEqual([['card-1-front-k.png', 'front', 'k']]);
    const ink = decode(r.panels[0].png);
    expect(firstDiff(ink, face)).toBe(-1);
    // The marker is where a person sees it: the top-left corner of the landscape card.
    expect([ink[0], ink[19 * W + 39], ink[(H - 1) * W + W - 1]]).toEqual([1, 1, 0]);
    expect(r.panels[0].ink).toBe(face.reduce((a, b) => a + b, 0));
  });

  it('any bitmap survives the trip (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 82_296, maxLength: 82_296 }), fc.integer({ min: 0, max: 1015 }), async (bitmap, blankFrom) => {
        bitmap.fill(0, blankFrom * 81); // white lines at the end, the driver's counter 1 + 00
        const r = await replayEvolisStream(windowsDriverStream(bitmap));
        const em = new EvolisEmulator();
        await em.write(windowsDriverStream(bitmap));
        expect(firstDiff(em.cards[0].panels[0].bitmap!, bitmap)).toBe(-1);
        expect(r.panels).toHaveLength(1);
      }),
      { numRuns: 5 },
    );
  });
});

describe("dpavlin's uncompressed stream (Db;k;2 + 82 296 bytes) (emulator / scripted replies; no real printer)", () => {
  it('front and back come back as the faces, on one card, into the output tray', async () => {
    const back = new Uint8Array(W * H);
    for (let x = 0; x < 300; x++) back[600 * W + x] = 1; // a line near the bottom-left
    const r = await replayEvolisStream(dpavlinStream(printer, toPrinterLayout(back)));
    expect(r.transcript.map((e) => e.command)).toEqual(['Pr', 'Pmi', 'Pc', 'Ss', 'Sr', 'Db', 'Sv', 'Pc', 'Db', 'Se']);
    expect(r.transcript.every((e) => e.reply === 'OK')).toBe(true);
    expect(r.panels.map((p) => p.name)).toEqual(['card-1-front-k.png', 'card-1-back-k.png']);
    expect(firstDiff(decode(r.panels[0].png), face)).toBe(-1);
    expect(firstDiff(decode(r.panels[1].png), back)).toBe(-1);
    expect(r.cards.map((c) => c.fate)).toEqual(['output']);
  });
});

describe('the guide examples (emulator / scripted replies; no real printer)', () => {
  it('A5013 p.69: the YMCKO program prints five panels on one card and ejects it', async () => {
    const colour = new Uint8Array((648 * 1016 * 5) / 8);
    const mono = new Uint8Array(82_296);
    const stream = cat(
      ...['Pr;ymcko', 'Pc;y;+', 'Pc;m;+', 'Pc;c;+', 'Ss', 'Sr'].map(frame),
      ...['y', 'm', 'c'].map((p) => cat(ascii(`\x1bDb;${p};32;`), colour, ascii('\r'))),
      cat(ascii('\x1bDb;k;2;'), mono, ascii('\r')), // the guide prints "Db;m;2" and says "the Black panel"
      cat(ascii('\x1bDb;o;2;'), mono.slice().fill(0xff), ascii('\r')),
      frame('Se'),
    );
    const em = new EvolisEmulator();
    expect(await em.write(stream)).toEqual(Array(12).fill('OK'));
    expect(em.cards).toHaveLength(1);
    expect(em.cards[0].panels.map((p) => [p.panel, p.levels, p.side])).toEqual([['y', 32, 'front'], ['m', 32, 'front'], ['c', 32, 'front'], ['k', 2, 'front'], ['o', 2, 'front']]);
    expect(em.cards[0].fate).toBe('output');
    // The overlay was all ink: its PNG is black; the empty colour panel is white.
    expect(decode(printedPanelPng(em.cards[0].panels[4])).every((v) => v === 1)).toBe(true);
    expect(decode(printedPanelPng(em.cards[0].panels[0])).every((v) => v === 0)).toBe(true);
  });

  it('A5013 p.44: Ss, Ssd;y, Ssd;m, Ssd;c, Ssd;o, Se are answered OK', async () => {
    const em = new EvolisEmulator();
    expect(await em.write(cat(...['Ss', 'Ssd;y', 'Ssd;m', 'Ssd;c', 'Ssd;o', 'Se'].map(frame)))).toEqual(Array(6).fill('OK'));
  });

  it('A5013 p.29: Wcb;k, Ss, Pwr;0, Wt;... are answered OK and listed as documented', async () => {
    const em = new EvolisEmulator();
    expect(await em.write(cat(...['Wcb;k', 'Ss', 'Pwr;0', 'Wt;100;300;0;10;Test Rotations'].map(frame)))).toEqual(Array(4).fill('OK'));
    expect(em.transcript.map((e) => e.known)).toEqual(['doc', 'doc', 'doc', 'doc']);
  });

  it('A5013 p.5 and p.15: the 0x00 white-line and 0xFF black-line shortcuts, from a first line on', async () => {
    const em = new EvolisEmulator();
    // lines 1012..1015: black, white, 2 bytes (the second is the last useful one), 81 bytes
    const data = Uint8Array.from([0xff, 0x00, 2, 0x00, 0x01, 81, ...new Array(81).fill(0x80)]);
    expect(await em.write(cat(ascii(`\x1bDbc;k;2;1012;${data.length};`), data, ascii('\r')))).toEqual(['OK']);
    const bm = em.cards[0].panels[0].bitmap!;
    expect(bm.subarray(0, 1012 * 81).every((b) => b === 0)).toBe(true);
    expect([...bm.subarray(1012 * 81, 1013 * 81)].every((b) => b === 0xff)).toBe(true);
    expect([...bm.subarray(1013 * 81, 1014 * 81)].every((b) => b === 0)).toBe(true);
    expect([...bm.subarray(1014 * 81, 1014 * 81 + 3)]).toEqual([0x00, 0x01, 0x00]);
    expect([...bm.subarray(1015 * 81)].every((b) => b === 0x80)).toBe(true);
  });

  it('a Dbc counter above 81 (A5013 p.5) is refused with ERROR PARAMETRES and the reason', async () => {
    const em = new EvolisEmulator();
    const data = new Uint8Array(1016).fill(0);
    data[7] = 82;
    expect(await em.write(cat(ascii('\x1bDbc;k;2;1016;'), data, ascii('\r')))).toEqual(['ERROR PARAMETRES']);
    expect(em.transcript[0].problem).toMatch(/counter 82/);
  });
});

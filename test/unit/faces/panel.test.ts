/**
 * The printer's panel (src/faces/panel.ts) against the layout documented in /work/research/evolis.md
 * section 4 "Bit packing" (Evolis A5013 rev. E p.14; the official Windows driver's captured streams):
 * 1016 lines x 81 bytes, MSB first, 1 = ink, the landscape face turned 90 degrees clockwise so that
 * line 0 is the face's left edge and bit 7 of byte 0 its bottom-left corner. The expected bytes are
 * written out from that rule by hand, not computed by the code under test.
 */
import { describe, expect, it } from 'vitest';
import { packPanel, renderFaceImage, renderFacePanel, unpackPanel, backPanel, panelPng } from '../../../src/faces/panel.js';
import { PANEL_LINE_BYTES, PANEL_LINES } from '../../../src/drivers/printer/types.js';
import { findSymbols } from '../../../src/barcode/read.js';
import { barcodePayload } from '../../../src/codec/barcode.js';
import { CARD_X, CARD_Y, inkOutside } from '../../helpers/faceInk.js';
import { cardBackLayout, cardBackSvg } from '../../../src/barcode/cardBack.js';

const W = 1016;
const H = 648;
const blank = () => ({ width: W, height: H, data: new Uint8Array(W * H).fill(255) });
const setInk = (img: ReturnType<typeof blank>, x: number, y: number) => void (img.data[y * W + x] = 0);
const line = (p: { data: Uint8Array }, n: number) => p.data.subarray(n * 81, n * 81 + 81);

describe('panel bit order and rotation', () => {
  it('is 1016 lines of 81 bytes', () => {
    expect(packPanel(blank()).data.length).toBe(1016 * 81);
    expect(PANEL_LINES * PANEL_LINE_BYTES).toBe(82_296);
  });

  it('the bottom-left dot of the face is bit 7 of byte 0 of line 0; the top-left is bit 0 of byte 80', () => {
    const img = blank();
    setInk(img, 0, H - 1);
    let p = packPanel(img);
    expect(p.data[0]).toBe(0x80);
    expect(p.data.reduce((a, b) => a + b, 0)).toBe(0x80);
    const top = blank();
    setInk(top, 0, 0);
    p = packPanel(top);
    expect(line(p, 0)[80]).toBe(0x01);
    expect(p.data.reduce((a, b) => a + b, 0)).toBe(0x01);
  });

  it('the right edge of the face is the last line; the second dot from the bottom is bit 6', () => {
    const img = blank();
    setInk(img, W - 1, H - 2);
    const p = packPanel(img);
    expect(line(p, 1015)[0]).toBe(0x40);
    expect(p.data.reduce((a, b) => a + b, 0)).toBe(0x40);
  });

  it('a black 8 x 8 square in the bottom-left corner is 0xFF in byte 0 of lines 0..7 and nothing else', () => {
    const img = blank();
    for (let y = H - 8; y < H; y++) for (let x = 0; x < 8; x++) setInk(img, x, y);
    const p = packPanel(img);
    for (let l = 0; l < 8; l++) expect([...line(p, l)].map((b, i) => (b ? `${i}:${b}` : '')).filter(Boolean)).toEqual(['0:255']);
    expect(p.data.slice(8 * 81).every((b) => b === 0)).toBe(true);
  });

  it('a face SVG: a 1 mm square at the card corner lands at the card offset (card centred on the panel)', () => {
    // Card bottom-left corner square, 0..1 mm x 52.98..53.98 mm.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="85.6mm" height="53.98mm" viewBox="0 0 85.6 53.98"><rect x="0" y="52.98" width="1" height="1" fill="#000" shape-rendering="crispEdges"/></svg>`;
    const p = renderFacePanel(svg);
    // Left of the card (lines 0..CARD_X-1) is empty: the card starts at line CARD_X = 2.
    expect(CARD_X).toBe(2);
    expect(CARD_Y).toBe(5);
    expect(line(p, 0).every((b) => b === 0) && line(p, 1).every((b) => b === 0)).toBe(true);
    // Line 3: the card's bottom edge is panel row 5 + 637.56 -> dots 647 - 642 = 5 upwards: dots 5..16.
    const l3 = line(p, 3);
    expect(l3[0] & 0x80).toBe(0); // dot 0: below the card
    expect(l3[0] & 0x01).toBe(0x01); // dot 7
    expect(l3[1]).toBe(0xff); // dots 8..15
    expect(l3.slice(3).every((b) => b === 0)).toBe(true);
  });

  it('unpackPanel inverts packPanel', () => {
    const img = blank();
    for (let i = 0; i < 5000; i++) img.data[(i * 7919) % (W * H)] = 0;
    expect(Buffer.compare(unpackPanel(packPanel(img)).data, img.data)).toBe(0);
  });

  it('refuses images and panels of the wrong size with INVALID_ARGUMENT', () => {
    expect(() => packPanel({ width: 648, height: 1016, data: new Uint8Array(648 * 1016) })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => unpackPanel({ data: new Uint8Array(82_295) })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => renderFaceImage('<svg xmlns="http://www.w3.org/2000/svg"/>')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => renderFaceImage('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100"/>')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('the card back as a panel', () => {
  it('its texts stay in the text box, also an org name of 34 wide letters (squeezed by measuring it in DejaVu Sans)', () => {
    for (const orgName of ['W'.repeat(34), 'Nordmann-Østensen Haugen-Bakkelund Maskinentreprenør og Sønner AS']) {
      const layout = cardBackLayout({ orgNumber: '974760673', orgName, cardNumber: '123456789', expiry: '2028-06-30' });
      expect(inkOutside(renderFaceImage(cardBackSvg(layout)), [layout.boxes.text, layout.boxes.barcode]).count, orgName).toBe(0);
    }
  });

  it('its barcode reads back from the printed panel (zxing-wasm), bars on the dot grid', async () => {
    const holder = { orgNumber: '974760673', orgName: 'Ærlige Åse AS', cardNumber: '123456789', expiry: '2028-06-30' };
    const p = backPanel(holder);
    const found = await findSymbols(panelPng(p), ['Code128']);
    expect(found[0]?.text).toBe(barcodePayload(holder));
    // Bars are whole dots: along a line crossing the barcode, runs of ink are multiples of 3 dots (x = 3 dots).
    const img = unpackPanel(p);
    const row = 480;
    const runs: number[] = [];
    let run = 0;
    for (let x = 0; x < W; x++) {
      const ink = img.data[row * W + x] === 0;
      if (ink) run++;
      else if (run) (runs.push(run), (run = 0));
    }
    expect(runs.length).toBeGreaterThan(20);
    expect(runs.every((r) => r % 3 === 0)).toBe(true);
  });
});

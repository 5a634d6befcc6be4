/**
 * The card back (ID-1, ISO/IEC 7810: 85.60 x 53.98 mm): geometry rules, the QR option, and the
 * built-in raster decoding back to the spec example's barcode (spec section 6).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CARD_HEIGHT_MM, CARD_WIDTH_MM, EDGE_MM, cardBackLayout, cardBackSvg, type Box } from '../../../src/barcode/cardBack.js';
import { cardBackPng, rasterizeCardBack } from '../../../src/barcode/rasterize.js';
import { findSymbols, readHmsBarcode } from '../../../src/barcode/read.js';
import { gradeImage } from '../../../src/barcode/grade/fromImage.js';
import { pngDpi } from '../../../src/barcode/render.js';
import { validateHolder } from '../../../src/codec/holder.js';

const examples = JSON.parse(readFileSync(new URL('../../../test-vectors/spec-examples.json', import.meta.url), 'utf8')) as {
  vectors: { id: string; input: { holder: unknown }; expect: { barcode?: string } }[];
};
const ex = examples.vectors.find((v) => v.id === 'encode-construction')!;
const holder = validateHolder(ex.input.holder);

const gap = (a: Box, b: Box) => Math.max(b.x - (a.x + a.w), a.x - (b.x + b.w), b.y - (a.y + a.h), a.y - (b.y + b.h));
const eps = 1e-9;

describe('card-back layout', () => {
  const layout = cardBackLayout(holder);

  it('is an ID-1 card sized in millimetres', () => {
    expect(layout.payload).toBe(ex.expect.barcode);
    const svg = cardBackSvg(layout);
    expect(svg).toMatch(/width="85\.6mm" height="53\.98mm" viewBox="0 0 85\.6 53\.98"/);
    expect(svg).toContain('Brønnøysund Bygg AS');
    expect(svg).toContain('Org.nr. 974 760 673');
    expect(svg).toContain('Kortnr. 123456');
    expect(svg).toContain('Gyldig til 30.06.2028');
    expect(svg).toContain('>9747606730000001234566</text>');
  });

  it('keeps every mark 6.3 mm from the edges and out of the stripe band', () => {
    for (const it of layout.items) {
      if (it.kind !== 'rect') continue;
      expect(it.x).toBeGreaterThanOrEqual(EDGE_MM - eps);
      expect(it.x + it.w).toBeLessThanOrEqual(CARD_WIDTH_MM - EDGE_MM + eps);
      expect(it.y).toBeGreaterThanOrEqual(16);
      expect(it.y + it.h).toBeLessThanOrEqual(CARD_HEIGHT_MM - EDGE_MM + eps);
    }
    const { barcode, text } = layout.boxes;
    expect(barcode.x).toBeGreaterThanOrEqual(EDGE_MM);
    expect(barcode.y + barcode.h).toBeLessThanOrEqual(CARD_HEIGHT_MM - EDGE_MM + eps);
    expect(gap(barcode, text)).toBeGreaterThanOrEqual(EDGE_MM - eps);
    expect(layout.boxes.qr).toBeUndefined(); // QR is off by default
  });

  it('puts bars on the 300 dpi dot grid with X = 3 dots and a 10 X quiet zone', () => {
    const dot = 25.4 / 300;
    const bars = layout.items.filter((i) => i.kind === 'rect');
    for (const b of bars) {
      expect(Math.abs(b.x / dot - Math.round(b.x / dot))).toBeLessThan(1e-6);
      expect(Math.abs(b.w / (3 * dot) - Math.round(b.w / (3 * dot)))).toBeLessThan(1e-6);
    }
    expect(bars[0].x - layout.boxes.barcode.x).toBeCloseTo(10 * 3 * dot, 9);
  });

  it('adds a QR code from a URL template, 6.3 mm clear of the text and the barcode', async () => {
    const l = cardBackLayout(holder, { qrUrlTemplate: 'https://hms.example/v/{orgNumber}/{cardNumber}?p={payload}' });
    expect(l.qrText).toBe('https://hms.example/v/974760673/123456?p=9747606730000001234566');
    expect(gap(l.boxes.qr!, l.boxes.text)).toBeGreaterThanOrEqual(EDGE_MM - eps);
    expect(gap(l.boxes.qr!, l.boxes.barcode)).toBeGreaterThanOrEqual(EDGE_MM - eps);
    const found = await findSymbols(cardBackPng(l));
    expect(found.map((f) => [f.format, f.text]).sort()).toEqual([
      ['Code128', '9747606730000001234566'],
      ['QRCode', 'https://hms.example/v/974760673/123456?p=9747606730000001234566'],
    ]);
  });

  it('the built-in raster decodes through zxing-wasm and grades A through our reference decoder', async () => {
    const png = cardBackPng(layout, 300);
    expect(pngDpi(png)).toBe(300);
    const img = rasterizeCardBack(layout, 300);
    expect([img.width, img.height]).toEqual([1011, 638]); // 85.6 and 53.98 mm at 300 dpi, rounded
    expect((await readHmsBarcode(png))?.fields).toEqual({ orgNumber: '974760673', cardNumber: '123456' });
    const g = gradeImage(png);
    expect(g).toMatchObject({ text: ex.expect.barcode, letter: 'A', moduleWidthPx: 3 });
  });
});

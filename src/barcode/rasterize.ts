/**
 * A card-back layout (cardBack.ts) drawn to pixels without a browser: rectangles by pixel-centre
 * coverage (barcode and QR modules on the dot grid land on whole pixels at the layout dpi), text
 * with the OCR-B glyphs bundled in bwip-js. OCR-B has no Æ Ø Å; those letters fall back to their
 * nearest ASCII (Ø -> O, Å -> A, Æ -> AE) in this raster only: the SVG keeps the real text, and a
 * headless Chromium screenshot of the SVG (chromium.ts) renders it with system fonts.
 */
import bwipjs from 'bwip-js';
import type { CardBackLayout } from './cardBack.js';
import { encodePng, type GrayImage } from './image.js';
import { withDpi } from './render.js';
import { needObject, needNumber } from '../codec/guard.js';

const FALLBACK: Record<string, string> = { Æ: 'AE', æ: 'ae', Ø: 'O', ø: 'o', Đ: 'D', đ: 'd', ß: 'ss', Ł: 'L', ł: 'l' };

function drawable(text: string): string {
  return [...text]
    .map((c) => FALLBACK[c] ?? c.normalize('NFD').replace(/[\u0300-\u036f]/g, ''))
    .join('')
    .replace(/[^\x20-\x7e]/g, '?');
}

export function rasterizeCardBack(layout: CardBackLayout, dpi = layout?.dpi): GrayImage {
  needObject('rasterizeCardBack', 'layout', layout);
  needNumber('rasterizeCardBack', 'dpi', dpi);
  const k = dpi / 25.4;
  const width = Math.round(layout.widthMm * k);
  const height = Math.round(layout.heightMm * k);
  const data = new Uint8Array(width * height).fill(255);
  const font = bwipjs.FontLib.lookup('OCR-B');
  for (const it of layout.items) {
    if (it.kind === 'rect') {
      const x0 = Math.round(it.x * k);
      const x1 = Math.round((it.x + it.w) * k);
      for (let y = Math.round(it.y * k); y < Math.round((it.y + it.h) * k); y++) if (y >= 0 && y < height) data.fill(0, y * width + Math.max(0, x0), y * width + Math.min(width, x1));
      continue;
    }
    const px = Math.max(6, Math.round(it.size * k * 1.2));
    const text = drawable(it.text);
    const glyphs = [...text].map((c) => bwipjs.FontLib.getglyph(font, c.charCodeAt(0), px, px));
    const natural = glyphs.reduce((a, g) => a + g.advance, 0);
    const squeeze = Math.min(1, (it.maxWidth * k) / natural);
    let pen = Math.round(it.x * k) - (it.anchor === 'middle' ? (natural * squeeze) / 2 : 0);
    const base = Math.round(it.y * k);
    for (const g of glyphs) {
      for (let r = 0; r < g.height; r++)
        for (let c = 0; c < g.width; c++) {
          const a = g.bytes[g.offset + r * g.width + c];
          const x = Math.round(pen + (g.left + c) * squeeze);
          const y = base - g.top + r;
          if (a && x >= 0 && x < width && y >= 0 && y < height) data[y * width + x] = Math.min(data[y * width + x], 255 - a);
        }
      pen += g.advance * squeeze;
    }
  }
  return { width, height, data };
}

/** PNG of the card back at `dpi`, with the pHYs chunk set. */
export function cardBackPng(layout: CardBackLayout, dpi = layout?.dpi): Uint8Array {
  needObject('cardBackPng', 'layout', layout);
  needNumber('cardBackPng', 'dpi', dpi);
  return withDpi(encodePng(rasterizeCardBack(layout, dpi)), dpi);
}

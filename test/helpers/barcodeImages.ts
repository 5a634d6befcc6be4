/**
 * Test images for the barcode suites: a symbol drawn from element widths onto a grey canvas with
 * chosen bar/space grey levels, and the image operations used to inject known defects.
 */
import fc from 'fast-check';
import type { GrayImage } from '../../src/barcode/image.js';
import { cardDigits } from '../../src/codec/barcode.js';
import { orgCheckDigit } from '../../src/codec/checkDigits.js';

export interface DrawOptions {
  /** Pixels per module. */
  px: number;
  /** Quiet zone each side, modules. */
  quiet?: number;
  /** Bar height, pixels. */
  height?: number;
  bar?: number;
  space?: number;
  /** Blank rows above and below the bars. */
  margin?: number;
}

/** Draws elements (modules, bar first) left to right. */
export function drawSymbol(elements: readonly number[], o: DrawOptions): GrayImage {
  const quiet = o.quiet ?? 10;
  const height = o.height ?? 60;
  const margin = o.margin ?? 4;
  const modules = elements.reduce((a, b) => a + b, 0) + 2 * quiet;
  const width = modules * o.px;
  const h = height + 2 * margin;
  const data = new Uint8Array(width * h).fill(o.space ?? 255);
  let x = quiet * o.px;
  elements.forEach((w, i) => {
    if (i % 2 === 0) for (let y = margin; y < margin + height; y++) data.fill(o.bar ?? 0, y * width + x, y * width + x + w * o.px);
    x += w * o.px;
  });
  return { width, height: h, data };
}

/** Horizontal box blur of `k` pixels (k odd), edge pixels replicated. */
export function boxBlurX(img: GrayImage, k: number): GrayImage {
  const r = (k - 1) / 2;
  const out = new Uint8Array(img.data.length);
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      let s = 0;
      for (let d = -r; d <= r; d++) s += img.data[y * img.width + Math.min(img.width - 1, Math.max(0, x + d))];
      out[y * img.width + x] = Math.round(s / k);
    }
  return { ...img, data: out };
}

export function fillRect(img: GrayImage, x0: number, y0: number, w: number, h: number, v: number): void {
  for (let y = y0; y < y0 + h; y++) img.data.fill(v, y * img.width + x0, y * img.width + x0 + w);
}

export function cropX(img: GrayImage, x0: number, x1: number): GrayImage {
  const w = x1 - x0;
  const data = new Uint8Array(w * img.height);
  for (let y = 0; y < img.height; y++) data.set(img.data.subarray(y * img.width + x0, y * img.width + x1), y * w);
  return { width: w, height: img.height, data };
}

/** Valid HMS payloads (org number with a usable mod-11 digit, card number 1..999 999 999 999). */
export const payloadArb = fc
  .tuple(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 1, max: 999_999_999_999 }))
  .map(([org8, card]) => {
    const first8 = String(org8).padStart(8, '0');
    const c = orgCheckDigit(first8);
    return c < 0 ? undefined : cardDigits(first8 + String(c), String(card));
  })
  .filter((p): p is string => p !== undefined);

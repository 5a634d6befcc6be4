/**
 * Cross-check of the card front's rasteriser: the same SVG opened in a real headless Chromium
 * (Debian package `chromium`, its own text stack: HarfBuzz + FreeType via fontconfig) at 300 dpi,
 * against resvg's panel (src/faces/panel.ts). The layout is measured through resvg; this shows a
 * browser, a print dialog or a printer driver built on one keeps every text inside its box too, and
 * draws the dithered photo dot for dot. Skipped only when Chromium is missing outside CI.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChromium, screenshotSvg } from '../../../src/barcode/chromium.js';
import { decodeImage, toGray, encodePng, type GrayImage } from '../../../src/barcode/image.js';
import { cardFrontLayout, cardFrontSvg, PHOTO_DOTS, type FrontField } from '../../../src/faces/cardFront.js';
import { renderFaceImage } from '../../../src/faces/panel.js';
import { CARD_X, CARD_Y, DPMM, LONG_NAME_HOLDER } from '../../helpers/faceInk.js';

const chromium = await findChromium();
const holder = { ...LONG_NAME_HOLDER, category: 'cleaning' as const };
const photo = encodePng({ width: 60, height: 80, data: Uint8Array.from({ length: 4800 }, (_, i) => (i * 37) % 256) });

/** Ink count of a screenshot (card at 0,0) inside a mm box grown by `grow` px, and in the whole image. */
function inkIn(img: GrayImage, b: { x: number; y: number; w: number; h: number }, grow: number, dx = 0, dy = 0): number {
  let n = 0;
  for (let y = Math.floor(b.y * DPMM) - grow; y < Math.ceil((b.y + b.h) * DPMM) + grow; y++)
    for (let x = Math.floor(b.x * DPMM) - grow; x < Math.ceil((b.x + b.w) * DPMM) + grow; x++) if (img.data[(y + dy) * img.width + x + dx] < 128) n++;
  return n;
}

describe('card front in headless Chromium', () => {
  it.skipIf(!chromium && !process.env.CI)(`agrees with resvg: texts in their boxes, same ink per text, photo dot for dot (${chromium ?? 'SKIPPED: chromium not installed'})`, async () => {
    expect(chromium, 'CI must have chromium (Debian package chromium)').toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'hmskort-cardfront-'));
    try {
      const layout = cardFrontLayout(holder, { photo });
      const fields: FrontField[] = ['title', 'category', 'name', 'employer', 'orgNumber', 'cardNumber', 'expiry'];
      // One screenshot: the texts and the photo, without the banner's rules (ink outside every text box).
      const svg = cardFrontSvg(layout).replace(/<g fill="#000" shape-rendering="crispEdges">[\s\S]*?<\/g>/, '');
      const path = join(dir, 'front.svg');
      writeFileSync(path, svg);
      const shot = toGray(decodeImage(await screenshotSvg(path, { widthMm: 85.6, heightMm: 53.98, dpi: 300, chromium, timeoutMs: 25_000 })));
      const ours = renderFaceImage(svg);
      const total = (img: GrayImage) => img.data.reduce((a, v) => a + (v < 128 ? 1 : 0), 0);
      // Chromium's ink lies in the boxes (grown by 2 dots for its own anti-aliasing and rounding).
      const inBoxes = [...fields.map((f) => layout.boxes[f]), layout.boxes.photo!].reduce((a, b) => a + inkIn(shot, b, 2), 0);
      expect(total(shot) - inBoxes).toBe(0);
      for (const f of fields) {
        const c = inkIn(shot, layout.boxes[f], 2);
        const r = inkIn(ours, layout.boxes[f], 2, CARD_X, CARD_Y);
        expect(Math.abs(c - r) / r, `${f}: chromium ${c} vs resvg ${r} ink dots`).toBeLessThan(0.1);
      }
      // The photo, pixelated in both: the same dots (allow 1 % for Chromium's half-dot scaling).
      let differ = 0;
      for (let y = 0; y < PHOTO_DOTS.h; y++)
        for (let x = 0; x < PHOTO_DOTS.w; x++) {
          const a = shot.data[(PHOTO_DOTS.y + y) * shot.width + PHOTO_DOTS.x + x] < 128;
          const b = ours.data[(CARD_Y + PHOTO_DOTS.y + y) * 1016 + CARD_X + PHOTO_DOTS.x + x] < 128;
          if (a !== b) differ++;
        }
      expect(differ / (PHOTO_DOTS.w * PHOTO_DOTS.h)).toBeLessThan(0.01);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

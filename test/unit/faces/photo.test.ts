/**
 * The photo on a monochrome ribbon: Floyd-Steinberg error diffusion (src/faces/dither.ts) keeps the
 * mean grey of the image and of every area of it; the photo file (JPEG through jpeg-js, PNG through
 * pngjs) is scaled into its box on the 300 dpi dot grid and lands there on the printer's panel.
 */
import { describe, expect, it } from 'vitest';
import { floydSteinberg } from '../../../src/faces/dither.js';
import { facePhoto } from '../../../src/faces/photo.js';
import { cardFrontLayout, cardFrontSvg, PHOTO_DOTS } from '../../../src/faces/cardFront.js';
import { renderFaceImage } from '../../../src/faces/panel.js';
import { encodeJpeg, encodePng, type GrayImage } from '../../../src/barcode/image.js';
import { CARD_X, CARD_Y, inkOutside } from '../../helpers/faceInk.js';

const mean = (img: GrayImage, x0 = 0, y0 = 0, w = img.width, h = img.height) => {
  let s = 0;
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) s += img.data[y * img.width + x];
  return s / (w * h);
};
const gray = (width: number, height: number, f: (x: number, y: number) => number): GrayImage => {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y);
  return { width, height, data };
};

describe('Floyd-Steinberg dithering', () => {
  it('gives two levels only', () => {
    const d = floydSteinberg(gray(64, 64, (x, y) => (x * 4 + y) % 256));
    expect(new Set(d.data)).toEqual(new Set([0, 255]));
  });

  it('keeps the mean grey of flat areas within 1 % (every level 0..255 by 17)', () => {
    for (let v = 0; v <= 255; v += 17) {
      const d = floydSteinberg(gray(100, 100, () => v));
      expect(Math.abs(mean(d) - v), `grey ${v}`).toBeLessThan(2.55);
    }
  });

  it('keeps the local mean of a gradient: every 16 x 16 block within 8 % of its source', () => {
    const src = gray(256, 128, (x) => x);
    const d = floydSteinberg(src);
    for (let by = 16; by < 112; by += 16) for (let bx = 0; bx < 256; bx += 16) expect(Math.abs(mean(d, bx, by, 16, 16) - mean(src, bx, by, 16, 16)), `${bx},${by}`).toBeLessThan(0.08 * 255);
  });

  it('is not a threshold: a flat 40 % grey gets ink and paper dots, about 60 % ink', () => {
    const d = floydSteinberg(gray(50, 50, () => 102));
    const ink = d.data.filter((v) => v === 0).length / d.data.length;
    expect(ink).toBeGreaterThan(0.58);
    expect(ink).toBeLessThan(0.62);
  });
});

describe('the photo on the face', () => {
  it('a JPEG of flat mid-grey keeps its mean grey in the box after scaling and dithering', () => {
    const rgba = new Uint8Array(120 * 160 * 4).fill(128);
    const p = facePhoto(encodeJpeg({ width: 120, height: 160, data: rgba }, 95), PHOTO_DOTS.w, PHOTO_DOTS.h);
    expect([p.width, p.height]).toEqual([260, 334]);
    expect(Math.abs(mean(p) - 128)).toBeLessThan(4);
  });

  it('is cropped, not stretched: a wide photo keeps its middle (a 3:1 image with a black centre third fills the box black)', () => {
    const src = gray(300, 100, (x) => (x >= 100 && x < 200 ? 0 : 255));
    const p = facePhoto(encodePng(src), PHOTO_DOTS.w, PHOTO_DOTS.h);
    // The box is 260:334, so only the central 78 of 300 source columns are shown: all black.
    expect(mean(p)).toBeLessThan(3);
  });

  it('lands in its box on the panel: left half ink, right half paper, nothing outside', () => {
    const photo = encodePng(gray(90, 120, (x) => (x < 45 ? 0 : 255)));
    const layout = cardFrontLayout({ category: 'cleaning', givenName: 'Åse', familyName: 'Ødegård', orgName: 'Renhold AS', orgNumber: '974760673', cardNumber: '42', expiry: '2030-01-31' }, { photo });
    const img = renderFaceImage(cardFrontSvg(layout).replace(/<text[^>]*>[^<]*<\/text>/g, '').replace(/<g fill="#000" shape-rendering="crispEdges">[\s\S]*?<\/g>/, ''));
    const x0 = CARD_X + PHOTO_DOTS.x;
    const y0 = CARD_Y + PHOTO_DOTS.y;
    const panelMean = (x: number, w: number) => mean(img, x, y0, w, PHOTO_DOTS.h);
    expect(panelMean(x0, 120)).toBe(0); // left half of the box, whole dots: ink
    expect(panelMean(x0 + 140, 120)).toBe(255); // right half: paper
    expect(inkOutside(img, [layout.boxes.photo!], 0).count).toBe(0);
    // The box's first dot column is ink, the one before it paper: the photo starts on the documented dot.
    expect(img.data[y0 * 1016 + x0]).toBe(0);
    expect(img.data[y0 * 1016 + x0 - 1]).toBe(255);
  });

  it('a damaged photo file is an ImageError (IMAGE_CORRUPT, kind data), not a crash', () => {
    const png = encodePng(gray(40, 40, () => 9));
    const broken = png.slice(0, 60);
    expect(() => facePhoto(broken, 10, 10, 'me.png')).toThrow(expect.objectContaining({ code: expect.stringMatching(/^IMAGE_/), kind: 'data' }));
  });
});

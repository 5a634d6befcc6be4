/**
 * Scan reflectance profiles (ISO/IEC 15416 section 5): where the ten scan lines go and the
 * reflectance seen along each, optionally through a circular synthetic aperture.
 *
 * Reflectance is read from grey level (255 = 100 %): a digital image has no calibration tile, so the
 * white of the image stands for the reference. Scan lines are horizontal: the symbol is expected
 * with its bars vertical (as rendered, or a scan aligned to the card edge).
 */
import type { GrayImage } from '../image.js';

export interface BarRegion {
  /** First and last pixel row holding the bars. */
  top: number;
  bottom: number;
}

/** Dark/light transitions along a row at a fixed threshold. */
function transitions(img: GrayImage, y: number, threshold: number): number {
  let n = 0;
  let prev = img.data[y * img.width] < threshold;
  for (let x = 1; x < img.width; x++) {
    const d = img.data[y * img.width + x] < threshold;
    if (d !== prev) n++;
    prev = d;
  }
  return n;
}

/**
 * The rows of the bars: the longest run of rows crossing at least half as many bar edges as the
 * busiest row (and at least 18: a Code 128 symbol has 19 or more elements).
 */
export function locateBars(img: GrayImage): BarRegion | undefined {
  let lo = 255;
  let hi = 0;
  for (const v of img.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi - lo < 8) return undefined;
  const threshold = (lo + hi) / 2;
  const counts = Array.from({ length: img.height }, (_, y) => transitions(img, y, threshold));
  const need = Math.max(18, Math.max(...counts) / 2);
  let best: BarRegion | undefined;
  let start = -1;
  for (let y = 0; y <= img.height; y++) {
    const ok = y < img.height && counts[y] >= need;
    if (ok && start < 0) start = y;
    if (!ok && start >= 0) {
      if (!best || y - 1 - start > best.bottom - best.top) best = { top: start, bottom: y - 1 };
      start = -1;
    }
  }
  return best;
}

/** Ten scan lines equally spaced over the inspection band, 10 % to 90 % of the bar height. */
export function scanRows(bars: BarRegion, count = 10): number[] {
  const h = bars.bottom - bars.top + 1;
  return Array.from({ length: count }, (_, i) => Math.floor(bars.top + h * (0.1 + (0.8 * (i + 0.5)) / count) + 1e-9));
}

/**
 * Grey levels (0..255) along row `y`. With `apertureDiameterPx`, each sample is the mean over a
 * disc of that diameter centred on the pixel (the measuring aperture); without, the pixel itself.
 */
export function reflectanceProfile(img: GrayImage, y: number, apertureDiameterPx?: number): Float64Array {
  const out = new Float64Array(img.width);
  const r = apertureDiameterPx ? apertureDiameterPx / 2 : 0;
  const ri = Math.floor(r);
  const offsets: [number, number][] = [];
  for (let dy = -ri; dy <= ri; dy++) for (let dx = -ri; dx <= ri; dx++) if (dx * dx + dy * dy <= r * r) offsets.push([dx, dy]);
  for (let x = 0; x < img.width; x++) {
    let s = 0;
    for (const [dx, dy] of offsets) {
      const xx = Math.min(img.width - 1, Math.max(0, x + dx));
      const yy = Math.min(img.height - 1, Math.max(0, y + dy));
      s += img.data[yy * img.width + xx];
    }
    out[x] = s / offsets.length;
  }
  return out;
}

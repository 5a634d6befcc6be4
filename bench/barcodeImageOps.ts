/**
 * Image degradations for bench/barcode-robustness.ts: rotation, scaling (bilinear), Gaussian blur
 * and Gaussian noise on grey images, deterministic (seeded) so runs compare.
 */
import type { GrayImage } from '../src/barcode/image.js';

function sample(img: GrayImage, x: number, y: number): number {
  if (x < 0 || y < 0 || x > img.width - 1 || y > img.height - 1) return 255;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(img.width - 1, x0 + 1);
  const y1 = Math.min(img.height - 1, y0 + 1);
  const fx = x - x0;
  const fy = y - y0;
  const d = img.data;
  const w = img.width;
  const top = d[y0 * w + x0] * (1 - fx) + d[y0 * w + x1] * fx;
  const bot = d[y1 * w + x0] * (1 - fx) + d[y1 * w + x1] * fx;
  return top * (1 - fy) + bot * fy;
}

export function pad(img: GrayImage, p: number): GrayImage {
  const width = img.width + 2 * p;
  const height = img.height + 2 * p;
  const data = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < img.height; y++) data.set(img.data.subarray(y * img.width, (y + 1) * img.width), (y + p) * width + p);
  return { width, height, data };
}

/** Rotates by `deg` about the centre onto a canvas large enough for the result, white fill. */
export function rotate(img: GrayImage, deg: number): GrayImage {
  const a = (deg * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  const width = Math.ceil(Math.abs(img.width * c) + Math.abs(img.height * s));
  const height = Math.ceil(Math.abs(img.width * s) + Math.abs(img.height * c));
  const data = new Uint8Array(width * height);
  const [cx, cy, ox, oy] = [img.width / 2, img.height / 2, width / 2, height / 2];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const dx = x + 0.5 - ox;
      const dy = y + 0.5 - oy;
      data[y * width + x] = Math.round(sample(img, c * dx + s * dy + cx - 0.5, -s * dx + c * dy + cy - 0.5));
    }
  return { width, height, data };
}

/** Area weights of source pixels under destination pixel i when scaling by f < 1 (exact box filter). */
function areaWeights(i: number, f: number, n: number): [number, number][] {
  const a = i / f;
  const b = Math.min(n, (i + 1) / f);
  const out: [number, number][] = [];
  for (let s = Math.floor(a); s < b; s++) out.push([s, Math.min(b, s + 1) - Math.max(a, s)]);
  return out;
}

export function scale(img: GrayImage, f: number): GrayImage {
  const width = Math.max(1, Math.round(img.width * f));
  const height = Math.max(1, Math.round(img.height * f));
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const wy = f < 1 ? areaWeights(y, f, img.height) : [];
    for (let x = 0; x < width; x++) {
      if (f >= 1) {
        data[y * width + x] = Math.round(sample(img, (x + 0.5) / f - 0.5, (y + 0.5) / f - 0.5));
        continue;
      }
      // Downscaling: each destination pixel averages the source area it covers, partial pixels weighted.
      let sum = 0;
      let wsum = 0;
      for (const [sx, ax] of areaWeights(x, f, img.width))
        for (const [sy, ay] of wy) {
          sum += img.data[sy * img.width + sx] * ax * ay;
          wsum += ax * ay;
        }
      data[y * width + x] = wsum ? Math.round(sum / wsum) : 255;
    }
  }
  return { width, height, data };
}

export function gaussianBlur(img: GrayImage, sigma: number): GrayImage {
  const r = Math.ceil(3 * sigma);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const ks = k.reduce((a, b) => a + b, 0);
  const pass = (src: Float64Array, w: number, h: number, horizontal: boolean) => {
    const out = new Float64Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let i = -r; i <= r; i++) {
          const xx = horizontal ? Math.min(w - 1, Math.max(0, x + i)) : x;
          const yy = horizontal ? y : Math.min(h - 1, Math.max(0, y + i));
          s += src[yy * w + xx] * k[i + r];
        }
        out[y * w + x] = s / ks;
      }
    return out;
  };
  const a = pass(Float64Array.from(img.data), img.width, img.height, true);
  const b = pass(a, img.width, img.height, false);
  return { ...img, data: Uint8Array.from(b, (v) => Math.round(v)) };
}

/** Adds Gaussian noise of standard deviation `sigma` grey levels (seeded, Box-Muller). */
export function noise(img: GrayImage, sigma: number, seed = 1): GrayImage {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31), (s + 1) / (2 ** 31 + 1));
  const data = Uint8Array.from(img.data, (v) => {
    const g = Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());
    return Math.max(0, Math.min(255, Math.round(v + sigma * g)));
  });
  return { ...img, data };
}

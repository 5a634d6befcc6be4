/**
 * Floyd-Steinberg error diffusion (R. W. Floyd and L. Steinberg, "An adaptive algorithm for spatial
 * greyscale", Proceedings of the SID 17(2), 75-77, 1976): each pixel is set to black or white and
 * its error is passed on to the unvisited neighbours, 7/16 right, 3/16 below left, 5/16 below,
 * 1/16 below right, so the mean grey of any area is kept. For a photo on a monochrome (K) ribbon,
 * which prints a dot or not (Evolis A5013 p.14: K panels are "2 levels of gray").
 *
 * Written here, 20 lines, rather than taken from npm: the maintained image libraries' dithers are
 * not two-level (jimp's dither565 reduces to 16-bit colour), and the two-level packages are either
 * unmaintained single-function packages or a whole pixel framework (@thi.ng/pixel-dither).
 */
import type { GrayImage } from '../barcode/image.js';
import { argumentError, needPixels } from '../codec/guard.js';

/** Two-level copy of `img` (0 = ink, 255 = paper), left to right, top to bottom. */
export function floydSteinberg(img: GrayImage): GrayImage {
  needPixels('floydSteinberg', img);
  const { width: w, height: h } = img;
  if (img.data.length !== w * h) throw argumentError('floydSteinberg', 'image', 'a grey image (one byte per pixel)', `${img.data.length} bytes for ${w} x ${h}`);
  const err = new Float32Array(img.data);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const v = err[i];
      const o = v < 128 ? 0 : 255;
      out[i] = o;
      const e = v - o;
      if (x + 1 < w) err[i + 1] += (e * 7) / 16;
      if (y + 1 < h) {
        if (x > 0) err[i + w - 1] += (e * 3) / 16;
        err[i + w] += (e * 5) / 16;
        if (x + 1 < w) err[i + w + 1] += e / 16;
      }
    }
  }
  return { width: w, height: h, data: out };
}

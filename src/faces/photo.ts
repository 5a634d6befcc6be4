/**
 * The holder's photo for a monochrome card face: the JPEG or PNG file decoded by jpeg-js or pngjs
 * (barcode/image.ts, with its size limits and typed ImageError), turned to luma, scaled and
 * centre-cropped to the photo box in printer dots by resvg (an SVG <image> with
 * preserveAspectRatio "xMidYMid slice": the maintained rasteriser resamples, not code of ours),
 * then dithered to two levels (dither.ts) so that every printer dot is ink or paper.
 */
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { decodeImage, toGray, type GrayImage } from '../barcode/image.js';
import { needBytes, needInteger, needString } from '../codec/guard.js';
import { floydSteinberg } from './dither.js';

/** Scales a grey image to exactly `width` x `height`, cropping the longer side evenly (no distortion). */
export function coverScale(img: GrayImage, width: number, height: number): GrayImage {
  // A grey PNG stored, not deflated: it only carries the pixels to resvg (deflate was half the time).
  const png = new PNG({ width: img.width, height: img.height, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  png.data = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  const uri = `data:image/png;base64,${PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, deflateLevel: 0 }).toString('base64')}`;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="${width}" height="${height}" fill="#fff"/>` +
    `<image width="${width}" height="${height}" preserveAspectRatio="xMidYMid slice" href="${uri}"/></svg>`;
  const r = new Resvg(svg, { font: { loadSystemFonts: false }, logLevel: 'off' }).render();
  const px = r.pixels;
  const data = new Uint8Array(width * height);
  for (let p = 0; p < data.length; p++) data[p] = px[p * 4];
  return { width, height, data };
}

/** The photo file's pixels, scaled to the box and dithered: 0 = ink, 255 = paper. */
export function facePhoto(bytes: Uint8Array, widthDots: number, heightDots: number, file = 'photo'): GrayImage {
  needBytes('facePhoto', 'bytes', bytes);
  needInteger('facePhoto', 'widthDots', widthDots, 1, 2000);
  needInteger('facePhoto', 'heightDots', heightDots, 1, 2000);
  needString('facePhoto', 'file', file);
  return floydSteinberg(coverScale(toGray(decodeImage(bytes, file)), widthDots, heightDots));
}

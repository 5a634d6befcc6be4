/**
 * Raster images for barcode read-back and grading: PNG (pngjs) and JPEG (jpeg-js) decoded to RGBA,
 * and a grey-level view whose values are read as reflectance (0 = black, 255 = white). Limits and
 * header checks before decoding: imageHeader.ts.
 */
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { checkImageLimits, ImageError, IMAGE_LIMITS } from './imageHeader.js';
import { needBytes, needInteger, needPixels } from '../codec/guard.js';

export { ImageError, IMAGE_LIMITS, isJpeg, isPng, readImageHeader, type ImageErrorCode, type ImageHeader } from './imageHeader.js';

export interface RgbaImage {
  width: number;
  height: number;
  /** 4 bytes per pixel, row-major. */
  data: Uint8Array;
}

export interface GrayImage {
  width: number;
  height: number;
  /** 1 byte per pixel, row-major; 255 = white (100 % reflectance). */
  data: Uint8Array;
}

/**
 * Decodes PNG or JPEG bytes. Transparent pixels are composited over white (how they print).
 *
 * The header is read and checked against IMAGE_LIMITS first (imageHeader.ts), so a huge image is
 * refused before a pixel is allocated. A file the decoder cannot read (truncated, a header that
 * lies about the data) is an ImageError naming `file`; the decoder's own message ("There are some
 * read requests waitng on finished stream", 'The value of "size" is out of range') is only the
 * `cause`.
 */
export function decodeImage(bytes: Uint8Array, file = 'image'): RgbaImage {
  needBytes('decodeImage', 'bytes', bytes);
  const header = checkImageLimits(bytes, file);
  let img: RgbaImage;
  try {
    if (header.format === 'png') {
      const p = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      img = { width: p.width, height: p.height, data: new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength) };
    } else {
      const maxResolutionInMP = IMAGE_LIMITS.maxPixels / 1e6;
      const j = jpeg.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { useTArray: true, formatAsRGBA: true, maxResolutionInMP, maxMemoryUsageInMB: 512 });
      img = { width: j.width, height: j.height, data: j.data };
    }
  } catch (e) {
    const kind = header.format === 'png' ? 'PNG' : 'JPEG';
    throw new ImageError('IMAGE_CORRUPT', file, `not a readable ${kind} (truncated or damaged; header says ${header.width} x ${header.height} pixels)`, e);
  }
  if (img.width !== header.width || img.height !== header.height || img.data.length !== img.width * img.height * 4) {
    throw new ImageError('IMAGE_CORRUPT', file, `decoded ${img.width} x ${img.height} pixels where the header says ${header.width} x ${header.height}`);
  }
  const d = img.data;
  for (let i = 0; i < d.length; i += 4) {
    const a = d[i + 3];
    if (a !== 255) {
      for (let c = 0; c < 3; c++) d[i + c] = Math.round((d[i + c] * a + 255 * (255 - a)) / 255);
      d[i + 3] = 255;
    }
  }
  return img;
}

/** Luma (ITU-R BT.601 weights) of each pixel. */
export function toGray(img: RgbaImage): GrayImage {
  needPixels('toGray', img);
  const out = new Uint8Array(img.width * img.height);
  const d = img.data;
  for (let i = 0, p = 0; p < out.length; i += 4, p++) out[p] = Math.round(0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2]);
  return { width: img.width, height: img.height, data: out };
}

export function grayToRgba(img: GrayImage): RgbaImage {
  needPixels('grayToRgba', img);
  const out = new Uint8Array(img.width * img.height * 4);
  for (let p = 0; p < img.data.length; p++) {
    const v = img.data[p];
    out[p * 4] = v;
    out[p * 4 + 1] = v;
    out[p * 4 + 2] = v;
    out[p * 4 + 3] = 255;
  }
  return { width: img.width, height: img.height, data: out };
}

export function encodePng(img: RgbaImage | GrayImage): Uint8Array {
  needPixels('encodePng', img);
  const rgba = img.data.length === img.width * img.height ? grayToRgba(img as GrayImage) : (img as RgbaImage);
  const p = new PNG({ width: rgba.width, height: rgba.height });
  p.data = Buffer.from(rgba.data.buffer, rgba.data.byteOffset, rgba.data.byteLength);
  return new Uint8Array(PNG.sync.write(p));
}

export function encodeJpeg(img: RgbaImage | GrayImage, quality = 90): Uint8Array {
  needPixels('encodeJpeg', img);
  needInteger('encodeJpeg', 'quality', quality, 1, 100);
  const rgba = img.data.length === img.width * img.height ? grayToRgba(img as GrayImage) : (img as RgbaImage);
  return new Uint8Array(jpeg.encode({ width: rgba.width, height: rgba.height, data: rgba.data }, quality).data);
}

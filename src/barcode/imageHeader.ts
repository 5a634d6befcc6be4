/**
 * What an image file says about itself before it is decoded, and the limits an image must keep to
 * be decoded at all (issue 19 item 6: a 439 KB PNG of 20000 x 20000 blank pixels took 70 s and
 * 3.2 GB before the read found nothing).
 *
 * The size is read from the header, never from decoding:
 * - PNG (ISO/IEC 15948, section 11.2.2): the 8-byte signature, then the IHDR chunk, which must come
 *   first: length 13, "IHDR", width and height as 4-byte big-endian numbers, each 1..2^31-1.
 * - JPEG (ITU-T T.81, Annex B.1.1.2 and B.2.2): markers from SOI; every marker segment other than
 *   the stand-alone ones (SOI, EOI, RSTn, TEM) carries a 2-byte length; the frame header SOFn
 *   (C0-C3, C5-C7, C9-CB, CD-CF) holds P (1 byte), Y = lines (2 bytes), X = samples per line
 *   (2 bytes). Y = 0 means "given later by a DNL marker": refused, the size is not known up front.
 * A file whose header does not parse is IMAGE_CORRUPT; a header naming more than the limits is
 * IMAGE_TOO_LARGE. Both before any pixel is allocated.
 */
import type { ErrorKind } from '../codec/errors.js';
import { needBytes } from '../codec/guard.js';

/**
 * The one place for the limits (README "Barcode images", `hmskort barcode --help` repeat them).
 * 40 megapixels: an A4 page scanned at 600 dpi is 35 MP, a card at 1200 dpi 10 MP; decoding takes
 * 4 bytes a pixel (160 MB at the limit) plus a grey copy for grading. 64 MiB of file: an
 * uncompressed-looking PNG of 40 MP still fits.
 */
export const IMAGE_LIMITS = { maxPixels: 40_000_000, maxBytes: 64 * 1024 * 1024 } as const;

export type ImageErrorCode = 'IMAGE_TOO_LARGE' | 'IMAGE_CORRUPT' | 'IMAGE_FORMAT';

/** A bad image file: bad input data (exit 3). `file` names it; the library's own error is `cause`. */
export class ImageError extends Error {
  override readonly name = 'ImageError';
  readonly code: ImageErrorCode;
  readonly file: string;
  /** Bad input data (CLI exit 3). */
  get kind(): ErrorKind {
    return 'data';
  }
  constructor(code: ImageErrorCode, file: string, message: string, cause?: unknown) {
    super(`${code}: ${file}: ${message}`, cause === undefined ? undefined : { cause });
    this.code = code;
    this.file = file;
  }
}

export interface ImageHeader {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(bytes: Uint8Array): boolean {
  needBytes('isPng', 'bytes', bytes);
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

export function isJpeg(bytes: Uint8Array): boolean {
  needBytes('isJpeg', 'bytes', bytes);
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** The format and size the header states. Throws ImageError (IMAGE_FORMAT, IMAGE_CORRUPT). */
export function readImageHeader(bytes: Uint8Array, file = 'image'): ImageHeader {
  if (!(bytes instanceof Uint8Array)) throw new ImageError('IMAGE_FORMAT', file, `expected the file's bytes as a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  if (isPng(bytes)) return pngHeader(bytes, file);
  if (isJpeg(bytes)) return jpegHeader(bytes, file);
  throw new ImageError('IMAGE_FORMAT', file, `not a PNG or JPEG image (${bytes.length} bytes)`);
}

function pngHeader(b: Uint8Array, file: string): ImageHeader {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  // Signature (8) + length (4) + "IHDR" (4) + width (4) + height (4).
  if (b.length < 24 || dv.getUint32(8) !== 13 || String.fromCharCode(b[12], b[13], b[14], b[15]) !== 'IHDR') {
    throw new ImageError('IMAGE_CORRUPT', file, 'PNG without an IHDR chunk first (truncated or damaged)');
  }
  const width = dv.getUint32(16);
  const height = dv.getUint32(20);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) throw new ImageError('IMAGE_CORRUPT', file, `PNG header states ${width} x ${height} pixels`);
  return { format: 'png', width, height };
}

function jpegHeader(b: Uint8Array, file: string): ImageHeader {
  let i = 2; // after SOI
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) throw new ImageError('IMAGE_CORRUPT', file, `JPEG marker expected at byte ${i}`);
    const m = b[i + 1];
    if (m === 0xff) {
      i++; // fill byte (T.81 B.1.1.2)
      continue;
    }
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd8)) {
      i += 2; // stand-alone marker: TEM, RSTn, SOI
      continue;
    }
    if (m === 0xd9 || m === 0xda) break; // EOI, or SOS before any frame header
    const len = (b[i + 2] << 8) | b[i + 3];
    if (len < 2) throw new ImageError('IMAGE_CORRUPT', file, `JPEG segment length ${len} at byte ${i}`);
    const sof = m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
    if (sof) {
      if (i + 9 > b.length || len < 8) break;
      const height = (b[i + 5] << 8) | b[i + 6];
      const width = (b[i + 7] << 8) | b[i + 8];
      if (width === 0 || height === 0) throw new ImageError('IMAGE_CORRUPT', file, `JPEG frame header states ${width} x ${height} pixels (a DNL-sized or damaged frame)`);
      return { format: 'jpeg', width, height };
    }
    i += 2 + len;
  }
  throw new ImageError('IMAGE_CORRUPT', file, 'JPEG without a frame header (truncated or damaged)');
}

/** Refuses bytes or a stated size beyond IMAGE_LIMITS (IMAGE_TOO_LARGE). Returns the header. */
export function checkImageLimits(bytes: Uint8Array, file = 'image'): ImageHeader {
  const h = readImageHeader(bytes, file);
  checkImageByteLength(bytes.length, file);
  if (h.width * h.height > IMAGE_LIMITS.maxPixels) {
    throw new ImageError('IMAGE_TOO_LARGE', file, `${h.width} x ${h.height} pixels is over the limit of ${IMAGE_LIMITS.maxPixels / 1e6} megapixels`);
  }
  return h;
}

/** Refuses a file longer than IMAGE_LIMITS.maxBytes: call it with the size from stat, before reading. */
export function checkImageByteLength(byteLength: number, file = 'image'): void {
  if (byteLength > IMAGE_LIMITS.maxBytes) {
    throw new ImageError('IMAGE_TOO_LARGE', file, `${byteLength} bytes is over the limit of ${IMAGE_LIMITS.maxBytes / 1024 / 1024} MiB`);
  }
}

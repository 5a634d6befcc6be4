/**
 * Read-back of the HMS barcode (spec section 6) and QR codes from PNG/JPEG images with zxing-wasm
 * (ZXing-C++ compiled to WebAssembly).
 *
 * zxing-wasm fetches its .wasm from a CDN unless told otherwise; in Node we hand it the bytes of
 * node_modules/zxing-wasm/dist/reader/zxing_reader.wasm (`wasmBinary`), resolved through the
 * package's own export map, so nothing is fetched at run time. Pixels are decoded by pngjs/jpeg-js
 * and passed as an ImageData-shaped object.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes, type ReadResult } from 'zxing-wasm/reader';
import { barcodePayload, parseBarcodePayload, type BarcodeFields } from '../codec/barcode.js';
import { HmskError } from '../codec/errors.js';
import { decodeImage, toGray, type RgbaImage } from './image.js';
import { gradeGrayImage } from './grade/index.js';
import { argumentError, needArray, needImage } from '../codec/guard.js';

let prepared = false;

/** Path of the reader .wasm inside node_modules. */
export function zxingWasmPath(): string {
  return createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
}

function prepare(): void {
  if (prepared) return;
  const wasmBinary = readFileSync(zxingWasmPath());
  prepareZXingModule({
    overrides: {
      wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer,
      // Never reached with wasmBinary set; refuse any URL rather than fetch one.
      locateFile: (path: string) => path,
    },
  });
  prepared = true;
}

export type SymbolFormat = 'Code128' | 'QRCode';

export interface FoundSymbol {
  format: string;
  text: string;
  /** Corner points in pixels (top-left, top-right, bottom-right, bottom-left). */
  position: ReadResult['position'];
  orientation: number;
}

/**
 * Every Code 128 / QR symbol zxing finds in the image (bytes or decoded pixels). When the default
 * (local average) binarizer finds nothing, a fixed mid-grey threshold is tried: it reads noisy
 * scans the local binarizer loses (bench/barcode-results.json, noise sigma 40).
 */
export async function findSymbols(image: Uint8Array | RgbaImage, formats: SymbolFormat[] = ['Code128', 'QRCode']): Promise<FoundSymbol[]> {
  needImage('findSymbols', image);
  needArray('findSymbols', 'formats', formats);
  prepare();
  const img = image instanceof Uint8Array ? decodeImage(image) : image;
  const pixels = { data: new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength), width: img.width, height: img.height, colorSpace: 'srgb' } as unknown as Parameters<typeof readBarcodes>[0];
  const options = { formats, tryHarder: true, tryRotate: true, tryInvert: false, maxNumberOfSymbols: 8 };
  let results = (await readBarcodes(pixels, options)).filter((r) => r.isValid);
  if (results.length === 0) results = (await readBarcodes(pixels, { ...options, binarizer: 'FixedThreshold' })).filter((r) => r.isValid);
  return results.map((r) => ({ format: r.format, text: r.text, position: r.position, orientation: r.orientation }));
}

export interface HmsBarcodeRead {
  text: string;
  /** Who read it: zxing-wasm, or (when zxing found nothing) our reference decoder on the scan lines. */
  decoder: 'zxing' | 'reference';
  /** Payload fields when the text passed section 6 validation. */
  fields?: BarcodeFields;
  /** The validation error code (BAD_FORMAT, BAD_CHECK_DIGIT, BAD_FIELD) otherwise. */
  error?: string;
}

/**
 * Reads the first Code 128 symbol and validates it as an HMS payload (22 digits, Luhn, org check).
 * When zxing finds none, the ISO/IEC 15416 scan lines are decoded by our reference decoder (it
 * reads bars that are upright, upside down or turned a quarter).
 */
export async function readHmsBarcode(image: Uint8Array | RgbaImage): Promise<HmsBarcodeRead | undefined> {
  needImage('readHmsBarcode', image);
  const img = image instanceof Uint8Array ? decodeImage(image) : image;
  const found = (await findSymbols(img, ['Code128']))[0];
  let text: string | undefined = found?.text;
  let decoder: HmsBarcodeRead['decoder'] = 'zxing';
  if (text === undefined) {
    text = gradeGrayImage(toGray(img)).text;
    decoder = 'reference';
  }
  if (text === undefined) return undefined;
  try {
    return { text, decoder, fields: parseBarcodePayload(text) };
  } catch (e) {
    if (e instanceof HmskError) return { text, decoder, error: e.code };
    throw e;
  }
}

export interface HmsBarcodeCheck extends Partial<HmsBarcodeRead> {
  found: boolean;
  /** The expected payload (from a holder or a vector's `barcode`). */
  expected: string;
  match: boolean;
}

/**
 * Reads the image and compares its payload with the expected one: a 22-digit payload (for example
 * an encode vector's `expect.barcode`) or a holder's org and card number (spec section 6).
 */
export async function checkHmsBarcode(image: Uint8Array | RgbaImage, expected: string | { orgNumber: string; cardNumber: string }): Promise<HmsBarcodeCheck> {
  needImage('checkHmsBarcode', image);
  if (typeof expected !== 'string' && (expected === null || typeof expected !== 'object')) throw argumentError('checkHmsBarcode', 'expected', 'a payload string or a holder', expected);
  const want = typeof expected === 'string' ? expected : barcodePayload(expected);
  const read = await readHmsBarcode(image);
  return { ...(read ?? {}), found: read !== undefined, expected: want, match: read?.text === want && read.fields !== undefined };
}

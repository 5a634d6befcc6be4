/**
 * Spec section 6: the printed barcode. Print rules (pure black on opaque white, whole printer dots
 * per module, quiet zone >= 10 modules per ISO/IEC 15417, mm-sized SVG) and read-back of every
 * rendered symbol through zxing-wasm and through our reference decoder.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { barcodeElements, barcodeGeometry, pngDpi, renderBarcodePng, renderBarcodeSvg } from '../../../src/barcode/render.js';
import { decodeImage, encodeJpeg, grayToRgba, toGray } from '../../../src/barcode/image.js';
import { checkHmsBarcode, findSymbols, readHmsBarcode, zxingWasmPath } from '../../../src/barcode/read.js';
import { readFileSync } from 'node:fs';
import { validateHolder } from '../../../src/codec/holder.js';
import { barcodePayload } from '../../../src/codec/barcode.js';
import { decodeCode128 } from '../../../src/barcode/code128Decoder.js';
import { drawSymbol, payloadArb } from '../../helpers/barcodeImages.js';

const EXAMPLE = '9747606730000001234566'; // spec examples.json encode-construction

/** Run lengths of one pixel row, dark = luma < 128. */
function runs(gray: { width: number; data: Uint8Array }, row: number): { dark: boolean; len: number }[] {
  const out: { dark: boolean; len: number }[] = [];
  for (let x = 0; x < gray.width; x++) {
    const dark = gray.data[row * gray.width + x] < 128;
    if (out.length && out[out.length - 1].dark === dark) out[out.length - 1].len++;
    else out.push({ dark, len: 1 });
  }
  return out;
}

describe('PNG rendering', () => {
  it('is opaque pure black and white, X = xDots pixels, 10-module quiet zones, pHYs = dpi', async () => {
    const png = await renderBarcodePng(EXAMPLE, { dpi: 300, xDots: 3, heightMm: 10 });
    const img = decodeImage(png);
    // 156 modules (Start C + 11 pairs + check = 13 characters of 11, stop 13) + 2 x 10 quiet = 176 x 3 px.
    expect(img.width).toBe(176 * 3);
    expect(img.height).toBe(118); // 10 mm at 300 dpi = 118.1 dots
    expect(pngDpi(png)).toBe(300);
    const colours = new Set<string>();
    for (let i = 0; i < img.data.length; i += 4) colours.add(Array.from(img.data.subarray(i, i + 4)).join(','));
    expect([...colours].sort()).toEqual(['0,0,0,255', '255,255,255,255']);
    const r = runs(toGray(img), 50);
    expect(r[0]).toEqual({ dark: false, len: 30 });
    expect(r[r.length - 1]).toEqual({ dark: false, len: 30 });
    expect(r.slice(1, -1).map((x) => x.len / 3)).toEqual(barcodeElements(EXAMPLE));
  });

  it('keeps whole dots at other resolutions (600 dpi, 5 dots) and refuses fractional dots or short quiet zones', async () => {
    const g = barcodeGeometry(EXAMPLE, { dpi: 600, xDots: 5 });
    expect(g.moduleMm).toBeCloseTo(0.21167, 5); // 5 / 600 in = 0.2117 mm
    const img = decodeImage(await renderBarcodePng(EXAMPLE, { dpi: 600, xDots: 5 }));
    expect(img.width).toBe(176 * 5);
    await expect(renderBarcodePng(EXAMPLE, { xDots: 2.5 })).rejects.toThrow(RangeError);
    await expect(renderBarcodePng(EXAMPLE, { quietZone: 9 })).rejects.toThrow(RangeError);
  });

  it('refuses a payload that fails section 6 validation', async () => {
    await expect(renderBarcodePng('9747606730000001234567')).rejects.toMatchObject({ code: 'BAD_CHECK_DIGIT' });
  });

  it('does not depend on bwip-js leaving options alone (two renders are identical)', async () => {
    const a = await renderBarcodePng(EXAMPLE);
    const b = await renderBarcodePng(EXAMPLE);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe('SVG rendering', () => {
  it('is sized in millimetres with bars at multiples of X', () => {
    const svg = renderBarcodeSvg(EXAMPLE, { dpi: 300, xDots: 3, heightMm: 12 });
    // 176 modules x 0.254 mm = 44.704 mm.
    expect(svg).toMatch(/width="44\.704mm" height="12mm" viewBox="0 0 44\.704 12"/);
    const first = /<rect x="([\d.]+)" y="0" width="([\d.]+)"/.exec(svg.slice(svg.indexOf('<g')));
    expect(first?.slice(1)).toEqual(['2.54', '0.508']); // quiet zone 10 X, start bar 2 X
    expect(svg).not.toMatch(/<text/);
  });
});

describe('read-back', () => {
  it('loads the zxing reader wasm from node_modules, fetching nothing', async () => {
    expect(zxingWasmPath()).toMatch(/node_modules\/zxing-wasm\/dist\/reader\/zxing_reader\.wasm$/);
    // The first zxing call of this test file (one process per file): any fetch would throw.
    const realFetch = globalThis.fetch;
    let fetched = 0;
    globalThis.fetch = (() => {
      fetched++;
      throw new Error('no network in this test');
    }) as typeof fetch;
    try {
      expect((await readHmsBarcode(await renderBarcodePng(EXAMPLE)))?.text).toBe(EXAMPLE);
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(fetched).toBe(0);
  });

  it('renders every spec encode vector from its holder and reads back its expected barcode', async () => {
    const examples = JSON.parse(readFileSync(new URL('../../../test-vectors/spec-examples.json', import.meta.url), 'utf8')) as {
      vectors: { kind: string; input: { holder: unknown }; expect: { barcode?: string; error?: string } }[];
    };
    const vectors = examples.vectors.filter((v) => v.kind === 'encode' && v.expect.barcode);
    expect(vectors.length).toBeGreaterThanOrEqual(2);
    for (const v of vectors) {
      const holder = validateHolder(v.input.holder);
      const png = await renderBarcodePng(barcodePayload(holder));
      expect(await checkHmsBarcode(png, v.expect.barcode!)).toMatchObject({ found: true, match: true });
      expect(await checkHmsBarcode(png, holder)).toMatchObject({ match: true });
    }
    const other = await checkHmsBarcode(await renderBarcodePng(EXAMPLE), '9236090160000000047112');
    expect(other).toMatchObject({ found: true, match: false, text: EXAMPLE });
  });

  it('every rendered barcode decodes through zxing-wasm and through our reference decoder', async () => {
    await fc.assert(
      fc.asyncProperty(payloadArb, fc.integer({ min: 1, max: 4 }), async (p, xDots) => {
        const png = await renderBarcodePng(p, { xDots, dpi: 300 });
        const read = await readHmsBarcode(png);
        expect(read?.text).toBe(p);
        expect(read?.fields).toBeDefined();
        const gray = toGray(decodeImage(png));
        const r = runs(gray, gray.height >> 1);
        const ours = decodeCode128(r.slice(1, -1).map((x) => x.len));
        expect(ours.ok && ours.text).toBe(p);
      }),
      { numRuns: 25 },
    );
  });

  it('falls back to the reference decoder for 1.5-pixel modules (zxing-wasm 3.1.4 reads none)', async () => {
    // Drawn at 3 px per module, then each pixel pair averaged: X = 1.5 px, every other edge grey 50 %.
    const big = drawSymbol(barcodeElements(EXAMPLE), { px: 3, margin: 20 });
    const w = big.width / 2;
    const data = new Uint8Array(w * big.height);
    for (let y = 0; y < big.height; y++) for (let x = 0; x < w; x++) data[y * w + x] = Math.round((big.data[y * big.width + 2 * x] + big.data[y * big.width + 2 * x + 1]) / 2);
    const img = grayToRgba({ width: w, height: big.height, data });
    const zx = await findSymbols(img, ['Code128']);
    const read = await readHmsBarcode(img);
    expect(read).toMatchObject({ text: EXAMPLE, decoder: zx.length ? 'zxing' : 'reference' });
  });

  it('reads a JPEG of the barcode and reports a payload that fails validation by its code', async () => {
    const jpg = encodeJpeg(decodeImage(await renderBarcodePng(EXAMPLE)), 75);
    expect((await readHmsBarcode(jpg))?.fields).toEqual({ orgNumber: '974760673', cardNumber: '123456' });
    const none = await findSymbols(encodeJpeg({ width: 64, height: 64, data: new Uint8Array(64 * 64).fill(255) }));
    expect(none).toEqual([]);
  });
});

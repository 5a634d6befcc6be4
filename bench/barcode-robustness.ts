/**
 * `node --import tsx bench/barcode-robustness.ts [N]`: decode success rate of the rendered HMS
 * barcode (spec section 6) under rotation, scale, blur, noise and JPEG compression, through
 * zxing-wasm and through our reference decoder (via the ISO/IEC 15416 grader, which scans
 * rows, or columns when no row decodes, so it fails on skewed images), readHmsBarcode (zxing, then
 * the reference decoder), plus the mean grade.
 * Base image: 300 dpi, X = 2 dots (0.169 mm, a small but common X), 10 X quiet zones, 40 px white
 * border. N payloads per condition (default 12). Writes bench/barcode-results.json.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { payloads } from './cases/barcode.js';
import { gaussianBlur, noise, pad, rotate, scale } from './barcodeImageOps.js';
import { renderBarcodePng } from '../src/barcode/render.js';
import { decodeImage, encodeJpeg, grayToRgba, toGray, type GrayImage } from '../src/barcode/image.js';
import { findSymbols, readHmsBarcode } from '../src/barcode/read.js';
import { gradeGrayImage } from '../src/barcode/grade/index.js';

type Op = { transform: string; param: number | string; apply: (g: GrayImage, seed: number) => GrayImage };

const ops: Op[] = [
  { transform: 'none', param: '-', apply: (g) => g },
  ...[2, 5, 10, 20, 30, 45, 90, 180].map((d) => ({ transform: 'rotate-deg', param: d, apply: (g: GrayImage) => rotate(g, d) })),
  ...[0.5, 0.75, 1.5, 2].map((f) => ({ transform: 'scale', param: f, apply: (g: GrayImage) => scale(g, f) })),
  ...[0.5, 1, 1.5, 2, 3].map((s) => ({ transform: 'gaussian-blur-sigma-px', param: s, apply: (g: GrayImage) => gaussianBlur(g, s) })),
  ...[10, 25, 40, 60, 90].map((s) => ({ transform: 'noise-sigma-grey', param: s, apply: (g: GrayImage, seed: number) => noise(g, s, seed) })),
  ...[50, 20, 5].map((q) => ({ transform: 'jpeg-quality', param: q, apply: (g: GrayImage) => toGray(decodeImage(encodeJpeg(g, q))) })),
];

async function main(n: number): Promise<void> {
  const P = payloads(n, 99);
  const base: GrayImage[] = [];
  const tRender: number[] = [];
  for (const p of P) {
    const t = performance.now();
    const png = await renderBarcodePng(p, { dpi: 300, xDots: 2 });
    tRender.push(performance.now() - t);
    base.push(pad(toGray(decodeImage(png)), 40));
  }
  const rows = [];
  const tZxing: number[] = [];
  for (const op of ops) {
    let zx = 0;
    let ref = 0;
    let gradeSum = 0;
    let combined = 0;
    for (let k = 0; k < P.length; k++) {
      const img = op.apply(base[k], k + 1);
      const t = performance.now();
      const found = await findSymbols(grayToRgba(img), ['Code128']);
      if (op.transform === 'none') tZxing.push(performance.now() - t);
      if (found[0]?.text === P[k]) zx++;
      const g = gradeGrayImage(img);
      if (g.text === P[k]) ref++;
      if ((await readHmsBarcode(grayToRgba(img)))?.text === P[k]) combined++;
      gradeSum += g.grade;
    }
    const row = { transform: op.transform, param: op.param, n: P.length, zxingRate: zx / P.length, referenceRate: ref / P.length, readHmsBarcodeRate: combined / P.length, meanGrade: Math.round((gradeSum / P.length) * 100) / 100 };
    rows.push(row);
    process.stdout.write(`${op.transform.padEnd(24)} ${String(op.param).padStart(5)}  zxing ${(row.zxingRate * 100).toFixed(0).padStart(3)}%  reference ${(row.referenceRate * 100).toFixed(0).padStart(3)}%  readHmsBarcode ${(row.readHmsBarcodeRate * 100).toFixed(0).padStart(3)}%  grade ${row.meanGrade.toFixed(2)}\n`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const out = {
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores)`,
    date: new Date().toISOString(),
    base: { dpi: 300, xDots: 2, moduleMm: 0.1693, quietZoneModules: 10, borderPx: 40 },
    medianRenderMs: Math.round(median(tRender) * 100) / 100,
    medianZxingDecodeMs: Math.round(median(tZxing) * 100) / 100,
    conditions: rows,
  };
  const file = join(resolve(import.meta.dirname), 'barcode-results.json');
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  process.stdout.write(`render ${out.medianRenderMs} ms, zxing decode ${out.medianZxingDecodeMs} ms (medians); wrote ${file}\n`);
}

await main(Number(process.argv[2] ?? 12));

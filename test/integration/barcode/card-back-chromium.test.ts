/**
 * The card-back SVG as a browser renders it: opened in a real headless Chromium (Debian package
 * `chromium`), screenshotted at 300 dpi, and the screenshot decoded by zxing-wasm and by our own
 * ISO/IEC 15417 reference decoder (through the ISO/IEC 15416 grader). Skipped only when Chromium is
 * missing outside CI; in CI a missing Chromium fails the suite.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cardBackLayout, cardBackSvg } from '../../../src/barcode/cardBack.js';
import { findChromium, screenshotSvg } from '../../../src/barcode/chromium.js';
import { findSymbols } from '../../../src/barcode/read.js';
import { gradeImage } from '../../../src/barcode/grade/fromImage.js';
import { validateHolder } from '../../../src/codec/holder.js';

const chromium = await findChromium();
const examples = JSON.parse(readFileSync(new URL('../../../test-vectors/spec-examples.json', import.meta.url), 'utf8')) as {
  vectors: { id: string; input: { holder: unknown }; expect: { barcode?: string } }[];
};

describe('card back in headless Chromium', () => {
  it.skipIf(!chromium && !process.env.CI)(`screenshot decodes (${chromium ?? 'SKIPPED: chromium not installed; apt-get install chromium'})`, async () => {
    expect(chromium, 'CI must have chromium (Debian package chromium)').toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'hmskort-cardback-'));
    try {
      for (const id of ['encode-construction', 'encode-cleaning-leading-zeros']) {
        const v = examples.vectors.find((x) => x.id === id)!;
        const layout = cardBackLayout(validateHolder(v.input.holder), { qrUrlTemplate: 'https://hms.example/verify/{payload}' });
        const svg = join(dir, `${id}.svg`);
        writeFileSync(svg, cardBackSvg(layout));
        const png = await screenshotSvg(svg, { widthMm: layout.widthMm, heightMm: layout.heightMm, dpi: 300, chromium });
        const found = await findSymbols(png);
        expect(found.find((f) => f.format === 'Code128')?.text).toBe(v.expect.barcode);
        expect(found.find((f) => f.format === 'QRCode')?.text).toBe(`https://hms.example/verify/${v.expect.barcode}`);
        // Our reference decoder reads every scan line of the screenshot.
        const g = gradeImage(png, { dpi: 300 });
        expect(g.text).toBe(v.expect.barcode);
        expect(g.lines.every((l) => l.text === v.expect.barcode)).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

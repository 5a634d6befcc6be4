/**
 * ISO/IEC 15416 print-quality grading of generated images with known defects. Every expected
 * value below is worked out by hand from the image construction and the standard's thresholds:
 *   Rmin <= 0.5 Rmax -> A else F;  SC: A >= 70 %, B >= 55 %, C >= 40 %, D >= 20 %;
 *   ECmin >= 15 % -> A else F;     MOD = ECmin/SC: A >= .70, B >= .60, C >= .50, D >= .40;
 *   Defects = ERNmax/SC: A <= .15, B <= .20, C <= .25, D <= .30;
 *   V: A >= .62, B >= .50, C >= .37, D >= .25;  scan line = lowest; symbol = mean (A=4 .. F=0).
 * Images: the spec example payload's elements (bwip-js), drawn with `drawSymbol` (px pixels per
 * module, 10-module quiet zones, 60 bar rows starting at row 4), no aperture.
 */
import { describe, expect, it } from 'vitest';
import { barcodeElements, renderBarcodePng } from '../../../../src/barcode/render.js';
import { gradeGrayImage, transpose } from '../../../../src/barcode/grade/index.js';
import { gradeImage } from '../../../../src/barcode/grade/fromImage.js';
import { scanRows } from '../../../../src/barcode/grade/profile.js';
import { boxBlurX, cropX, drawSymbol, fillRect } from '../../../helpers/barcodeImages.js';

const EXAMPLE = '9747606730000001234566';
const EL = barcodeElements(EXAMPLE);
const grades = (g: ReturnType<typeof gradeGrayImage>) => g.lines.map((l) => l.grade);

describe('ISO/IEC 15416 grading', () => {
  it('places ten scan lines over 10-90 % of the bar height', () => {
    // Bars at rows 4..63 (60 rows): y_i = floor(4 + 60 * (0.1 + 0.08 (i + 0.5))) = floor(12.4 + 4.8 i)
    // = 12.4, 17.2, 22.0, 26.8, 31.6, 36.4, 41.2, 46.0, 50.8, 55.6.
    expect(scanRows({ top: 4, bottom: 63 })).toEqual([12, 17, 22, 26, 31, 36, 41, 46, 50, 55]);
  });

  it('a clean black-on-white symbol grades 4.0 (A) with X = 3 px and 10 X quiet zones', () => {
    // Rmax 100 %, Rmin 0 %: SC 100 % A, ECmin 100 % A, MOD 1 A, no inner peaks/valleys (defects 0)
    // A, edges on pixel boundaries so V = 1 A, decodes A.
    const g = gradeGrayImage(drawSymbol(EL, { px: 3 }));
    expect(g).toMatchObject({ grade: 4, letter: 'A', text: EXAMPLE, moduleWidthPx: 3, quietZoneLeft: 10, quietZoneRight: 10, formatted: '4.0/-/-' });
    expect(g.lines[0]).toMatchObject({ symbolContrast: 1, edgeContrastMin: 1, modulation: 1, defects: 0, decodability: 1 });
  });

  it('low contrast (bars 60, spaces 200 of 255) grades 2.0 (C) on symbol contrast', () => {
    // SC = 140/255 = 54.9 % -> C; Rmin 60 <= 100 = 0.5 Rmax -> A; ECmin = SC = 54.9 % -> A; MOD 1 -> A.
    const g = gradeGrayImage(drawSymbol(EL, { px: 3, bar: 60, space: 200 }));
    expect(g.lines[0].symbolContrast).toBeCloseTo(140 / 255, 9);
    expect(g.lines.every((l) => l.grades.symbolContrast === 2 && l.grades.rMin === 4 && l.grade === 2)).toBe(true);
    expect(g).toMatchObject({ grade: 2, letter: 'C' });
  });

  it('grey bars (140 on 230) fail Rmin <= 0.5 Rmax: 0.0 (F)', () => {
    // Rmin 140 > 115 = 0.5 * 230 -> F (SC = 90/255 = 35.3 % would be D).
    const g = gradeGrayImage(drawSymbol(EL, { px: 3, bar: 140, space: 230 }));
    expect(g.lines[0].grades).toMatchObject({ rMin: 0, symbolContrast: 1 });
    expect(g).toMatchObject({ grade: 0, letter: 'F' });
  });

  it('a light spot in a space over the top half of the bars: 5 lines C, 5 lines A = 3.0 (B)', () => {
    // First 3-module space (9 px): grey 200 on its middle 3 px, rows 4..33. The profile of the
    // space is 255 255 255 200 200 200 255 255 255: one inner valley, ERN = (255-200)/255 = 0.216,
    // Defects = 0.216 / 1.0 -> C. Its Rs stays 255, so EC and MOD are untouched.
    // Scan rows 12, 17, 22, 26, 31 cross the spot (C = 2), 36..55 do not (A = 4): mean 3.0.
    const img = drawSymbol(EL, { px: 3 });
    const i = EL.findIndex((w, k) => k % 2 === 1 && w === 3);
    const x0 = (10 + EL.slice(0, i).reduce((a, b) => a + b, 0)) * 3;
    fillRect(img, x0 + 3, 4, 3, 30, 200);
    const g = gradeGrayImage(img);
    expect(g.lines[0].defects).toBeCloseTo(55 / 255, 9);
    expect(grades(g)).toEqual([2, 2, 2, 2, 2, 4, 4, 4, 4, 4]);
    expect(g).toMatchObject({ grade: 3, letter: 'B' });
  });

  it('a quiet zone cut to 3 modules fails the reference decode: 0.0 (F), quiet zone measured 3 X', () => {
    // Crop the left 7 of the 10 quiet-zone modules (21 px at 3 px/module).
    const g = gradeGrayImage(cropX(drawSymbol(EL, { px: 3 }), 21, 176 * 3));
    expect(g.lines[0]).toMatchObject({ failure: 'quiet zone below 10 modules', quietZoneLeft: 3, quietZoneRight: 10 });
    expect(g.lines[0].grades.decode).toBe(0);
    expect(g).toMatchObject({ grade: 0, letter: 'F' });
  });

  it('blur: a 7-pixel box blur on 5 px modules grades 1.0 (D) on modulation', () => {
    // Radius 3 < 5 px, so each pixel's window reaches into one neighbour only. A 1-module space
    // peaks at 5/7 (255 * 5/7 = 182), a 1-module bar bottoms at 2/7 (73): EC = 109/255 = 42.7 %
    // (A), wide elements still reach 0 and 255 so SC = 100 %, MOD = 0.427 -> D. Each boundary
    // pixel pair is 3/7 | 4/7 (109 | 146), crossing 127.5 exactly on the boundary: V = 1.
    // Profiles rise and fall monotonically inside each element: defects 0.
    const g = gradeGrayImage(boxBlurX(drawSymbol(EL, { px: 5 }), 7));
    expect(g.lines[0].edgeContrastMin).toBeCloseTo(109 / 255, 9);
    expect(g.lines[0].grades).toEqual({ decode: 4, rMin: 4, symbolContrast: 4, edgeContrastMin: 4, modulation: 1, defects: 4, decodability: 4 });
    expect(g).toMatchObject({ grade: 1, letter: 'D', text: EXAMPLE });
  });

  it('heavy blur: a 7-pixel box blur on 4 px modules fails edge contrast: 0.0 (F)', () => {
    // 1-module space peaks at 4/7 (146), 1-module bar bottoms at 3/7 (109): EC = 37/255 = 14.5 %
    // < 15 % -> F, MOD 0.145 -> F. Still decodes (146 > 127.5 > 109).
    const g = gradeGrayImage(boxBlurX(drawSymbol(EL, { px: 4 }), 7));
    expect(g.lines[0].edgeContrastMin).toBeCloseTo(37 / 255, 9);
    expect(g.lines[0].grades).toMatchObject({ decode: 4, edgeContrastMin: 0, modulation: 0 });
    expect(g).toMatchObject({ grade: 0, letter: 'F' });
  });

  it('decodability: one edge moved by a third of a module on every line gives V = 1/3 (D)', () => {
    // 3 px modules; move the edge after the first 1-module space of the first data character by
    // 1 px. As in test/unit/barcode/barcode-code128.test.ts the worst e_i is off by 1/3 module: V = 1 - 2/3 = 0.333 -> D.
    const w = [...EL];
    const k = 6 + w.slice(6, 12).findIndex((x, j) => j % 2 === 1 && x === 1);
    const img = drawSymbol(EL, { px: 3 });
    const x0 = (10 + EL.slice(0, k + 1).reduce((a, b) => a + b, 0)) * 3; // start of the bar after that space
    fillRect(img, x0, 4, 1, 60, 255); // the space grows by 1 px into the next bar
    const g = gradeGrayImage(img);
    expect(g.lines[0].decodability).toBeCloseTo(1 / 3, 9);
    expect(g).toMatchObject({ grade: 1, letter: 'D' });
  });

  it('a symbol with horizontal bars (turned a quarter) is graded across its bars: 4.0', () => {
    const g = gradeGrayImage(transpose(drawSymbol(EL, { px: 3 })));
    expect(g).toMatchObject({ grade: 4, rotated: true, text: EXAMPLE });
  });

  it('other print on the scan lines beyond the quiet zone is left out of the profile: 4.0', () => {
    // 30-module quiet zones; symbol bars end at (30 + 156) * 3 = 558 px. Two foreign marks 15 and
    // 19 modules right of it (603..609 px, 615..618 px) on every bar row. The graded window runs
    // from the light run before the symbol to the one after it: quiet zones 30 X and 15 X, all A.
    const img = drawSymbol(EL, { px: 3, quiet: 30 });
    fillRect(img, 603, 4, 6, 60, 0);
    fillRect(img, 615, 4, 3, 60, 0);
    const g = gradeGrayImage(img);
    expect(g).toMatchObject({ grade: 4, text: EXAMPLE, quietZoneLeft: 30, quietZoneRight: 15 });
  });

  it('an image without a barcode grades 0.0 with no text', () => {
    const g = gradeGrayImage({ width: 50, height: 20, data: new Uint8Array(1000).fill(255) });
    expect(g).toMatchObject({ grade: 0, letter: 'F', lines: [] });
    expect(g.text).toBeUndefined();
  });

  it('grades the rendered PNG with its pHYs dpi and reports grade/aperture/wavelength', async () => {
    const png = await renderBarcodePng(EXAMPLE, { dpi: 300, xDots: 3 });
    // Aperture 5 mils = 1.5 px at 300 dpi: the disc holds the centre pixel only, the image is unchanged.
    const g = gradeImage(png, { apertureMils: 5, wavelengthNm: 660 });
    expect(g).toMatchObject({ grade: 4, formatted: '4.0/05/660', dpi: 300, moduleWidthPx: 3 });
    expect(g.moduleWidthMm).toBeCloseTo(0.254, 6);
    expect(g.barHeightMm).toBeCloseTo((118 * 25.4) / 300, 6);
  });
});

/**
 * Print-quality grade of a linear barcode image after ISO/IEC 15416: ten scan lines across the
 * inspection band, each graded by its lowest parameter (scanLine.ts), the symbol grade the mean of
 * the scan-line grades, reported as grade/aperture/wavelength (e.g. "3.5/06/660"). When scan lines
 * decode to different data the symbol grade is 0. Pure: grey pixels in, report out (image files:
 * fromImage.ts).
 */
import type { GrayImage } from '../image.js';
import { locateBars, reflectanceProfile, scanRows } from './profile.js';
import { gradeProfile, type ScanLineResult } from './scanLine.js';
import { letter, type Letter } from './thresholds.js';
import { needOptions, needPixels } from '../../codec/guard.js';

export { gradeRmin, gradeSymbolContrast, gradeEdgeContrast, gradeModulation, gradeDefects, gradeDecodability, letter, type Letter } from './thresholds.js';
export type { ScanLineResult, ParameterGrades } from './scanLine.js';

export interface GradeOptions {
  /** Image resolution; read from the PNG pHYs chunk when not given. */
  dpi?: number;
  /** Measuring aperture diameter in thousandths of an inch (ISO/IEC 15416 reference number, e.g. 6 = 0.15 mm). Needs the dpi. */
  apertureMils?: number;
  /** Light wavelength in nm, when known (reported only: an image has no spectrum). */
  wavelengthNm?: number;
  /** Number of scan lines (ISO/IEC 15416: 10). */
  lines?: number;
}

export interface SymbolGrade {
  /** Mean of the scan-line grades, 0..4, one decimal. */
  grade: number;
  letter: Letter;
  /** grade/aperture/wavelength, "-" where unknown. */
  formatted: string;
  /** The decoded data when every scan line that decoded agrees. */
  text?: string;
  /** True when scan lines decoded to different data. */
  inconsistent: boolean;
  /** True when the bars were horizontal and the image was graded turned a quarter. */
  rotated?: boolean;
  dpi?: number;
  apertureMils?: number;
  wavelengthNm?: number;
  /** Average achieved module width Z over the decoded lines. */
  moduleWidthPx?: number;
  moduleWidthMm?: number;
  /** Smallest quiet zones measured, in modules. */
  quietZoneLeft?: number;
  quietZoneRight?: number;
  barHeightPx?: number;
  barHeightMm?: number;
  lines: ScanLineResult[];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The image turned a quarter (rows become columns), for symbols printed with horizontal bars. */
export function transpose(img: GrayImage): GrayImage {
  needPixels('transpose', img);
  const data = new Uint8Array(img.data.length);
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) data[x * img.height + y] = img.data[y * img.width + x];
  return { width: img.height, height: img.width, data };
}

/**
 * Grades a grey image. Scan lines run along the rows; when no row decodes, the image is graded
 * again turned a quarter (a symbol with horizontal bars). Upside-down symbols decode in reverse.
 */
export function gradeGrayImage(img: GrayImage, opts: GradeOptions = {}): SymbolGrade {
  needPixels('gradeGrayImage', img);
  needOptions('gradeGrayImage', 'opts', opts);
  const g = gradeRows(img, opts);
  if (g.lines.some((l) => l.text !== undefined)) return g;
  const t = gradeRows(transpose(img), opts);
  return t.lines.some((l) => l.text !== undefined) ? { ...t, rotated: true } : g;
}

function gradeRows(img: GrayImage, opts: GradeOptions): SymbolGrade {
  const dpi = opts.dpi;
  const aperturePx = opts.apertureMils && dpi ? (opts.apertureMils / 1000) * dpi : undefined;
  const bars = locateBars(img);
  const rows = bars ? scanRows(bars, opts.lines ?? 10) : [];
  const lines = rows.map((y) => gradeProfile(reflectanceProfile(img, y, aperturePx), y));
  const texts = new Set(lines.flatMap((l) => (l.text === undefined ? [] : [l.text])));
  const inconsistent = texts.size > 1;
  const grade = lines.length && !inconsistent ? Math.round(mean(lines.map((l) => l.grade)) * 10) / 10 : 0;
  const decoded = lines.filter((l) => l.moduleWidthPx !== undefined);
  const z = decoded.length ? mean(decoded.map((l) => l.moduleWidthPx!)) : undefined;
  const ap = opts.apertureMils !== undefined && dpi ? String(opts.apertureMils).padStart(2, '0') : '-';
  const barHeightPx = bars ? bars.bottom - bars.top + 1 : undefined;
  return {
    grade,
    letter: letter(grade),
    formatted: `${grade.toFixed(1)}/${ap}/${opts.wavelengthNm ?? '-'}`,
    ...(texts.size === 1 ? { text: [...texts][0] } : {}),
    inconsistent,
    ...(dpi ? { dpi } : {}),
    ...(ap !== '-' ? { apertureMils: opts.apertureMils } : {}),
    ...(opts.wavelengthNm ? { wavelengthNm: opts.wavelengthNm } : {}),
    ...(z ? { moduleWidthPx: z, ...(dpi ? { moduleWidthMm: (z * 25.4) / dpi } : {}) } : {}),
    ...(decoded.length
      ? { quietZoneLeft: Math.min(...decoded.map((l) => l.quietZoneLeft!)), quietZoneRight: Math.min(...decoded.map((l) => l.quietZoneRight!)) }
      : {}),
    ...(barHeightPx ? { barHeightPx, ...(dpi ? { barHeightMm: (barHeightPx * 25.4) / dpi } : {}) } : {}),
    lines,
  };
}

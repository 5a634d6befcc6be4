/**
 * ISO/IEC 15416 grade thresholds for linear symbols (scan reflectance profile parameters). Grades
 * are numbers 4 (A) .. 0 (F); a scan line takes the lowest of its parameter grades and the symbol
 * the mean over its scan lines. This is the discrete (letter-step) grading of the standard; the
 * 2016 edition's interpolated fractional grades are not applied.
 */
import { argumentError, needNumber } from '../../codec/guard.js';

export type Letter = 'A' | 'B' | 'C' | 'D' | 'F';

/**
 * A measured parameter to 1e-9 before it meets a threshold: values computed in binary floating
 * point land a few ulps off the decimal they stand for (V = 1 - 2 |11 * 438 / 2200 - 2| is
 * 0.6199999999999999, not 0.62), and the standard's thresholds include their boundary. No pixel
 * measurement is that fine (test/unit/barcode/grade/barcode-grade-boundaries.test.ts grades at each threshold).
 */
function q(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/** Rmin <= 0.5 Rmax: A, else F. */
export function gradeRmin(rMin: number, rMax: number): number {
  needNumber('gradeRmin', 'rMin', rMin);
  needNumber('gradeRmin', 'rMax', rMax);
  return q(rMin) <= q(0.5 * rMax) ? 4 : 0;
}

/** Symbol contrast SC = Rmax - Rmin: A >= 70 %, B >= 55 %, C >= 40 %, D >= 20 %, else F. */
export function gradeSymbolContrast(measured: number): number {
  needNumber('gradeSymbolContrast', 'sc', measured);
  const sc = q(measured);
  return sc >= 0.7 ? 4 : sc >= 0.55 ? 3 : sc >= 0.4 ? 2 : sc >= 0.2 ? 1 : 0;
}

/** Minimum edge contrast ECmin: A >= 15 %, else F. */
export function gradeEdgeContrast(ecMin: number): number {
  needNumber('gradeEdgeContrast', 'ecMin', ecMin);
  return q(ecMin) >= 0.15 ? 4 : 0;
}

/** Modulation MOD = ECmin / SC: A >= 0.70, B >= 0.60, C >= 0.50, D >= 0.40, else F. */
export function gradeModulation(measured: number): number {
  needNumber('gradeModulation', 'mod', measured);
  const mod = q(measured);
  return mod >= 0.7 ? 4 : mod >= 0.6 ? 3 : mod >= 0.5 ? 2 : mod >= 0.4 ? 1 : 0;
}

/** Defects = ERNmax / SC: A <= 0.15, B <= 0.20, C <= 0.25, D <= 0.30, else F. */
export function gradeDefects(measured: number): number {
  needNumber('gradeDefects', 'defects', measured);
  const defects = q(measured);
  return defects <= 0.15 ? 4 : defects <= 0.2 ? 3 : defects <= 0.25 ? 2 : defects <= 0.3 ? 1 : 0;
}

/** Decodability V: A >= 0.62, B >= 0.50, C >= 0.37, D >= 0.25, else F. */
export function gradeDecodability(measured: number): number {
  needNumber('gradeDecodability', 'v', measured);
  const v = q(measured);
  return v >= 0.62 ? 4 : v >= 0.5 ? 3 : v >= 0.37 ? 2 : v >= 0.25 ? 1 : 0;
}

/** A numeric grade (a scan line's, or the symbol's mean) as a letter: A >= 3.5, B >= 2.5, C >= 1.5, D >= 0.5. */
export function letter(grade: number): Letter {
  // A grade or a mean of grades: ISO/IEC 15416 takes the overall grade as the mean of the scan grades.
  needNumber('letter', 'grade', grade);
  if (!(grade >= 0 && grade <= 4)) throw argumentError('letter', 'grade', 'a grade from 0 to 4', grade);
  return grade >= 3.5 ? 'A' : grade >= 2.5 ? 'B' : grade >= 1.5 ? 'C' : grade >= 0.5 ? 'D' : 'F';
}

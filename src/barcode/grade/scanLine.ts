/**
 * One scan reflectance profile graded after ISO/IEC 15416 section 5.4: Rmin, Rmax, symbol contrast,
 * global threshold, element edges, minimum edge contrast, modulation, element reflectance
 * non-uniformity (defects), quiet zones, reference decode (our Code 128 decoder, ISO/IEC 15417)
 * and decodability. Values are fractions (0.55 = 55 %).
 */
import { decodeCode128 } from '../code128Decoder.js';
import { MIN_QUIET_ZONE } from '../code128Table.js';
import { gradeDecodability, gradeDefects, gradeEdgeContrast, gradeModulation, gradeRmin, gradeSymbolContrast } from './thresholds.js';

export interface ParameterGrades {
  decode: number;
  rMin: number;
  symbolContrast: number;
  edgeContrastMin: number;
  modulation: number;
  defects: number;
  decodability: number;
}

export interface ScanLineResult {
  row: number;
  rMin: number;
  rMax: number;
  symbolContrast: number;
  globalThreshold: number;
  edgeContrastMin: number;
  modulation: number;
  ernMax: number;
  defects: number;
  decodability: number;
  /** Decoded text when the reference decode succeeded. */
  text?: string;
  /** Why the reference decode failed (F for decode). */
  failure?: string;
  /** Average achieved module width Z, pixels. */
  moduleWidthPx?: number;
  /** Quiet zones in modules (measured to the image edge when the image ends first). */
  quietZoneLeft?: number;
  quietZoneRight?: number;
  elements: number;
  grades: ParameterGrades;
  /** The lowest parameter grade. */
  grade: number;
}

interface Run {
  dark: boolean;
  from: number;
  to: number; // inclusive sample indices
  lo: number; // edge positions (pixels; pixel i spans i..i+1)
  hi: number;
  min: number;
  max: number;
}

/** Interior local extrema of a sample run (plateaus collapsed; the run's ends never count). */
function interiorExtrema(s: ArrayLike<number>, from: number, to: number, kind: 'min' | 'max'): number[] {
  const v: number[] = [];
  for (let i = from; i <= to; i++) if (v.length === 0 || v[v.length - 1] !== s[i]) v.push(s[i]);
  const out: number[] = [];
  for (let j = 1; j < v.length - 1; j++) {
    if (kind === 'min' && v[j] < v[j - 1] && v[j] < v[j + 1]) out.push(v[j]);
    if (kind === 'max' && v[j] > v[j - 1] && v[j] > v[j + 1]) out.push(v[j]);
  }
  return out;
}

/** ERN: highest peak minus lowest valley inside one element (0 when it has no inner valley/peak). */
function ern(s: ArrayLike<number>, r: Run, from = r.from, to = r.to): number {
  if (r.dark) {
    const peaks = interiorExtrema(s, from, to, 'max');
    return peaks.length ? Math.max(...peaks) - r.min : 0;
  }
  const valleys = interiorExtrema(s, from, to, 'min');
  let max = -Infinity;
  for (let i = from; i <= to; i++) max = Math.max(max, s[i]);
  return valleys.length ? max - Math.min(...valleys) : 0;
}

function segment(p: Float64Array, gt: number): Run[] {
  const runs: Run[] = [];
  for (let i = 0; i < p.length; i++) {
    const dark = p[i] < gt;
    const last = runs[runs.length - 1];
    if (last && last.dark === dark) {
      last.to = i;
      last.min = Math.min(last.min, p[i]);
      last.max = Math.max(last.max, p[i]);
    } else {
      // Edge where the profile crosses the global threshold, interpolated between pixel centres.
      const lo = i === 0 ? 0 : i - 0.5 + (gt - p[i - 1]) / (p[i] - p[i - 1]);
      if (last) last.hi = lo;
      runs.push({ dark, from: i, to: i, lo, hi: p.length, min: p[i], max: p[i] });
    }
  }
  return runs;
}

/**
 * The runs of a Code 128 symbol among other dark runs: a bar run after a light run at least 5 of
 * the candidate start character's modules wide, ending on a bar 6k+7 elements later, that decodes.
 * Returns the sample range from the light run before to the light run after.
 */
function findSymbolWindow(runs: Run[]): { from: number; to: number } | undefined {
  for (let i = 1; i < runs.length; i++) {
    if (!runs[i].dark || runs[i - 1].dark || i + 6 > runs.length) continue;
    const s = runs.slice(i, i + 6).reduce((a, r) => a + r.hi - r.lo, 0);
    if (runs[i - 1].hi - runs[i - 1].lo < (5 * s) / 11) continue;
    for (let j = i + 24; j < runs.length; j += 6) {
      const d = decodeCode128(runs.slice(i, j + 1).map((r) => r.hi - r.lo));
      if (d.ok) return { from: runs[i - 1].from, to: j + 1 < runs.length ? runs[j + 1].to : runs[j].to };
    }
  }
  return undefined;
}

const NONE: ParameterGrades = { decode: 0, rMin: 0, symbolContrast: 0, edgeContrastMin: 0, modulation: 0, defects: 0, decodability: 0 };

/** Grades one profile of grey levels (0..255, 255 = 100 % reflectance). */
export function gradeProfile(p: Float64Array, row: number, window = false): ScanLineResult {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of p) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const sc = hi - lo;
  const gt = lo + sc / 2;
  const base = { row, rMin: lo / 255, rMax: hi / 255, symbolContrast: sc / 255, globalThreshold: gt / 255 };
  const runs = sc > 0 ? segment(p, gt) : [];
  const first = runs.findIndex((r) => r.dark);
  const last = runs.length - 1 - [...runs].reverse().findIndex((r) => r.dark);
  if (first < 0) {
    return { ...base, edgeContrastMin: 0, modulation: 0, ernMax: 0, defects: 0, decodability: 0, failure: 'no bars', elements: 0, grades: NONE, grade: 0 };
  }
  const symbol = runs.slice(first, last + 1);
  const leftQ = first > 0 ? runs[first - 1] : undefined;
  const rightQ = last < runs.length - 1 ? runs[last + 1] : undefined;
  const decoded = decodeCode128(symbol.map((r) => r.hi - r.lo));
  if (!decoded.ok && !window) {
    // Other print on the scan line (a scan of a whole card): grade the profile of the symbol and
    // its quiet zones alone, from the light run before it to the light run after it.
    const w = findSymbolWindow(runs);
    if (w) return gradeProfile(p.subarray(w.from, w.to + 1), row, true);
  }
  const x = decoded.ok ? decoded.moduleWidth : undefined;

  // Edge contrast over every bar/space boundary, the quiet zones included.
  const withQ = [...(leftQ ? [leftQ] : []), ...symbol, ...(rightQ ? [rightQ] : [])];
  let ecMin = Infinity;
  for (let i = 1; i < withQ.length; i++) {
    const [a, b] = [withQ[i - 1], withQ[i]];
    ecMin = Math.min(ecMin, a.dark ? b.max - a.min : a.max - b.min);
  }
  if (!Number.isFinite(ecMin)) ecMin = 0;

  // ERN of every element and of the quiet zones (their 10 X next to the symbol when X is known).
  let ernMax = 0;
  for (const r of symbol) ernMax = Math.max(ernMax, ern(p, r));
  const qz = x ? Math.ceil(MIN_QUIET_ZONE * x) : Infinity;
  if (leftQ) ernMax = Math.max(ernMax, ern(p, leftQ, Math.max(leftQ.from, leftQ.to - qz), leftQ.to));
  if (rightQ) ernMax = Math.max(ernMax, ern(p, rightQ, rightQ.from, Math.min(rightQ.to, rightQ.from + qz)));

  const quietZoneLeft = x ? (leftQ ? leftQ.hi - leftQ.lo : 0) / x : undefined;
  const quietZoneRight = x ? (rightQ ? rightQ.hi - rightQ.lo : 0) / x : undefined;
  let failure = decoded.ok ? undefined : decoded.reason;
  // ISO/IEC 15417: quiet zones of 10 X; a symbol without them fails the reference decode.
  if (!failure && (quietZoneLeft! < MIN_QUIET_ZONE - 1e-6 || quietZoneRight! < MIN_QUIET_ZONE - 1e-6)) failure = 'quiet zone below 10 modules';
  const v = decoded.ok ? decoded.decodability : 0;
  const grades: ParameterGrades = {
    decode: failure ? 0 : 4,
    rMin: gradeRmin(lo, hi),
    symbolContrast: gradeSymbolContrast(sc / 255),
    edgeContrastMin: gradeEdgeContrast(ecMin / 255),
    modulation: gradeModulation(sc > 0 ? ecMin / sc : 0),
    defects: gradeDefects(sc > 0 ? ernMax / sc : 1),
    decodability: gradeDecodability(v),
  };
  return {
    ...base,
    edgeContrastMin: ecMin / 255,
    modulation: sc > 0 ? ecMin / sc : 0,
    ernMax: ernMax / 255,
    defects: sc > 0 ? ernMax / sc : 1,
    decodability: v,
    ...(decoded.ok ? { text: decoded.text, moduleWidthPx: x } : {}),
    ...(failure ? { failure } : {}),
    ...(x ? { quietZoneLeft, quietZoneRight } : {}),
    elements: symbol.length,
    grades,
    grade: Math.min(...Object.values(grades)),
  };
}

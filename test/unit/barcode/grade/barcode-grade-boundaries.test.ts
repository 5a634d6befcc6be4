/**
 * ISO/IEC 15416 grading at every threshold of src/barcode/grade/thresholds.ts: for each parameter
 * and each grade step, an image built to land just below, exactly at, and just above the threshold,
 * graded through the whole pipeline (bars located, ten scan lines, profile, edges, reference
 * decode). Expected grades are the standard's table, written out here (not read from thresholds.ts):
 *   Rmin <= 0.5 Rmax -> A else F;  SC = Rmax - Rmin: A >= .70, B >= .55, C >= .40, D >= .20;
 *   ECmin >= .15 -> A else F;      MOD = ECmin / SC: A >= .70, B >= .60, C >= .50, D >= .40;
 *   Defects = ERNmax / SC: A <= .15, B <= .20, C <= .25, D <= .30;
 *   V (decodability): A >= .62, B >= .50, C >= .37, D >= .25;  grade letters from the mean:
 *   A >= 3.5, B >= 2.5, C >= 1.5, D >= 0.5.
 * Reflectance is grey / 255 (profile.ts). Levels are chosen so the threshold is a whole grey level
 * (SC 250 makes MOD steps of 1/250, SC 240 makes defect steps of 1/240); the three thresholds that
 * no 8-bit level can hit (SC .70 = 178.5, SC .55 = 140.25, EC .15 = 38.25) are graded on the scan
 * profile itself, the row such an image gives through an averaging aperture.
 * Issue 14: moving modulation B from 0.60 to 0.66, or decodability B from 0.50 to 0.45, passed the
 * suite before this file.
 */
import { describe, expect, it } from 'vitest';
import { barcodeElements } from '../../../../src/barcode/render.js';
import { gradeGrayImage, letter, type ParameterGrades } from '../../../../src/barcode/grade/index.js';
import { gradeProfile } from '../../../../src/barcode/grade/scanLine.js';
import type { GrayImage } from '../../../../src/barcode/image.js';

const EL = barcodeElements('9747606730000001234566');

interface RowSpec {
  /** Pixels per module. */
  px: number;
  bar: number;
  space: number;
  /** Grey level of single elements (index into EL). */
  levels?: Record<number, number>;
  /** Moves the boundary after element `after` right by `by` pixels (element after+1 narrower). */
  shift?: { after: number; by: number };
  /** An inner valley: `width` pixels of grey `level` centred in element `element` (a space). */
  dip?: { element: number; width: number; level: number };
}

/** One scan row: 10-module quiet zones at the space level, then the elements. */
function row(s: RowSpec): number[] {
  const widths = EL.map((w) => w * s.px);
  if (s.shift) {
    widths[s.shift.after] += s.shift.by;
    widths[s.shift.after + 1] -= s.shift.by;
  }
  const out: number[] = new Array(10 * s.px).fill(s.space);
  widths.forEach((w, i) => {
    const level = s.levels?.[i] ?? (i % 2 === 0 ? s.bar : s.space);
    const start = out.length;
    for (let k = 0; k < w; k++) out.push(level);
    if (s.dip?.element === i) for (let k = 0; k < s.dip.width; k++) out[start + ((w - s.dip.width) >> 1) + k] = s.dip.level;
  });
  for (let k = 0; k < 10 * s.px; k++) out.push(s.space);
  return out;
}

/** The row repeated over 60 bar rows, with 4 blank rows above and below. */
function image(r: number[], blank: number): GrayImage {
  const width = r.length;
  const data = new Uint8Array(width * 68).fill(blank);
  for (let y = 4; y < 64; y++) data.set(r, y * width);
  return { width, height: 68, data };
}

/** Grades of every scan line of the image (all must agree), or of the profile when a level is fractional. */
function grades(s: RowSpec): ParameterGrades & { v: number } {
  const r = row(s);
  if (r.some((x) => !Number.isInteger(x))) {
    const l = gradeProfile(Float64Array.from(r), 0);
    expect(l.failure).toBeUndefined();
    return { ...l.grades, v: l.decodability };
  }
  const g = gradeGrayImage(image(r, s.space));
  expect(g.lines).toHaveLength(10);
  for (const l of g.lines) {
    expect(l.failure).toBeUndefined();
    expect(l.grades).toEqual(g.lines[0].grades);
  }
  return { ...g.lines[0].grades, v: g.lines[0].decodability };
}

type Case = [name: string, spec: RowSpec, expected: number];

describe('ISO/IEC 15416 thresholds, just below / at / just above', () => {
  it('Rmin <= 0.5 Rmax (spaces 200): bars 99, 100 -> A, 101 -> F', () => {
    const cases: Case[] = [
      ['99', { px: 10, bar: 99, space: 200 }, 4],
      ['100 (at)', { px: 10, bar: 100, space: 200 }, 4],
      ['101', { px: 10, bar: 101, space: 200 }, 0],
    ];
    for (const [name, spec, want] of cases) expect([name, grades(spec).rMin]).toEqual([name, want]);
  });

  it('symbol contrast at .70 .55 .40 .20 (bars 0, spaces at 255 x threshold, -1, +1)', () => {
    const at = (space: number): RowSpec => ({ px: 10, bar: 0, space });
    const cases: Case[] = [
      ['.70 below', at(178), 3],
      ['.70 at', at(178.5), 4],
      ['.70 above', at(179), 4],
      ['.55 below', at(140), 2],
      ['.55 at', at(140.25), 3],
      ['.55 above', at(141), 3],
      ['.40 below', at(101), 1],
      ['.40 at', at(102), 2],
      ['.40 above', at(103), 2],
      ['.20 below', at(50), 0],
      ['.20 at', at(51), 1],
      ['.20 above', at(52), 1],
    ];
    for (const [name, spec, want] of cases) expect([name, grades(spec).symbolContrast]).toEqual([name, want]);
  });

  it('minimum edge contrast at .15 (bars 0, spaces 38, 38.25, 39)', () => {
    const cases: Case[] = [
      ['below', { px: 10, bar: 0, space: 38 }, 0],
      ['at', { px: 10, bar: 0, space: 38.25 }, 4],
      ['above', { px: 10, bar: 0, space: 39 }, 4],
    ];
    for (const [name, spec, want] of cases) expect([name, grades(spec).edgeContrastMin]).toEqual([name, want]);
  });

  it('modulation at .70 .60 .50 .40 (SC 250; one bar/space pair straddling the threshold 125)', () => {
    // Bar 8 and space 9 (first data character) at b and s, s - b = d: the lowest edge contrast is d,
    // so MOD = d / 250. Their other edges (to 0 and 250) are larger.
    const pair = (d: number): RowSpec => {
      const s = 125 + Math.ceil(d / 2);
      return { px: 10, bar: 0, space: 250, levels: { 8: s - d, 9: s } };
    };
    const cases: Case[] = [];
    for (const [t, grade] of [
      [0.7, 4],
      [0.6, 3],
      [0.5, 2],
      [0.4, 1],
    ] as const) {
      const d = t * 250;
      cases.push([`${t} below`, pair(d - 1), grade - 1], [`${t} at`, pair(d), grade], [`${t} above`, pair(d + 1), grade]);
    }
    for (const [name, spec, want] of cases) expect([name, grades(spec).modulation]).toEqual([name, want]);
  });

  it('defects at .15 .20 .25 .30 (SC 240; an inner valley in a 3-module space)', () => {
    const space = EL.findIndex((w, i) => i % 2 === 1 && w >= 3);
    const dip = (depth: number): RowSpec => ({ px: 10, bar: 0, space: 240, dip: { element: space, width: 4, level: 240 - depth } });
    const cases: Case[] = [];
    for (const [t, grade] of [
      [0.15, 4],
      [0.2, 3],
      [0.25, 2],
      [0.3, 1],
    ] as const) {
      const d = t * 240;
      cases.push([`${t} below`, dip(d - 1), grade], [`${t} at`, dip(d), grade], [`${t} above`, dip(d + 1), grade - 1]);
    }
    for (const [name, spec, want] of cases) expect([name, grades(spec).defects]).toEqual([name, want]);
  });

  it('decodability at .62 .50 .37 .25 (200 px modules; one inner edge of a character moved)', () => {
    // Moving the boundary between elements 7 and 8 (inside the first data character, whose width S
    // stays 11 modules) by k px changes e1 by +k and e3 by -k: the worst |11 e / S - E| is k / 200
    // module, and V = 1 - 2 k / 200 (ISO/IEC 15416 decodability, reference thresholds half a module
    // either side of each E).
    const moved = (k: number): RowSpec => ({ px: 200, bar: 0, space: 255, shift: { after: 7, by: k } });
    const cases: [string, number, number, number][] = [];
    for (const [t, grade] of [
      [0.62, 4],
      [0.5, 3],
      [0.37, 2],
      [0.25, 1],
    ] as const) {
      const k = Math.round(((1 - t) / 2) * 200);
      cases.push([`${t} below`, k + 1, t - 0.01, grade - 1], [`${t} at`, k, t, grade], [`${t} above`, k - 1, t + 0.01, grade]);
    }
    for (const [name, k, v, want] of cases) {
      const g = grades(moved(k));
      expect(g.v).toBeCloseTo(v, 9);
      expect([name, g.decodability]).toEqual([name, want]);
    }
  });

  it('letters of the mean grade at 3.5, 2.5, 1.5, 0.5', () => {
    const cases: [number, string][] = [
      [3.6, 'A'],
      [3.5, 'A'],
      [3.4, 'B'],
      [2.6, 'B'],
      [2.5, 'B'],
      [2.4, 'C'],
      [1.6, 'C'],
      [1.5, 'C'],
      [1.4, 'D'],
      [0.6, 'D'],
      [0.5, 'D'],
      [0.4, 'F'],
    ];
    for (const [g, l] of cases) expect([g, letter(g)]).toEqual([g, l]);
  });
});

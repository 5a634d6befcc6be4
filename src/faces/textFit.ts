/**
 * Setting a text into a box on a card face so that it never overflows, the way a person lays out a
 * long name: keep the largest size; shrink it, down to a minimum size, on one line; then wrap onto
 * two lines at a space, choosing the break that keeps the type largest (the most even lines), and
 * the break between given and family name when that costs little; a hyphen is a break only when no
 * space break reaches the minimum size; a break inside a word only when nothing else does. Below
 * the minimum the text still fits (it shrinks further) and the result says `belowMinimum`.
 *
 * Every width comes from the face's own outlines through resvg (font.ts), so a fitted line is a
 * promise about ink: each line's ink box lies inside the box, which the tests check on the raster.
 * Sizes are in the box's unit (mm on a card face).
 */
import { measureInk, type Ink } from './font.js';
import { argumentError, needNumber, needObject, needString } from '../codec/guard.js';
import { MAX_TEXT_INPUT } from '../codec/holder.js';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface FitOptions {
  /** The size to use when the text fits (font size, the box's unit). */
  maxSize: number;
  /** The smallest size before wrapping (and below which `belowMinimum` is reported). */
  minSize: number;
  bold?: boolean;
  /** 1: shrink only. Default 2. */
  maxLines?: 1 | 2;
  /** Ink flush with the box's left (start) or right (end) side. Default start. */
  anchor?: 'start' | 'end';
  /** Index of a space in the text where a break is natural (between given and family name). */
  preferBreak?: number;
}

export interface FittedLine {
  text: string;
  /** Pen position of the line (SVG text x, with text-anchor start) and its baseline. */
  x: number;
  y: number;
  /** Where its ink is. */
  ink: Box;
}

export interface FittedText {
  size: number;
  lines: FittedLine[];
  /** The text fits only below opts.minSize (a very long name, a long word). */
  belowMinimum: boolean;
}

// DejaVu Sans hhea ascender 1901 and descender -483 of 2048 units: where lines sit, so that lines
// of different texts share baselines; a glyph reaching further (stacked accents) is measured.
const ASCENT = 1901 / 2048;
const DESCENT = 483 / 2048;
/** Baseline to baseline, in font sizes. */
export const LINE_PITCH = 1.15;
/** Room kept free at the box's edges for rounding in the SVG (4 decimals) and the raster. */
const EPS = 0.01;
/** DejaVu Sans space advance, 651 of 2048 units: only for ranking breaks before measuring them. */
const SPACE = 651 / 2048;

/** The largest size (floored to 0.001) at which `lines` fit the box, and where their ink sits vertically. */
function sizeFor(lines: string[], box: Box, o: FitOptions): { size: number; top: number; inks: Ink[] } {
  const inks = lines.map((l) => measureInk(l, o.bold));
  const n = lines.length;
  let widest = 0;
  let top = ASCENT;
  let bottom = DESCENT;
  inks.forEach((k, i) => {
    widest = Math.max(widest, k.x1 - Math.min(0, k.x0));
    top = Math.max(top, -k.y0 - i * LINE_PITCH);
    bottom = Math.max(bottom, k.y1 - (n - 1 - i) * LINE_PITCH);
  });
  const byHeight = (box.h - EPS) / (top + (n - 1) * LINE_PITCH + bottom);
  const byWidth = widest > 0 ? (box.w - EPS) / widest : Infinity;
  return { size: Math.max(0, Math.floor(Math.min(o.maxSize, byHeight, byWidth) * 1000) / 1000), top, inks };
}

/** Rough width of a line in font sizes from its characters' measured ink: only to rank breaks. */
const estimate = (s: string, bold?: boolean) => [...s].reduce((a, c) => a + (c === ' ' ? SPACE : measureInk(c, bold).x1 - Math.min(0, measureInk(c, bold).x0)), 0);

interface Candidate {
  lines: string[];
  preferred: boolean;
}

/** Two-line candidates breaking at `at` (indices of the break characters); `keep` keeps the character on line 1. */
function breaks(text: string, at: number[], keep: boolean, o: FitOptions): Candidate[] {
  return at.map((i) => ({ lines: [text.slice(0, keep ? i + 1 : i), text.slice(i + 1)], preferred: i === o.preferBreak }));
}

/** The candidates measured exactly: all when few, else the 4 most even by estimate (and the preferred one). */
function best(cands: Candidate[], box: Box, o: FitOptions): { c: Candidate; size: number } | undefined {
  if (cands.length === 0) return undefined;
  let pool = cands;
  if (cands.length > 6) {
    const ranked = cands.map((c) => ({ c, e: Math.max(...c.lines.map((l) => estimate(l, o.bold))) })).sort((a, b) => a.e - b.e);
    pool = [...ranked.slice(0, 4).map((r) => r.c), ...cands.filter((c) => c.preferred)];
  }
  const sized = pool.map((c) => ({ c, size: sizeFor(c.lines, box, o).size }));
  const top = sized.reduce((a, b) => (b.size > a.size ? b : a));
  const pref = sized.find((s) => s.c.preferred && s.size >= 0.95 * top.size && s.size >= o.minSize);
  return pref ?? top;
}

function place(lines: string[], size: number, box: Box, o: FitOptions): FittedLine[] {
  const { top, inks } = sizeFor(lines, box, { ...o, maxSize: size });
  const base = box.y + EPS / 2 + top * size;
  return lines.map((text, i) => {
    const k = inks[i];
    const x = o.anchor === 'end' ? box.x + box.w - EPS / 2 - k.x1 * size : box.x + EPS / 2 - Math.min(0, k.x0) * size;
    const y = base + i * LINE_PITCH * size;
    return { text, x, y, ink: { x: x + k.x0 * size, y: y + k.y0 * size, w: (k.x1 - k.x0) * size, h: (k.y1 - k.y0) * size } };
  });
}

export function fitText(raw: string, box: Box, o: FitOptions): FittedText {
  needString('fitText', 'text', raw);
  if (raw.length > MAX_TEXT_INPUT) throw argumentError('fitText', 'text', `at most ${MAX_TEXT_INPUT} characters`, raw);
  needObject('fitText', 'box', box);
  needObject('fitText', 'opts', o);
  for (const k of ['x', 'y', 'w', 'h'] as const) needNumber('fitText', `box.${k}`, box[k]);
  if (!(box.w > 0 && box.h > 0)) throw argumentError('fitText', 'box', 'a box of positive width and height', box);
  needNumber('fitText', 'opts.maxSize', o.maxSize);
  needNumber('fitText', 'opts.minSize', o.minSize);
  if (!(o.maxSize > 0 && o.minSize > 0 && o.minSize <= o.maxSize)) throw argumentError('fitText', 'opts', 'sizes 0 < minSize <= maxSize', o);
  // Runs of spaces collapse, as SVG shows them (xml:space default) and as a person would type them.
  const text = raw.replace(/ {2,}/g, ' ');
  const done = (lines: string[], size: number): FittedText => ({ size, lines: place(lines, size, box, o), belowMinimum: size < o.minSize });
  const one = sizeFor([text], box, o).size;
  if (one >= o.minSize || o.maxLines === 1) return done([text], one);
  const at = (re: RegExp) => [...text.matchAll(re)].map((m) => m.index).filter((i) => i > 0 && i < text.length - 1);
  const options = [{ c: { lines: [text], preferred: false }, size: one }];
  for (const [re, keep] of [[/ /g, false], [/-/g, true]] as const) {
    const b = best(breaks(text, at(re), keep, o), box, o);
    if (b && b.size >= o.minSize) return done(b.c.lines, b.size);
    if (b) options.push(b);
  }
  // Last resort, one long word: break inside it, at the most even point by character count.
  const chars = [...text];
  if (chars.length > 1) {
    const mid = Math.round(chars.length / 2);
    const cands = [mid - 1, mid, mid + 1]
      .map((i) => ({ lines: [chars.slice(0, i).join('').trimEnd(), chars.slice(i).join('').trimStart()], preferred: false }))
      .filter((c) => c.lines.every((l) => l.length > 0));
    const b = best(cands, box, o);
    if (b) options.push(b);
  }
  const pick = options.reduce((a, b) => (b.size > a.size ? b : a));
  return done(pick.c.lines, pick.size);
}

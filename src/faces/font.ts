/**
 * The one font the card faces are set in, and its measurement: DejaVu Sans (Debian package
 * fonts-dejavu-core, /usr/share/fonts/truetype/dejavu), loaded into @resvg/resvg-js with system
 * fonts off, so the SVG that is measured and the SVG that is rasterised for the printer use the same
 * outlines and the same shaper (rustybuzz, kerning on). Measuring through the renderer rather than a
 * second font library (fontkit, opentype.js) means a width can never disagree with the pixels.
 *
 * Cost (measured, this machine): one measurement is a Resvg parse + text layout, about 1.4 ms, most of
 * it loading the face; so each string is measured once, at 100 units, and cached: glyph outlines
 * scale linearly (no hinting: resvg draws outlines as paths), which the tests check (textFit.test.ts).
 */
import { existsSync } from 'node:fs';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';

/** Where Debian's fonts-dejavu-core puts the faces; $HMSKORT_FONT_DIR overrides (other systems). */
export const FONT_DIR = process.env.HMSKORT_FONT_DIR ?? '/usr/share/fonts/truetype/dejavu';
export const FONT_FAMILY = 'DejaVu Sans';
const FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

/** The font faces are missing: kind 'config' (the machine lacks fonts-dejavu-core). */
export class FaceFontError extends Error {
  override readonly name = 'FaceFontError';
  readonly code = 'NO_FONT';
  get kind(): 'config' {
    return 'config';
  }
}

let checked = false;

/** Whether the faces are installed (for callers with a fallback; faceFontOptions throws instead). */
export function hasFaceFont(): boolean {
  return checked || FILES.every((f) => existsSync(`${FONT_DIR}/${f}`));
}

/** resvg options every face render and measurement uses: the two DejaVu Sans faces, nothing else. */
export function faceFontOptions(): ResvgRenderOptions {
  const fontFiles = FILES.map((f) => `${FONT_DIR}/${f}`);
  if (!checked) {
    const missing = fontFiles.filter((f) => !existsSync(f));
    if (missing.length) throw new FaceFontError(`card faces need DejaVu Sans (Debian: apt-get install fonts-dejavu-core, or set HMSKORT_FONT_DIR): missing ${missing.join(', ')}`);
    checked = true;
  }
  return { font: { loadSystemFonts: false, fontFiles, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY }, logLevel: 'off' };
}

/** Ink extents of a line of text set at font size 1 with its pen at (0, 0) on the baseline (y down). */
export interface Ink {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const REF = 100;
const cache = new Map<string, Ink>();
const CACHE_MAX = 4096;

/** Ink box of `text` per unit of font size, measured by resvg with the faces above; cached. */
export function measureInk(text: string, bold = false): Ink {
  const key = `${bold ? 'b' : 'r'}${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10">` +
    `<text x="0" y="0" font-family="${FONT_FAMILY}" font-size="${REF}"${bold ? ' font-weight="bold"' : ''}>${escapeXml(text)}</text></svg>`;
  const b = new Resvg(svg, faceFontOptions()).getBBox();
  // No ink at all (spaces only, or glyphs the face lacks and draws as nothing): an empty box at the pen.
  const ink = b && b.width > 0 ? { x0: b.x / REF, x1: (b.x + b.width) / REF, y0: b.y / REF, y1: (b.y + b.height) / REF } : { x0: 0, x1: 0, y0: 0, y1: 0 };
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, ink);
  return ink;
}

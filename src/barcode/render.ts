/**
 * Print-ready Code 128 rendering of the HMS card barcode (spec section 6; symbology ISO/IEC 15417).
 *
 * bwip-js encodes (code set C for the 22 digits) and draws the PNG. Print rules:
 * - pure black bars on an opaque white background (bwip-js draws transparent unless given
 *   `backgroundcolor`; a transparent PNG prints as whatever the card stock is);
 * - no text inside the image (`includetext: false`): the human-readable line is separate text, so
 *   no anti-aliased glyph pixels end up next to the bars;
 * - the module width X is a whole number of printer dots (`xDots` at `dpi`), so every bar edge falls
 *   on a dot boundary and no bar is widened or narrowed by rounding;
 * - quiet zones of at least 10 X on both sides (ISO/IEC 15417 section 4.3.3).
 * The SVG is sized in millimetres and drawn from the same bwip-js element widths.
 */
import bwipjs from 'bwip-js';
import { withDpi } from './pngDpi.js';
import { parseBarcodePayload } from '../codec/barcode.js';

import { MIN_QUIET_ZONE } from './code128Table.js';
import { needArray, needNumber } from '../codec/guard.js';

export { MIN_QUIET_ZONE } from './code128Table.js';

/**
 * The widest quiet zone we render, in modules. bwip-js clamps every padding to 999 (4.11.4,
 * dist/bwip-js-node.mjs, function padding: "Keep the padding value reasonable"), so a wider one
 * would be drawn at 999 while the geometry reported the width asked for (issue 19 item 13). 999
 * modules is 25 cm at the default 0.254 mm module, far beyond any label.
 */
export const MAX_QUIET_ZONE = 999;
export { pngDpi, withDpi } from './pngDpi.js';

export interface BarcodeRenderOptions {
  /** Printer resolution, dots per inch. Default 300. */
  dpi?: number;
  /** Module width in printer dots (a whole number >= 1). Default 3 (0.254 mm at 300 dpi). */
  xDots?: number;
  /** Bar height in millimetres. Default 10. */
  heightMm?: number;
  /** Quiet zone each side, in modules, MIN_QUIET_ZONE (10) to MAX_QUIET_ZONE (999). Default 10. */
  quietZone?: number;
}

export interface BarcodeGeometry {
  dpi: number;
  xDots: number;
  /** Module width X in millimetres (xDots * 25.4 / dpi). */
  moduleMm: number;
  /** Modules of the symbol without quiet zones (Code 128: 11 per character + 13 for the stop). */
  symbolModules: number;
  quietZone: number;
  /** Width with both quiet zones, mm. */
  widthMm: number;
  heightMm: number;
  /** PNG size in pixels (one pixel = one printer dot). */
  widthPx: number;
  heightPx: number;
}

/**
 * Bar and space widths in modules (bar first, stop included) of the payload's Code 128 symbol,
 * as bwip-js encodes it. The payload is validated first (22 digits, Luhn, org number).
 */
export function barcodeElements(payload: string): number[] {
  parseBarcodePayload(payload);
  const raw = bwipjs.raw({ bcid: 'code128', text: payload }) as Array<{ sbs?: number[] }>;
  const sbs = raw[0]?.sbs;
  if (!sbs) throw new Error('bwip-js returned no element widths for code128');
  return [...sbs];
}

function options(opts: BarcodeRenderOptions): Required<BarcodeRenderOptions> {
  const o = { dpi: 300, xDots: 3, heightMm: 10, quietZone: MIN_QUIET_ZONE, ...opts };
  if (!Number.isInteger(o.xDots) || o.xDots < 1) throw new RangeError('xDots must be a whole number of printer dots >= 1');
  if (!(o.dpi > 0)) throw new RangeError('dpi must be positive');
  if (!(o.heightMm > 0)) throw new RangeError('heightMm must be positive');
  if (!Number.isInteger(o.quietZone) || o.quietZone < MIN_QUIET_ZONE || o.quietZone > MAX_QUIET_ZONE) {
    throw new RangeError(`quietZone must be a whole number of modules from ${MIN_QUIET_ZONE} to ${MAX_QUIET_ZONE} (got ${o.quietZone})`);
  }
  return o;
}

export function barcodeGeometry(payload: string, opts: BarcodeRenderOptions = {}): BarcodeGeometry {
  const o = options(opts);
  const symbolModules = barcodeElements(payload).reduce((a, b) => a + b, 0);
  const moduleMm = (o.xDots * 25.4) / o.dpi;
  return {
    dpi: o.dpi,
    xDots: o.xDots,
    moduleMm,
    symbolModules,
    quietZone: o.quietZone,
    widthMm: (symbolModules + 2 * o.quietZone) * moduleMm,
    heightMm: o.heightMm,
    widthPx: (symbolModules + 2 * o.quietZone) * o.xDots,
    heightPx: Math.round((o.heightMm * o.dpi) / 25.4),
  };
}

/** PNG of the barcode: one pixel per printer dot, black on opaque white, pHYs set to the dpi. */
export async function renderBarcodePng(payload: string, opts: BarcodeRenderOptions = {}): Promise<Uint8Array> {
  const g = barcodeGeometry(payload, opts);
  // bwip-js sizes `height` in millimetres at 72 units per inch times the scale; solve for the
  // option that gives exactly heightPx rows at this scale.
  // bwip-js draws floor(h) + 1 rows for h rows asked (measured for scales 1-5): ask heightPx - 0.9.
  const height = ((g.heightPx - 0.9) * 25.4) / (72 * g.xDots);
  // A fresh object for every call: bwip-js writes into the options it is given.
  const png = await bwipjs.toBuffer({
    bcid: 'code128',
    text: payload,
    scale: g.xDots,
    height,
    includetext: false,
    backgroundcolor: 'FFFFFF',
    barcolor: '000000',
    paddingwidth: g.quietZone,
    paddingheight: 0,
  });
  return withDpi(new Uint8Array(png), g.dpi);
}

const num = (x: number) => String(Math.round(x * 10000) / 10000);

/**
 * SVG elements (in millimetre user units) drawing the bars of a symbol whose left quiet-zone edge
 * sits at (x, y). Background not included.
 */
export function barsSvg(elements: readonly number[], x: number, y: number, moduleMm: number, heightMm: number, quietZone = MIN_QUIET_ZONE): string {
  needArray('barsSvg', 'elements', elements);
  needNumber('barsSvg', 'x', x);
  needNumber('barsSvg', 'y', y);
  needNumber('barsSvg', 'moduleMm', moduleMm);
  needNumber('barsSvg', 'heightMm', heightMm);
  needNumber('barsSvg', 'quietZone', quietZone);
  const parts: string[] = [];
  let m = quietZone;
  elements.forEach((w, i) => {
    if (i % 2 === 0) parts.push(`<rect x="${num(x + m * moduleMm)}" y="${num(y)}" width="${num(w * moduleMm)}" height="${num(heightMm)}"/>`);
    m += w;
  });
  return `<g fill="#000" shape-rendering="crispEdges">${parts.join('')}</g>`;
}

/** Standalone SVG of the barcode, sized in millimetres, white background, no text. */
export function renderBarcodeSvg(payload: string, opts: BarcodeRenderOptions = {}): string {
  const g = barcodeGeometry(payload, opts);
  const w = num(g.widthMm);
  const h = num(g.heightMm);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}mm" height="${h}mm" viewBox="0 0 ${w} ${h}">` +
    `<title>Code 128 ${payload}</title><rect width="${w}" height="${h}" fill="#fff"/>` +
    barsSvg(barcodeElements(payload), 0, 0, g.moduleMm, g.heightMm, g.quietZone) +
    `</svg>\n`
  );
}

/**
 * The back of an HMS card: an ID-1 card (ISO/IEC 7810, 85.60 x 53.98 mm) with the Code 128 barcode
 * of spec section 6, the organisation name and number, the card number and the expiry date, and an
 * optional QR code whose URL comes from a template in configuration (off by default).
 *
 * Layout rules: all print keeps 6.3 mm from the card edges; the barcode (quiet zones included) and
 * the QR code keep 6.3 mm from other print; the top band is left blank for the magnetic stripe
 * (default 16 mm: a three-track stripe is 5/8 in = 15.9 mm wide). The barcode and QR modules are
 * whole printer dots at the layout dpi and their origins sit on the dot grid, so a raster made at
 * that dpi has sharp, equal bars. The layout is one list of items drawn both as SVG (mm user
 * units) and as a PNG (rasterize.ts).
 */
import bwipjs from 'bwip-js';
import { barcodePayload } from '../codec/barcode.js';
import { MIN_QUIET_ZONE, barcodeElements } from './render.js';
import { needNumber, needObject, needOptions, needString } from '../codec/guard.js';
import type { ErrorKind } from '../codec/errors.js';
import { hasFaceFont, measureInk } from '../faces/font.js';

export const CARD_WIDTH_MM = 85.6;
export const CARD_HEIGHT_MM = 53.98;
export const EDGE_MM = 6.3;

/**
 * The options leave no room for the barcode (a stripe band, a QR code): kind 'usage', since the
 * caller chose them (the CLI: --stripe-mm, --qr-url, exit 2). A RangeError still, as before.
 */
export class CardBackLayoutError extends RangeError {
  override readonly name = 'CardBackLayoutError';
  readonly code = 'NO_ROOM';
  get kind(): ErrorKind {
    return 'usage';
  }
}

export interface CardBackHolder {
  orgNumber: string;
  orgName: string;
  cardNumber: string;
  expiry: string;
}

export interface CardBackOptions {
  /** Printer resolution the modules are sized for. Default 300. */
  dpi?: number;
  /** Barcode module width in printer dots. Default 3 (0.254 mm at 300 dpi). */
  xDots?: number;
  /** Blank band at the top for the magnetic stripe, mm (0: none). Default 16. */
  stripeBandMm?: number;
  /** QR URL template: {payload}, {orgNumber}, {cardNumber} are replaced (URI-encoded). Off when absent. */
  qrUrlTemplate?: string;
}

export type LayoutItem =
  | { kind: 'rect'; x: number; y: number; w: number; h: number }
  | { kind: 'text'; x: number; y: number; size: number; text: string; bold?: boolean; anchor?: 'start' | 'middle'; maxWidth: number };

export interface CardBackLayout {
  widthMm: number;
  heightMm: number;
  dpi: number;
  payload: string;
  qrText?: string;
  /** Bounding boxes (mm) for checks: the barcode with its quiet zones, the QR with its quiet zone, the text block. */
  boxes: { barcode: Box; qr?: Box; text: Box };
  items: LayoutItem[];
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Norwegian display of an ISO date: 2028-06-30 -> 30.06.2028. */
export const displayDate = (iso: string) => iso.split('-').reverse().join('.');
/** Organisation numbers are shown in groups of three (974 760 673). */
export const displayOrg = (org: string) => org.replace(/(\d{3})(?=\d)/g, '$1 ');

export function expandQrTemplate(template: string, h: CardBackHolder): string {
  needString('expandQrTemplate', 'template', template);
  needObject('expandQrTemplate', 'holder', h);
  const values: Record<string, string> = { payload: barcodePayload(h), orgNumber: h.orgNumber, cardNumber: h.cardNumber.replace(/^0+(?=\d)/, '') };
  return template.replace(/\{(payload|orgNumber|cardNumber)\}/g, (_, k: string) => encodeURIComponent(values[k]));
}

/** The shortest bars the card back draws, mm. */
const MIN_BAR_MM = 5;

/**
 * Why the barcode does not fit, blaming what takes the room (issue 19 item 21: a 60 mm stripe band
 * without any QR code was reported as "the QR URL is too long"). The text and the QR code sit under
 * the stripe band but never higher than the edge margin, so the band can shrink to EDGE_MM - 1
 * before it stops helping: the largest band that fits is the effective band plus the missing room.
 */
function noRoomMessage(stripe: number, room: number, qr: Box | undefined): string {
  const band = Math.max(stripe, EDGE_MM - 1);
  const maxStripe = Math.floor((band + room - MIN_BAR_MM) * 10) / 10;
  const what = `the ${stripe} mm stripe band, the text${qr ? ` and the ${qr.h.toFixed(1)} mm QR code` : ''}`;
  const fix = maxStripe >= EDGE_MM - 1 ? `a stripe band of at most ${maxStripe} mm fits${qr ? ' with this QR code' : ''}` : 'the QR URL is too long: its code leaves no room whatever the stripe band';
  return `no room for the barcode: ${what} leave ${room.toFixed(1)} mm for bars of at least ${MIN_BAR_MM} mm; ${fix}`;
}

export function cardBackLayout(h: CardBackHolder, opts: CardBackOptions = {}): CardBackLayout {
  needObject('cardBackLayout', 'holder', h);
  needOptions('cardBackLayout', 'opts', opts);
  const dpi = opts.dpi ?? 300;
  const xDots = opts.xDots ?? 3;
  const dot = 25.4 / dpi;
  const snap = (mm: number) => Math.round(mm / dot) * dot;
  const stripe = opts.stripeBandMm ?? 16;
  const payload = barcodePayload(h);
  const items: LayoutItem[] = [];
  const right = CARD_WIDTH_MM - EDGE_MM;

  // Optional QR code, top right under the stripe band: 4-module quiet zone (ISO/IEC 18004), 3 dots per module.
  let qr: Box | undefined;
  let qrText: string | undefined;
  if (opts.qrUrlTemplate) {
    qrText = expandQrTemplate(opts.qrUrlTemplate, h);
    const raw = bwipjs.raw({ bcid: 'qrcode', text: qrText, eclevel: 'M' } as never) as Array<{ pixs: number[]; pixx: number; pixy: number }>;
    const { pixs, pixx, pixy } = raw[0];
    const m = 3 * dot;
    const size = (pixx + 8) * m;
    qr = { x: snap(right - size), y: snap(Math.max(EDGE_MM, stripe + 1)), w: size, h: size };
    for (let r = 0; r < pixy; r++)
      for (let c = 0; c < pixx; c++) if (pixs[r * pixx + c]) items.push({ kind: 'rect', x: qr.x + (c + 4) * m, y: qr.y + (r + 4) * m, w: m, h: m });
  }

  // Text block, left, under the stripe band; kept 6.3 mm left of the QR code when there is one.
  const size = 2.5;
  const lead = 3.4;
  const top = Math.max(EDGE_MM, stripe + 1);
  const maxWidth = (qr ? qr.x - EDGE_MM : right) - EDGE_MM;
  const lines: [string, boolean][] = [
    [h.orgName, true],
    [`Org.nr. ${displayOrg(h.orgNumber)}`, false],
    [`Kortnr. ${h.cardNumber.replace(/^0+(?=\d)/, '')}`, false],
    [`Gyldig til ${displayDate(h.expiry)}`, false],
  ];
  lines.forEach(([text, bold], i) => items.push({ kind: 'text', x: EDGE_MM, y: top + size + i * lead, size, text, bold, anchor: 'start', maxWidth }));
  const textBox: Box = { x: EDGE_MM, y: top, w: maxWidth, h: size + (lines.length - 1) * lead + 0.6 };

  // Barcode at the bottom: bars, then the human-readable digits as separate text under them.
  const elements = barcodeElements(payload);
  const x = xDots * dot;
  const modules = elements.reduce((a, b) => a + b, 0) + 2 * MIN_QUIET_ZONE;
  const hrtSize = 2.2;
  const hrtBaseline = CARD_HEIGHT_MM - EDGE_MM;
  const barTop = snap(Math.max(textBox.y + textBox.h, qr ? qr.y + qr.h : 0) + EDGE_MM + dot);
  const barBottom = snap(hrtBaseline - hrtSize - 0.6);
  const room = barBottom - barTop;
  if (room < MIN_BAR_MM) throw new CardBackLayoutError(noRoomMessage(stripe, room, qr));
  const bx = snap((CARD_WIDTH_MM - modules * x) / 2);
  let m = MIN_QUIET_ZONE;
  elements.forEach((w, i) => {
    if (i % 2 === 0) items.push({ kind: 'rect', x: bx + m * x, y: barTop, w: w * x, h: barBottom - barTop });
    m += w;
  });
  items.push({ kind: 'text', x: CARD_WIDTH_MM / 2, y: hrtBaseline, size: hrtSize, text: payload, anchor: 'middle', maxWidth: modules * x });
  const barcode: Box = { x: bx, y: barTop, w: modules * x, h: hrtBaseline - barTop };
  return { widthMm: CARD_WIDTH_MM, heightMm: CARD_HEIGHT_MM, dpi, payload, ...(qrText ? { qrText } : {}), boxes: { barcode, ...(qr ? { qr } : {}), text: textBox }, items };
}

const n = (v: number) => String(Math.round(v * 10000) / 10000);
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Rough advance of sans-serif text (0.56 em per character) to decide when to squeeze it. */
export const estimateTextWidth = (text: string, size: number, bold = false): number => {
  needString('estimateTextWidth', 'text', text);
  needNumber('estimateTextWidth', 'size', size);
  return [...text].length * size * (bold ? 0.6 : 0.56);
};

/**
 * Ink width of a text item in DejaVu Sans, the font the SVG names first and the printer panel is
 * drawn in (src/faces/font.ts measures it through resvg), or the rough estimate where that font is
 * not installed. The estimate alone let 34 W's of an org name run 6 mm past the text box.
 */
function textWidth(it: Extract<LayoutItem, { kind: 'text' }>): number {
  if (!hasFaceFont()) return estimateTextWidth(it.text, it.size, it.bold);
  const ink = measureInk(it.text, it.bold);
  return (ink.x1 - Math.min(0, ink.x0)) * it.size;
}

export function cardBackSvg(layout: CardBackLayout): string {
  needObject('cardBackSvg', 'layout', layout);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(layout.widthMm)}mm" height="${n(layout.heightMm)}mm" viewBox="0 0 ${n(layout.widthMm)} ${n(layout.heightMm)}">`,
    `<title>HMS card back ${layout.payload}</title>`,
    `<rect width="${n(layout.widthMm)}" height="${n(layout.heightMm)}" fill="#fff"/>`,
    `<g fill="#000" shape-rendering="crispEdges">`,
  ];
  for (const it of layout.items) if (it.kind === 'rect') out.push(`<rect x="${n(it.x)}" y="${n(it.y)}" width="${n(it.w)}" height="${n(it.h)}"/>`);
  out.push(`</g><g fill="#000" font-family="DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif">`);
  for (const it of layout.items) {
    if (it.kind !== 'text') continue;
    const squeeze = textWidth(it) > it.maxWidth ? ` textLength="${n(it.maxWidth)}" lengthAdjust="spacingAndGlyphs"` : '';
    const anchor = it.anchor === 'middle' ? ' text-anchor="middle"' : '';
    out.push(`<text x="${n(it.x)}" y="${n(it.y)}" font-size="${n(it.size)}"${it.bold ? ' font-weight="bold"' : ''}${anchor}${squeeze}>${esc(it.text)}</text>`);
  }
  out.push('</g></svg>');
  return out.join('\n') + '\n';
}

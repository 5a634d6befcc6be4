/**
 * The front of an HMS card: an ID-1 card (ISO/IEC 7810, 85.60 x 53.98 mm, landscape) with a banner
 * naming the card's category (spec section 1: construction = "bygg og anlegg", cleaning =
 * "renhold"), the holder's name, the employer and its organisation number, the card number, the
 * expiry date, and an optional photo. Drawn for a monochrome ribbon: black or paper, no grey.
 *
 * The categories differ at a glance without colour: construction has a solid black banner with the
 * words in paper white, cleaning an outlined banner with black words. Every text is set into its own
 * box by textFit.ts (shrink to a minimum, then two lines, never out of the box); the photo box is on
 * the 300 dpi dot grid, so the dithered photo's dots are the printer's dots. Units: mm.
 */
import { CARD_HEIGHT_MM, CARD_WIDTH_MM, displayDate, displayOrg } from '../barcode/cardBack.js';
import { encodePng, type GrayImage } from '../barcode/image.js';
import { needObject, needOneOf, needOptions, needString } from '../codec/guard.js';
import type { Category } from '../codec/types.js';
import { FONT_FAMILY, escapeXml } from './font.js';
import { facePhoto } from './photo.js';
import { fitText, type Box, type FitOptions, type FittedText } from './textFit.js';

export interface CardFrontHolder {
  category: Category;
  givenName: string;
  familyName: string;
  orgName: string;
  orgNumber: string;
  cardNumber: string;
  expiry: string;
}

export interface CardFrontOptions {
  /** The holder's photo, a JPEG or PNG file's bytes; dithered into the photo box. */
  photo?: Uint8Array;
  /** Name of the photo file for error messages. */
  photoFile?: string;
}

export type FrontField = 'title' | 'category' | 'name' | 'employer' | 'orgNumber' | 'cardNumber' | 'expiry';

export type FrontItem =
  | { kind: 'rect'; x: number; y: number; w: number; h: number }
  | { kind: 'text'; field: FrontField; x: number; y: number; size: number; text: string; bold: boolean; white: boolean }
  | { kind: 'image'; x: number; y: number; w: number; h: number; image: GrayImage };

export interface CardFrontLayout {
  widthMm: number;
  heightMm: number;
  dpi: 300;
  category: Category;
  /** The banner, the photo (when there is one), and each text's box (mm). */
  boxes: { banner: Box; photo?: Box } & Record<FrontField, Box>;
  /** How each text was set: its size, its lines and their ink. */
  texts: Record<FrontField, FittedText>;
  items: FrontItem[];
}

/** 300 dpi: the printer's dot (Evolis A5013 p.4). */
const DOT = 25.4 / 300;
const onGrid = (dots: number) => dots * DOT;
const MARGIN = 3;
const RIGHT = CARD_WIDTH_MM - MARGIN;
const BANNER: Box = { x: MARGIN, y: MARGIN, w: CARD_WIDTH_MM - 2 * MARGIN, h: 8 };
/** The outline of the cleaning banner. */
const RULE = 0.6;
/** 260 x 334 dots = 22.0 x 28.3 mm, 7:9 like a 35 x 45 mm passport photo; its corner on the dot grid. */
export const PHOTO_DOTS = { x: 36, y: 166, w: 260, h: 334 } as const;

export const CATEGORY_WORDS: Record<Category, string> = { construction: 'BYGG OG ANLEGG', cleaning: 'RENHOLD' };

/** Box, sizes (mm) and line count of each text. */
function specs(textX: number): Record<FrontField, [Box, FitOptions]> {
  const w = RIGHT - textX;
  const inner = { y: BANNER.y + 1.2, h: BANNER.h - 2.4 };
  return {
    title: [{ x: BANNER.x + 2, ...inner, w: 24 }, { maxSize: 4, minSize: 2.5, bold: true, maxLines: 1 }],
    category: [{ x: BANNER.x + 28, ...inner, w: BANNER.w - 30 }, { maxSize: 4.4, minSize: 2.5, bold: true, maxLines: 1, anchor: 'end' }],
    name: [{ x: textX, y: 14, w, h: 10.5 }, { maxSize: 4.2, minSize: 2.8, bold: true }],
    employer: [{ x: textX, y: 26, w, h: 7 }, { maxSize: 3, minSize: 2.2 }],
    orgNumber: [{ x: textX, y: 33.4, w, h: 3.6 }, { maxSize: 2.7, minSize: 2, maxLines: 1 }],
    cardNumber: [{ x: textX, y: 39, w, h: 3.6 }, { maxSize: 2.7, minSize: 2, maxLines: 1 }],
    expiry: [{ x: textX, y: 43.4, w, h: 3.6 }, { maxSize: 2.7, minSize: 2, maxLines: 1 }],
  };
}

export function cardFrontLayout(h: CardFrontHolder, opts: CardFrontOptions = {}): CardFrontLayout {
  needObject('cardFrontLayout', 'holder', h);
  needOptions('cardFrontLayout', 'opts', opts);
  needOneOf('cardFrontLayout', 'holder.category', h.category, ['construction', 'cleaning']);
  for (const k of ['givenName', 'familyName', 'orgName', 'orgNumber', 'cardNumber', 'expiry'] as const) needString('cardFrontLayout', `holder.${k}`, h[k]);
  const items: FrontItem[] = [];
  const construction = h.category === 'construction';
  if (construction) items.push({ kind: 'rect', ...BANNER });
  else {
    const { x, y, w, h: bh } = BANNER;
    items.push({ kind: 'rect', x, y, w, h: RULE }, { kind: 'rect', x, y: y + bh - RULE, w, h: RULE }, { kind: 'rect', x, y, w: RULE, h: bh }, { kind: 'rect', x: x + w - RULE, y, w: RULE, h: bh });
  }

  let photo: Box | undefined;
  if (opts.photo !== undefined) {
    photo = { x: onGrid(PHOTO_DOTS.x), y: onGrid(PHOTO_DOTS.y), w: onGrid(PHOTO_DOTS.w), h: onGrid(PHOTO_DOTS.h) };
    items.push({ kind: 'image', ...photo, image: facePhoto(opts.photo, PHOTO_DOTS.w, PHOTO_DOTS.h, opts.photoFile ?? 'photo') });
  }

  // Given and family name on one line; a break between them is preferred when the name wraps.
  const collapse = (s: string) => s.replace(/ {2,}/g, ' ');
  const given = collapse(h.givenName);
  const values: Record<FrontField, string> = {
    title: 'HMS-KORT',
    category: CATEGORY_WORDS[h.category],
    name: `${given} ${collapse(h.familyName)}`,
    employer: h.orgName,
    orgNumber: `Org.nr. ${displayOrg(h.orgNumber)}`,
    cardNumber: `Kortnr. ${h.cardNumber.replace(/^0+(?=\d)/, '')}`,
    expiry: `Gyldig til ${displayDate(h.expiry)}`,
  };
  const spec = specs(photo ? photo.x + photo.w + MARGIN : MARGIN);
  spec.name[1].preferBreak = given.length;
  const boxes = { banner: BANNER, ...(photo ? { photo } : {}) } as CardFrontLayout['boxes'];
  const texts = {} as Record<FrontField, FittedText>;
  for (const f of Object.keys(spec) as FrontField[]) {
    const [box, fit] = spec[f];
    boxes[f] = box;
    const t = (texts[f] = fitText(values[f], box, fit));
    const white = construction && (f === 'title' || f === 'category');
    for (const l of t.lines) items.push({ kind: 'text', field: f, x: l.x, y: l.y, size: t.size, text: l.text, bold: fit.bold ?? false, white });
  }
  return { widthMm: CARD_WIDTH_MM, heightMm: CARD_HEIGHT_MM, dpi: 300, category: h.category, boxes, texts, items };
}

const n = (v: number) => String(Math.round(v * 10000) / 10000);

/** The face as SVG in mm; `only` keeps the items of some fields (tests draw one text at a time). */
export function cardFrontSvg(layout: CardFrontLayout, only?: readonly FrontField[]): string {
  needObject('cardFrontSvg', 'layout', layout);
  const keep = (it: FrontItem) => !only || (it.kind === 'text' && only.includes(it.field));
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(layout.widthMm)}mm" height="${n(layout.heightMm)}mm" viewBox="0 0 ${n(layout.widthMm)} ${n(layout.heightMm)}">`,
    `<title>HMS card front, ${layout.category}</title>`,
    `<rect width="${n(layout.widthMm)}" height="${n(layout.heightMm)}" fill="#fff"/>`,
    `<g fill="#000" shape-rendering="crispEdges">`,
  ];
  for (const it of layout.items) if (it.kind === 'rect' && keep(it)) out.push(`<rect x="${n(it.x)}" y="${n(it.y)}" width="${n(it.w)}" height="${n(it.h)}"/>`);
  out.push('</g>');
  for (const it of layout.items) {
    if (it.kind !== 'image' || !keep(it)) continue;
    // One image pixel per printer dot, never smoothed: resvg reads image-rendering, Chromium the CSS.
    const uri = `data:image/png;base64,${Buffer.from(encodePng(it.image)).toString('base64')}`;
    out.push(`<image x="${n(it.x)}" y="${n(it.y)}" width="${n(it.w)}" height="${n(it.h)}" preserveAspectRatio="none" image-rendering="optimizeSpeed" style="image-rendering:pixelated" href="${uri}"/>`);
  }
  out.push(`<g font-family="${FONT_FAMILY}">`);
  for (const it of layout.items) {
    if (it.kind !== 'text' || !keep(it)) continue;
    out.push(`<text x="${n(it.x)}" y="${n(it.y)}" font-size="${n(it.size)}"${it.bold ? ' font-weight="bold"' : ''} fill="${it.white ? '#fff' : '#000'}">${escapeXml(it.text)}</text>`);
  }
  out.push('</g></svg>');
  return out.join('\n') + '\n';
}

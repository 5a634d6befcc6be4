/**
 * A card face as the printer's monochrome panel (src/drivers/printer/types.ts MonoPanel): the SVG
 * rasterised by @resvg/resvg-js at exactly 300 dpi onto the 1016 x 648 dot panel, each dot ink or
 * paper, then turned to the printer's line order and packed.
 *
 * Geometry (Evolis Programming Guide A5013 rev. E p.4 and p.14; /work/research/evolis.md section 4
 * "Bit packing", from the official Windows driver's captured streams and dpavlin/Printer-EVOLIS):
 * a panel is 1016 lines of 81 bytes (648 dots); bytes MSB first; 1 = ink; the landscape face is
 * rotated 90 degrees clockwise, so line 0 is the face's left edge and bit 7 of byte 0 its
 * bottom-left corner. The panel (86.02 x 54.86 mm) is larger than the card (85.60 x 53.98 mm): the
 * card is centred on it, offset by whole dots so the face's dot grid (photo, barcode modules) stays
 * the printer's.
 */
import { Resvg } from '@resvg/resvg-js';
import { PANEL_DOTS, PANEL_LINE_BYTES, PANEL_LINES, type MonoPanel } from '../drivers/printer/types.js';
import { cardBackLayout, cardBackSvg, type CardBackHolder, type CardBackOptions } from '../barcode/cardBack.js';
import { encodePng, type GrayImage } from '../barcode/image.js';
import { withDpi } from '../barcode/render.js';
import { argumentError, needObject, needOptions, needPixels, needString } from '../codec/guard.js';
import { faceFontOptions } from './font.js';
import { cardFrontLayout, cardFrontSvg, type CardFrontHolder, type CardFrontOptions } from './cardFront.js';

/** The landscape panel: 1016 dots wide (the printer's lines), 648 high (the dots of a line). */
export const PANEL_WIDTH = PANEL_LINES;
export const PANEL_HEIGHT = PANEL_DOTS;
const DPMM = 300 / 25.4;
/** Darker than this (of 255, over white) is a dot of ink. */
const INK_BELOW = 128;

/**
 * The face drawn on the landscape panel, 0 = ink, 255 = paper. `svg` is a face whose root has a
 * viewBox in mm (cardFrontSvg, cardBackSvg); it is nested into a 1016 x 648 px SVG at 300 dpi.
 */
export function renderFaceImage(svg: string): GrayImage {
  needString('renderFaceImage', 'svg', svg);
  const root = /<svg\b[^>]*>/.exec(svg);
  const vb = root && /\bviewBox="\s*([-\d.]+)[\s,]+([-\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"/.exec(root[0]);
  if (!root || !vb) throw argumentError('renderFaceImage', 'svg', 'an SVG whose root has a viewBox in mm', svg);
  const [wMm, hMm] = [Number(vb[3]), Number(vb[4])];
  if (!(wMm > 0 && hMm > 0 && wMm * DPMM <= PANEL_WIDTH + 0.5 && hMm * DPMM <= PANEL_HEIGHT + 0.5)) throw argumentError('renderFaceImage', 'svg', `a face of at most ${PANEL_WIDTH} x ${PANEL_HEIGHT} dots at 300 dpi`, svg);
  const ox = Math.round((PANEL_WIDTH - wMm * DPMM) / 2);
  const oy = Math.round((PANEL_HEIGHT - hMm * DPMM) / 2);
  const nested = root[0].replace(/\s(width|height|x|y)="[^"]*"/g, '').replace(/^<svg/, `<svg x="${ox}" y="${oy}" width="${wMm * DPMM}" height="${hMm * DPMM}"`);
  const body = svg.slice(root.index + root[0].length);
  const page =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PANEL_WIDTH}" height="${PANEL_HEIGHT}" viewBox="0 0 ${PANEL_WIDTH} ${PANEL_HEIGHT}">` +
    `<rect width="${PANEL_WIDTH}" height="${PANEL_HEIGHT}" fill="#fff"/>${nested}${body}</svg>`;
  const px = new Resvg(page, faceFontOptions()).render().pixels;
  const data = new Uint8Array(PANEL_WIDTH * PANEL_HEIGHT);
  // Luma (BT.601 weights in 1/256, as image.ts toGray), then one threshold: the ribbon has two
  // levels. The page is opaque (the white rect), so alpha is 255 everywhere.
  for (let p = 0, i = 0; p < data.length; p++, i += 4) data[p] = (77 * px[i] + 150 * px[i + 1] + 29 * px[i + 2]) >> 8 < INK_BELOW ? 0 : 255;
  return { width: PANEL_WIDTH, height: PANEL_HEIGHT, data };
}

/** Landscape 1016 x 648 image (dark = ink) -> the printer's panel: line x is column x, bottom dot first. */
export function packPanel(img: GrayImage): MonoPanel {
  needPixels('packPanel', img);
  if (img.width !== PANEL_WIDTH || img.height !== PANEL_HEIGHT || img.data.length !== PANEL_WIDTH * PANEL_HEIGHT)
    throw argumentError('packPanel', 'image', `a ${PANEL_WIDTH} x ${PANEL_HEIGHT} grey image`, `${img.width} x ${img.height}`);
  const data = new Uint8Array(PANEL_LINES * PANEL_LINE_BYTES);
  for (let line = 0; line < PANEL_LINES; line++) {
    for (let dot = 0; dot < PANEL_DOTS; dot++) {
      // 90 degrees clockwise: dot 0 of a line is the bottom row of the landscape face.
      if (img.data[(PANEL_HEIGHT - 1 - dot) * PANEL_WIDTH + line] < INK_BELOW) data[line * PANEL_LINE_BYTES + (dot >> 3)] |= 0x80 >> (dot & 7);
    }
  }
  return { data };
}

/** The inverse of packPanel: the landscape face, 0 = ink, 255 = paper (to look at, or to compare). */
export function unpackPanel(panel: MonoPanel): GrayImage {
  needObject('unpackPanel', 'panel', panel);
  if (!(panel.data instanceof Uint8Array) || panel.data.length !== PANEL_LINES * PANEL_LINE_BYTES)
    throw argumentError('unpackPanel', 'panel.data', `${PANEL_LINES * PANEL_LINE_BYTES} bytes`, panel.data);
  const data = new Uint8Array(PANEL_WIDTH * PANEL_HEIGHT).fill(255);
  for (let line = 0; line < PANEL_LINES; line++)
    for (let dot = 0; dot < PANEL_DOTS; dot++) if (panel.data[line * PANEL_LINE_BYTES + (dot >> 3)] & (0x80 >> (dot & 7))) data[(PANEL_HEIGHT - 1 - dot) * PANEL_WIDTH + line] = 0;
  return { width: PANEL_WIDTH, height: PANEL_HEIGHT, data };
}

/** A PNG of the panel as it prints (landscape, 300 dpi in its pHYs chunk). */
export function panelPng(panel: MonoPanel): Uint8Array {
  needObject('panelPng', 'panel', panel);
  return withDpi(encodePng(unpackPanel(panel)), 300);
}

export function renderFacePanel(svg: string): MonoPanel {
  needString('renderFacePanel', 'svg', svg);
  return packPanel(renderFaceImage(svg));
}

export function frontPanel(holder: CardFrontHolder, opts: CardFrontOptions = {}): MonoPanel {
  needObject('frontPanel', 'holder', holder);
  needOptions('frontPanel', 'opts', opts);
  return renderFacePanel(cardFrontSvg(cardFrontLayout(holder, opts)));
}

/** The card back (barcode/cardBack.ts) laid out at the printer's 300 dpi, as a panel. */
export function backPanel(holder: CardBackHolder, opts: CardBackOptions = {}): MonoPanel {
  needObject('backPanel', 'holder', holder);
  needOptions('backPanel', 'opts', opts);
  return renderFacePanel(cardBackSvg(cardBackLayout(holder, { ...opts, dpi: 300 })));
}

/**
 * Ink on a rendered card face (src/faces/panel.ts renderFaceImage: the 1016 x 648 landscape panel,
 * 0 = ink) compared with boxes in card millimetres. The card sits centred on the panel by whole
 * dots: (1016 - 85.60 mm at 300 dpi) / 2 = 2.49 -> 2 dots, (648 - 53.98 mm) / 2 = 5.22 -> 5 dots.
 */
import type { GrayImage } from '../../src/barcode/image.js';
import type { CardFrontHolder } from '../../src/faces/cardFront.js';

export interface MmBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const DPMM = 300 / 25.4;
export const CARD_X = Math.round((1016 - 85.6 * DPMM) / 2);
export const CARD_Y = Math.round((648 - 53.98 * DPMM) / 2);

/** Panel pixel rectangle [x0, x1) x [y0, y1) covering a mm box, grown by `grow` pixels. */
export function pixelRect(b: MmBox, grow = 0): { x0: number; y0: number; x1: number; y1: number } {
  return {
    x0: Math.floor(CARD_X + b.x * DPMM) - grow,
    y0: Math.floor(CARD_Y + b.y * DPMM) - grow,
    x1: Math.ceil(CARD_X + (b.x + b.w) * DPMM) + grow,
    y1: Math.ceil(CARD_Y + (b.y + b.h) * DPMM) + grow,
  };
}

/** Ink pixels that lie in none of the boxes (each grown by `grow` pixels for anti-aliased edges). */
export function inkOutside(img: GrayImage, boxes: MmBox[], grow = 1): { count: number; first?: [number, number] } {
  const rects = boxes.map((b) => pixelRect(b, grow));
  let count = 0;
  let first: [number, number] | undefined;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      if (img.data[y * img.width + x] >= 128) continue;
      if (rects.some((r) => x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1)) continue;
      count++;
      first ??= [x, y];
    }
  return { count, first };
}

/** Count of ink pixels inside a mm box (not grown). */
export function inkInside(img: GrayImage, b: MmBox): { ink: number; total: number } {
  const r = pixelRect(b);
  let ink = 0;
  let total = 0;
  for (let y = r.y0; y < r.y1; y++)
    for (let x = r.x0; x < r.x1; x++) {
      total++;
      if (img.data[y * img.width + x] < 128) ink++;
    }
  return { ink, total };
}

/** A holder with the long Norwegian name of the layout rule and ÆØÅ in the employer (tests and bench). */
export const LONG_NAME_HOLDER = {
  category: 'construction',
  givenName: 'Kari',
  familyName: 'Nordmann-Østensen Haugen-Bakkelund',
  orgName: 'Ærlige Åse Byggmesterforretning og Søn AS',
  orgNumber: '974760673',
  cardNumber: '123456789',
  expiry: '2028-06-30',
} as const satisfies CardFrontHolder;

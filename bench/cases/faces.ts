/**
 * Card faces (issue 16, src/faces): laying out a card front and writing its SVG (each op a new
 * name, so the text is measured through resvg as in a batch, not served from the measurement
 * cache), rendering a face to the printer's 1016 x 648 panel (resvg at 300 dpi, threshold, rotate,
 * pack), the card back as a panel, and preparing a 600 x 800 JPEG photo (decode, crop-scale, dither).
 * Every check looks at the output: the name in the SVG, the panel's size and ink, the photo's size.
 */
import type { BenchCase } from '../harness.js';
import { cardFrontLayout, cardFrontSvg, type CardFrontHolder } from '../../src/faces/cardFront.js';
import { backPanel, renderFacePanel } from '../../src/faces/panel.js';
import { facePhoto } from '../../src/faces/photo.js';
import { encodeJpeg } from '../../src/barcode/image.js';
import { LONG_NAME_HOLDER } from '../../test/helpers/faceInk.js';

const HOLDER: CardFrontHolder = LONG_NAME_HOLDER;
const photoJpeg = () => {
  const w = 600;
  const h = 800;
  const d = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) d.set([(x * 255) / w, (y * 255) / h, 128, 255], (y * w + x) * 4);
  return encodeJpeg({ width: w, height: h, data: d }, 90);
};
const ink = (p: { data: Uint8Array }) => p.data.reduce((a, b) => a + (b ? 1 : 0), 0);
let n = 0;

export const cases: BenchCase[] = [
  {
    name: 'card-front/svg',
    fn: () => {
      const familyName = `Nordmann-Østensen Haugen${++n}`;
      return { svg: cardFrontSvg(cardFrontLayout({ ...HOLDER, familyName })), familyName };
    },
    check: (r: { svg: string; familyName: string }) => r.svg.includes(r.familyName.slice(-8)) && r.svg.includes('>BYGG OG ANLEGG</text>'),
    measureAlloc: false,
    mitata: { min_samples: 20, min_cpu_time: 1e9 },
  },
  {
    name: 'card-front/panel',
    setup: () => ({ svg: cardFrontSvg(cardFrontLayout(HOLDER, { photo: photoJpeg() })) }),
    fn: (s: { svg: string }) => renderFacePanel(s.svg),
    check: (p: { data: Uint8Array }) => p.data.length === 1016 * 81 && ink(p) > 5000,
    measureAlloc: false,
    mitata: { min_samples: 10, min_cpu_time: 1e9 },
  },
  {
    name: 'card-back/panel',
    fn: () => backPanel(HOLDER),
    check: (p: { data: Uint8Array }) => p.data.length === 1016 * 81 && ink(p) > 2000,
    measureAlloc: false,
    mitata: { min_samples: 10, min_cpu_time: 1e9 },
  },
  {
    name: 'card-front/photo-600x800-jpeg',
    setup: () => ({ jpeg: photoJpeg() }),
    fn: (s: { jpeg: Uint8Array }) => facePhoto(s.jpeg, 260, 334),
    check: (p: { width: number; height: number }) => p.width === 260 && p.height === 334,
    measureAlloc: false,
    mitata: { min_samples: 10, min_cpu_time: 1e9 },
  },
];

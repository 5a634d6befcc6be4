/**
 * The card front (src/faces/cardFront.ts) checked on its pixels: rendered by resvg onto the printer
 * panel at 300 dpi, each text drawn alone, and every ink dot must lie in that text's box (grown by
 * one dot for anti-aliased edges). Names of 1..80 characters, Norwegian letters included. Also: the
 * boxes stay on the card and apart; the category banner tells construction from cleaning without
 * colour; the photo sits in its box.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cardFrontLayout, cardFrontSvg, type CardFrontHolder, type FrontField } from '../../../src/faces/cardFront.js';
import { renderFaceImage } from '../../../src/faces/panel.js';
import { inkInside, inkOutside, LONG_NAME_HOLDER, type MmBox } from '../../helpers/faceInk.js';
import { encodePng } from '../../../src/barcode/image.js';

/** A 90 x 120 photo: left half black, right half white. */
const PHOTO = encodePng({ width: 90, height: 120, data: Uint8Array.from({ length: 90 * 120 }, (_, i) => (i % 90 < 45 ? 0 : 255)) });

const HOLDER: CardFrontHolder = LONG_NAME_HOLDER;
const FIELDS: FrontField[] = ['title', 'category', 'name', 'employer', 'orgNumber', 'cardNumber', 'expiry'];

function fieldInkOutside(h: CardFrontHolder, fields: FrontField[]) {
  const layout = cardFrontLayout(h, { photo: PHOTO });
  const img = renderFaceImage(cardFrontSvg(layout, fields));
  return { layout, img, outside: inkOutside(img, fields.map((f) => layout.boxes[f])) };
}

const overlaps = (a: MmBox, b: MmBox) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('card front layout', () => {
  it('the long Norwegian name wraps as a person would, and no text of the face leaves its box on the raster', () => {
    const { layout, img, outside } = fieldInkOutside(HOLDER, FIELDS);
    expect(layout.texts.name.lines.map((l) => l.text)).toEqual(['Kari Nordmann-Østensen', 'Haugen-Bakkelund']);
    expect(outside).toEqual({ count: 0, first: undefined });
    // And every text drew something inside its box (the banner's words are paper white here: construction).
    for (const f of FIELDS.filter((x) => x !== 'title' && x !== 'category')) expect(inkInside(img, layout.boxes[f]).ink, f).toBeGreaterThan(20);
  });

  it('boxes stay on the card (3 mm margin) and do not overlap one another; the texts of the banner sit inside it', () => {
    for (const photo of [false, true]) {
      const layout = cardFrontLayout(HOLDER, photo ? { photo: PHOTO } : {});
      const { banner, photo: pbox, ...texts } = layout.boxes;
      const all: [string, MmBox][] = [['banner', banner], ...(pbox ? [['photo', pbox] as [string, MmBox]] : []), ...Object.entries(texts).filter(([k]) => k !== 'title' && k !== 'category')];
      for (const [k, b] of all) {
        expect(b.x, k).toBeGreaterThanOrEqual(3 - 1e-9);
        expect(b.y, k).toBeGreaterThanOrEqual(3 - 1e-9);
        expect(b.x + b.w, k).toBeLessThanOrEqual(85.6 - 3 + 1e-9);
        expect(b.y + b.h, k).toBeLessThanOrEqual(53.98 - 3 + 1e-9);
      }
      for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) expect(overlaps(all[i][1], all[j][1]), `${all[i][0]} / ${all[j][0]}`).toBe(false);
      for (const f of ['title', 'category'] as const) {
        const b = layout.boxes[f];
        expect(b.x >= banner.x && b.y >= banner.y && b.x + b.w <= banner.x + banner.w && b.y + b.h <= banner.y + banner.h, f).toBe(true);
      }
      expect(overlaps(layout.boxes.title, layout.boxes.category)).toBe(false);
    }
  });

  it('property: names of 1..80 characters and employers of 1..80 never put ink outside their boxes (pixels)', () => {
    const ch = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅWMé-  '.split(''));
    const words = (max: number) => fc.array(ch, { minLength: 1, maxLength: max, size: 'max' }).map((a) => a.join('').trim().replace(/ +/g, ' ')).filter((s) => s.length > 0);
    fc.assert(
      fc.property(words(39), words(40), words(80), (given, family, org) => {
        fc.pre(given.length + 1 + family.length <= 80);
        const h = { ...HOLDER, givenName: given, familyName: family, orgName: org };
        const { layout, outside } = fieldInkOutside(h, ['name', 'employer']);
        expect(outside.count, `${given} ${family} / ${org}: ${JSON.stringify(layout.texts.name)} first ${outside.first}`).toBe(0);
      }),
      { numRuns: 15 },
    );
  });

  it('long names shrink, then wrap; an 80-character name still fits', () => {
    const sizes = ['Ola', 'Ola Nordmann-Østensen', 'Ola Nordmann-Østensen Haugen-Bakkelund Johansen', `Ola ${'Å'.repeat(35)} ${'Ø'.repeat(40)}`].map((n) => {
      const [given, ...rest] = n.split(' ');
      return cardFrontLayout({ ...HOLDER, givenName: given, familyName: rest.join(' ') || 'X' }, { photo: PHOTO }).texts.name;
    });
    expect(sizes.map((s) => s.lines.length)).toEqual([1, 1, 2, 2]);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i].size).toBeLessThan(sizes[i - 1].size);
    expect(sizes[3].belowMinimum).toBe(true);
  });

  it('the category is marked without colour: a solid banner for construction, an outlined one for cleaning, and its word', () => {
    const share = (category: CardFrontHolder['category']) => {
      const layout = cardFrontLayout({ ...HOLDER, category });
      const img = renderFaceImage(cardFrontSvg(layout));
      const { ink, total } = inkInside(img, layout.boxes.banner);
      return { share: ink / total, words: layout.texts.category.lines.map((l) => l.text).join(' '), img, layout };
    };
    const c = share('construction');
    const r = share('cleaning');
    expect(c.words).toBe('BYGG OG ANLEGG');
    expect(r.words).toBe('RENHOLD');
    expect(c.share).toBeGreaterThan(0.7);
    expect(r.share).toBeLessThan(0.3);
    // The word is visible: black on paper for cleaning; paper-white holes in the black for construction.
    const box = (x: typeof c) => inkInside(x.img, x.layout.boxes.category);
    expect(box(r).ink).toBeGreaterThan(500);
    expect(box(c).total - box(c).ink).toBeGreaterThan(500);
    expect(inkInside(renderFaceImage(cardFrontSvg(r.layout, ['category'])), r.layout.boxes.category).ink).toBe(box(r).ink);
  });

  it('refuses a category the face does not know, with a typed error', () => {
    expect(() => cardFrontLayout({ ...HOLDER, category: 'void' as never })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});


/**
 * src/faces/textFit.ts: a text is set into its box by measuring it with the face it is drawn in
 * (DejaVu Sans through resvg). The rule under test: the largest size up to maxSize on one line;
 * below minSize it wraps onto two lines at a space (most even lines, the given/family break when
 * close), at a hyphen only when no space will do, inside a word only as a last resort; ink never
 * leaves the box. The ink boxes here are the layout's; cardFront.test.ts checks the pixels.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fitText, type Box } from '../../../src/faces/textFit.js';
import { Resvg } from '@resvg/resvg-js';
import { faceFontOptions, measureInk } from '../../../src/faces/font.js';

const BOX: Box = { x: 28, y: 14, w: 54.6, h: 10.5 };
const NAME = { maxSize: 4.2, minSize: 2.8, bold: true } as const;

const inside = (ink: Box, box: Box) => ink.x >= box.x && ink.y >= box.y && ink.x + ink.w <= box.x + box.w && ink.y + ink.h <= box.y + box.h;

describe('measuring with the face', () => {
  it('outlines scale linearly with the size (so one measurement serves every size)', () => {
    // resvg asked directly at 3 and 40 units, independent of measureInk's reference size.
    const bbox = (size: number) =>
      new Resvg(`<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><text x="0" y="0" font-size="${size}" font-family="DejaVu Sans">Kari Nordmann-Østensen</text></svg>`, faceFontOptions()).getBBox()!;
    const [a, b] = [bbox(3), bbox(40)];
    expect(b.width / a.width).toBeCloseTo(40 / 3, 3);
    expect(b.y / a.y).toBeCloseTo(40 / 3, 3);
    const m = measureInk('Kari Nordmann-Østensen');
    expect(m.x1 - m.x0).toBeCloseTo(a.width / 3, 4);
  });

  it('ÆØÅ are measured as their own glyphs, wider than the ASCII letters they are often folded to', () => {
    const w = (s: string) => measureInk(s, true).x1 - measureInk(s, true).x0;
    expect(w('Æ')).toBeGreaterThan(w('E'));
    expect(w('ÆØÅ')).toBeGreaterThan(w('EOA'));
    // Å's ring rises above the cap height of A.
    expect(measureInk('Å').y0).toBeLessThan(measureInk('A').y0 - 0.1);
  });

  it('kerning is applied: "AV" is narrower than "A" and "V" side by side', () => {
    const w = (s: string) => measureInk(s).x1 - measureInk(s).x0;
    expect(w('AV')).toBeLessThan(w('A') + w('V'));
  });
});

describe('fitText', () => {
  it('a short name keeps the largest size on one line', () => {
    const t = fitText('Åse Ødegård', BOX, NAME);
    expect(t.size).toBe(4.2);
    expect(t.lines.map((l) => l.text)).toEqual(['Åse Ødegård']);
  });

  it('a longer name shrinks on one line before it wraps', () => {
    const t = fitText('Kari Nordmann-Østensen Haugen', BOX, NAME);
    expect(t.lines).toHaveLength(1);
    expect(t.size).toBeLessThan(4.2);
    expect(t.size).toBeGreaterThanOrEqual(2.8);
  });

  it('"Kari Nordmann-Østensen Haugen-Bakkelund" wraps at a space into even lines, at a larger size than one line allows', () => {
    const one = fitText('Kari Nordmann-Østensen Haugen-Bakkelund', BOX, { ...NAME, maxLines: 1 });
    expect(one.size).toBeLessThan(2.8);
    const t = fitText('Kari Nordmann-Østensen Haugen-Bakkelund', BOX, NAME);
    expect(t.lines.map((l) => l.text)).toEqual(['Kari Nordmann-Østensen', 'Haugen-Bakkelund']);
    expect(t.size).toBeGreaterThan(one.size);
    expect(t.belowMinimum).toBe(false);
  });

  it('the break between given and family name wins when it costs little', () => {
    // "Anne Kristine" + "Haugen-Bakkelund Berg": the most even break is after "Kristine Haugen-Bakkelund"?
    // no: the given/family break is within 5 % of the best size, so a person's break is taken.
    const text = 'Anne Kristine Johansen-Haugen Bakkelund';
    const free = fitText(text, BOX, NAME);
    const pref = fitText(text, BOX, { ...NAME, preferBreak: 'Anne Kristine'.length });
    expect(pref.lines[0].text).toBe('Anne Kristine');
    expect(pref.size).toBeGreaterThanOrEqual(0.95 * free.size);
  });

  it('a hyphen breaks only when no space does', () => {
    const t = fitText('Nordmann-Østensen-Haugen-Bakkelund', { ...BOX, w: 40 }, NAME);
    expect(t.lines.map((l) => l.text)).toEqual(['Nordmann-Østensen-', 'Haugen-Bakkelund']);
    expect(t.belowMinimum).toBe(false);
    // With a space in it, the space is the break, though a hyphen break would be more even.
    const s = fitText('Nordmann-Østensen-Haugen Bakkelund', BOX, NAME);
    expect(s.lines.map((l) => l.text)).toEqual(['Nordmann-Østensen-Haugen', 'Bakkelund']);
  });

  it('one long word breaks inside as a last resort, and still fits', () => {
    const word = 'W'.repeat(80);
    const t = fitText(word, BOX, NAME);
    expect(t.lines.map((l) => l.text).join('')).toBe(word);
    expect(t.belowMinimum).toBe(true);
    for (const l of t.lines) expect(inside(l.ink, BOX)).toBe(true);
  });

  it('maxLines 1 only shrinks', () => {
    const t = fitText('Gyldig til 30.06.2028 og litt til', { x: 0, y: 0, w: 20, h: 3.6 }, { maxSize: 2.7, minSize: 2, maxLines: 1 });
    expect(t.lines).toHaveLength(1);
    expect(t.belowMinimum).toBe(true);
  });

  it('anchor end puts the ink flush right', () => {
    const t = fitText('RENHOLD', { x: 31, y: 4.2, w: 49.6, h: 5.6 }, { maxSize: 4.4, minSize: 2.5, bold: true, maxLines: 1, anchor: 'end' });
    const ink = t.lines[0].ink;
    expect(31 + 49.6 - (ink.x + ink.w)).toBeLessThan(0.02);
  });

  it('property: any text of 1..80 characters (Norwegian letters, hyphens, spaces, wide letters) has its ink inside the box', () => {
    const ch = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅWMéü-  \''.split(''));
    const text = fc.array(ch, { minLength: 1, maxLength: 80, size: 'max' }).map((a) => a.join('').trim()).filter((s) => s.length > 0);
    fc.assert(
      fc.property(text, fc.boolean(), (s, bold) => {
        const t = fitText(s, BOX, { ...NAME, bold });
        expect(t.lines.length).toBeLessThanOrEqual(2);
        for (const l of t.lines) expect(inside(l.ink, BOX), `${JSON.stringify(l.text)} at ${t.size}`).toBe(true);
        // Nothing lost: the lines are the text, broken at one place.
        expect(t.lines.map((l) => l.text).join(' ').replace(/\s+/g, '')).toBe(s.replace(/\s+/g, ''));
        expect(t.belowMinimum).toBe(t.size < NAME.minSize);
      }),
      { numRuns: 100 },
    );
  });
});

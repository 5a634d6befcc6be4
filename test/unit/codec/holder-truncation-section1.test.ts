/**
 * Spec section 1, the text area: UTF-8 byte lengths, and the truncation algorithm run "exactly" —
 * against a reference written here from the spec's sentence (code points from the string iterator,
 * lengths from TextEncoder), on random texts mixing 1-, 2-, 3- and 4-byte code points.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { truncateTexts, utf8Length, validateHolder } from '../../../src/codec/holder.js';
import { HmskError } from '../../../src/codec/errors.js';

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s).length;

/**
 * Section 1: "while the total exceeds 116 bytes, remove the last code point of the longest field in
 * bytes (ties: org name before given name before family name); then strip trailing U+0020 spaces
 * from every field; if a field became empty, fail with TOO_LONG".
 */
function reference(org: string, given: string, family: string): [string, string, string] | 'TOO_LONG' {
  const f = [[...org], [...given], [...family]];
  const len = (i: number) => bytes(f[i].join(''));
  while (len(0) + len(1) + len(2) > 116) {
    let i = 0;
    for (const j of [1, 2]) if (len(j) > len(i)) i = j;
    f[i].pop();
  }
  const out = f.map((cps) => cps.join('').replace(/ +$/, '')) as [string, string, string];
  return out.some((s) => s === '') ? 'TOO_LONG' : out;
}

// One code point of each UTF-8 length, and spaces (which the final strip removes).
const codePoint = fc.constantFrom('a', 'Z', ' ', 'æ', 'Ø', 'ß', '€', '中', 'ｱ', '😀', '𝄞', '\u{10000}', '\u{10FFFF}');
const text = (max: number) => fc.array(codePoint, { minLength: 1, maxLength: max, size: 'max' }).map((a) => a.join(''));

describe('utf8Length', () => {
  it('is the length TextEncoder gives, for every mix of 1- to 4-byte code points', () => {
    fc.assert(fc.property(text(80), (s) => {
        expect(utf8Length(s)).toBe(bytes(s));
      }), { numRuns: 500 });
  });
  it('at the boundaries of each length', () => {
    for (const cp of [0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xffff, 0x10000, 0x10ffff]) {
      const s = String.fromCodePoint(cp);
      expect(utf8Length(s), cp.toString(16)).toBe(bytes(s));
    }
  });
});

describe('truncateTexts: the algorithm of section 1', () => {
  it('agrees with the reference on random texts', () => {
    fc.assert(
      fc.property(text(70), text(70), text(70), (org, given, family) => {
        const want = reference(org, given, family);
        let got: [string, string, string] | 'TOO_LONG';
        try {
          got = truncateTexts(org, given, family);
        } catch (e) {
          if (!(e instanceof HmskError) || e.code !== 'TOO_LONG') throw e;
          got = 'TOO_LONG';
        }
        expect(got).toEqual(want);
      }),
      { numRuns: 1000 },
    );
  });
  it('removes whole code points at the end: a 4-byte one goes in one step', () => {
    const org = 'a'.repeat(58);
    const given = 'b'.repeat(55) + '😀'; // 59 bytes: the longest, loses the emoji whole
    const [o, g, f] = truncateTexts(org, given, 'c');
    expect([o, g, f]).toEqual([org, 'b'.repeat(55), 'c']);
    expect(bytes(o + g + f)).toBeLessThanOrEqual(116);
  });
  it('ties go to the org name, then the given name', () => {
    expect(truncateTexts('o'.repeat(40), 'g'.repeat(40), 'f'.repeat(40))).toEqual(['o'.repeat(38), 'g'.repeat(39), 'f'.repeat(39)]);
  });
});

describe('validateHolder refuses unknown fields', () => {
  it('names the field (at most 40 characters of it)', () => {
    const h = { category: 'construction', cardNumber: '123456', orgNumber: '974760673', orgName: 'A', givenName: 'B', familyName: 'C', birthDate: '1985-04-17', gender: 'F', expiry: '2028-06-30', issue: 0 };
    expect(() => validateHolder(h)).not.toThrow();
    const long = 'x'.repeat(50);
    try {
      validateHolder({ ...h, [long]: 1 });
      expect.unreachable();
    } catch (e) {
      expect([(e as HmskError).code, (e as HmskError).where.field]).toEqual(['INVALID_ARGUMENT', long]);
      expect((e as HmskError).message).toContain(`"${'x'.repeat(40)}"`);
      expect((e as HmskError).message).not.toContain('x'.repeat(41));
    }
  });
});

/**
 * fast-check arbitraries for spec section 1 holders and section 2 records, shared by the property
 * tests. Valid holders are built from the rules of section 1 (not from the validator), with texts
 * drawn from pieces that exercise the encoder: 1- to 4-byte UTF-8, decomposed input that NFC
 * composes, inner spaces, lengths well past the 116-byte area (for truncation).
 */
import fc from 'fast-check';
import { orgCheckDigit } from '../../src/codec/checkDigits.js';
import { civilToDays, daysToIso } from '../../src/codec/dates.js';
import type { HolderInput } from '../../src/codec/types.js';

const PIECES = ['a', 'Z', 'k', 'æ', 'Ø', 'å', 'ß', 'Ł', ' ', '-', "'", '.', '山', '€', '😀', 'e\u0301', 'A\u030A', '\u00A0', 'ŉ', '\u{10400}'];

/** A text that passes section 1's text rules (no edge white space, no rejected category). */
export const validText = (maxPieces = 40): fc.Arbitrary<string> =>
  fc
    .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: maxPieces })
    .map((p) => p.join(''))
    .filter((s) => !/^\p{White_Space}|\p{White_Space}$/u.test(s.normalize('NFC')));

/** 8 digits whose mod-11 check digit exists, plus that digit. */
export const orgNumber: fc.Arbitrary<string> = fc
  .integer({ min: 0, max: 99_999_999 })
  .map((n) => String(n).padStart(8, '0'))
  .filter((d) => orgCheckDigit(d) >= 0)
  .map((d) => d + orgCheckDigit(d));

const dateIn = (y0: number, m0: number, d0: number, y1: number, m1: number, d1: number) =>
  fc.integer({ min: civilToDays(y0, m0, d0), max: civilToDays(y1, m1, d1) }).map(daysToIso);

/** 1 ..= 999 999 999 999, sometimes with leading zeros up to 12 digits. */
export const cardNumber: fc.Arbitrary<string> = fc
  .tuple(fc.oneof(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1, max: 999_999_999_999 }), fc.constant(999_999_999_999)), fc.integer({ min: 0, max: 12 }))
  .map(([n, w]) => String(n).padStart(w, '0'));

export const validHolder = (maxPieces = 40): fc.Arbitrary<HolderInput> =>
  fc.record({
    category: fc.constantFrom('construction' as const, 'cleaning' as const),
    cardNumber,
    orgNumber,
    orgName: validText(maxPieces),
    givenName: validText(maxPieces),
    familyName: validText(maxPieces),
    birthDate: dateIn(1900, 1, 1, 2079, 6, 6),
    gender: fc.constantFrom('M' as const, 'F' as const, 'X' as const),
    expiry: dateIn(2000, 1, 1, 2099, 12, 31),
    issue: fc.integer({ min: 0, max: 255 }),
  });

/** Byte mutations: set `value` at `at` (positions past the end are ignored by `mutate`). */
export const mutations = fc.array(fc.record({ at: fc.integer({ min: 0, max: 143 }), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 0, maxLength: 4 });

export function mutate(bytes: Uint8Array, muts: { at: number; value: number }[]): Uint8Array {
  const b = bytes.slice();
  for (const m of muts) if (m.at < b.length) b[m.at] = m.value;
  return b;
}

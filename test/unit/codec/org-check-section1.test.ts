/**
 * The organisation-number mod-11 check (spec section 1), its one implementation (isValidOrgValue, on an
 * integer, pair tables, src/codec/orgNumber.ts) against published organisation numbers and, through
 * the string entry of the holder validation (isValidOrgNumber), over random and edge values.
 *
 * Published numbers (Brønnøysund Register Centre, brreg.no): 974760673 Brønnøysundregistrene,
 * 923609016 Equinor ASA. Worked by hand for 974760673: 9*3+7*2+4*7+7*6+6*5+0*4+6*3+7*2 = 173,
 * 173 mod 11 = 8, 11 - 8 = 3 = the ninth digit.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isValidOrgValue } from '../../../src/codec/orgNumber.js';
import { isValidOrgNumber } from '../../../src/codec/checkDigits.js';

describe('organisation number mod-11 (section 1), integer fast path', () => {
  it('accepts published organisation numbers and rejects them with a changed check digit', () => {
    for (const n of [974760673, 923609016]) {
      expect(isValidOrgValue(n)).toBe(true);
      for (let d = 1; d < 10; d++) expect(isValidOrgValue(n - (n % 10) + ((n + d) % 10))).toBe(false);
    }
  });

  it('remainder 1 (check digit would be 10) is never valid; remainder 0 needs check digit 0', () => {
    // 10000000x: digit 1 = 1, weight 3: sum 3, 11 - 3 = 8 -> 100000008 valid.
    expect(isValidOrgValue(100000008)).toBe(true);
    // 40000000x: 4*3 = 12, 12 mod 11 = 1, 11 - 1 = 10: no check digit works.
    for (let c = 0; c < 10; c++) expect(isValidOrgValue(400000000 + c)).toBe(false);
    // 000000000: sum 0, 11 - 0 = 11, which counts as check digit 0.
    expect(isValidOrgValue(0)).toBe(true);
    expect(isValidOrgValue(1000000000)).toBe(false); // 10 digits
  });

  it('agrees with the string check on random and boundary values', () => {
    const pad = (n: number) => String(n).padStart(9, '0');
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 999_999_999 }), fc.constantFrom(0, 9, 10, 99, 100, 999_999, 1_000_000, 99_999_999, 999_999_999)), (n) => {
        expect(isValidOrgValue(n)).toBe(isValidOrgNumber(pad(n)));
      }),
      { numRuns: 20_000 },
    );
  });
});

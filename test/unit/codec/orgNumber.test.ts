/**
 * One organisation-number check (spec section 1; issue 15 item 3): src/codec/orgNumber.ts holds the
 * mod-11 arithmetic, and the string checks (checkDigits.ts) and the allocation-free gate-block
 * decoder reach it. Expected digits are worked by hand from section 1's weights 3 2 7 6 5 4 3 2 and
 * from published numbers (Brønnøysund Register Centre: 974760673, 923609016).
 */
import { describe, expect, it } from 'vitest';
import { relative } from 'node:path';
import { isValidOrgValue, orgCheckDigitOfValue } from '../../../src/codec/orgNumber.js';
import { isValidOrgNumber, orgCheckDigit } from '../../../src/codec/checkDigits.js';
import { SRC as src, codeOf, tsFiles as files } from '../../helpers/sourceText.js';


describe('organisation number mod-11, one implementation', () => {
  it('check digits worked by hand, through the integer and the string entries', () => {
    // 97476067: 9*3+7*2+4*7+7*6+6*5+0*4+6*3+7*2 = 173; 173 mod 11 = 8; 11 - 8 = 3.
    // 92360901: 9*3+2*2+3*7+6*6+0*5+9*4+0*3+1*2 = 126; 126 mod 11 = 5; 11 - 5 = 6.
    // 40000000: 12 mod 11 = 1 -> 10: no check digit. 00000000: 0 -> 11 -> 0. 10000000: 3 -> 8.
    const cases: [string, number][] = [['97476067', 3], ['92360901', 6], ['40000000', -1], ['00000000', 0], ['10000000', 8]];
    for (const [first8, digit] of cases) {
      expect(orgCheckDigitOfValue(Number(first8))).toBe(digit);
      expect(orgCheckDigit(first8)).toBe(digit);
      if (digit >= 0) {
        expect(isValidOrgNumber(first8 + digit)).toBe(true);
        expect(isValidOrgValue(Number(first8 + digit))).toBe(true);
      }
    }
    expect(isValidOrgValue(1_000_000_000)).toBe(false); // 10 digits
  });

  it('no other file of src/ does mod-11 arithmetic or holds the weights', () => {
    const found: string[] = [];
    for (const f of files(src)) {
      const code = codeOf(f);
      if (/%\s*11\b|3,\s*2,\s*7,\s*6,\s*5,\s*4,\s*3,\s*2/.test(code)) found.push(relative(src, f));
    }
    expect(found).toEqual(['codec/orgNumber.ts']);
  });
});

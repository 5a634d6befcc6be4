/**
 * The Norwegian organisation number's mod-11 check digit (spec section 1: weights 3 2 7 6 5 4 3 2 on
 * digits 1-8; 11 - sum mod 11, 11 -> 0, 10 -> no valid number). One implementation, on integers:
 * the string checks of checkDigits.ts and the gate-block decoder (gateBlockDecode.ts, which must
 * allocate nothing) both call it.
 */
import * as Layout from './recordLayout.js';

// An own copy, for speed (the gate-block decoder calls this on every tap): see gateBlockDecode.ts.
const MAX_ORG_NUMBER = Layout.MAX_ORG_NUMBER;

/**
 * Weighted digit pairs: PAIR[w * 100 + p] is the weighted sum of the two-digit number p for weight
 * pair w: 0 = (3, 2) for digits 1-2 and 7-8, 1 = (7, 6) for digits 3-4, 2 = (5, 4) for digits 5-6.
 * Four lookups on four independent divisions replace eight dependent divide-by-ten steps.
 */
const PAIR = (() => {
  const t = new Uint8Array(300);
  const w = [
    [3, 2],
    [7, 6],
    [5, 4],
  ];
  for (let k = 0; k < 3; k++) for (let p = 0; p < 100; p++) t[k * 100 + p] = ((p / 10) | 0) * w[k][0] + (p % 10) * w[k][1];
  return t;
})();

/**
 * The check digit of the 8-digit number `first8` (0 ..= 99 999 999, digits 1-8 of an org number),
 * or -1 when the remainder makes it 10. The caller passes an integer in range.
 */
export function orgCheckDigitOfValue(first8: number): number {
  // <= 99 999 999 < 2^31: int32 arithmetic (`| 0`), integer % and / instead of doubles.
  const d = first8 | 0;
  const sum = PAIR[(d / 1_000_000) | 0] + PAIR[100 + (((d / 10_000) | 0) % 100)] + PAIR[200 + (((d / 100) | 0) % 100)] + PAIR[d % 100];
  const c = 11 - (sum % 11);
  return c === 11 ? 0 : c === 10 ? -1 : c;
}

/** Mod-11 check of an organisation number given as an integer (section 1), no string built. */
export function isValidOrgValue(org: number): boolean {
  if (org > MAX_ORG_NUMBER) return false;
  const x = org | 0;
  return orgCheckDigitOfValue((x / 10) | 0) === x % 10;
}

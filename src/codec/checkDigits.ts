/**
 * Check digits: the Norwegian organisation number's mod-11 digit (spec section 1) and the Luhn
 * digit of ISO/IEC 7812-1 used on the stripe and the barcode (spec sections 4 and 6).
 */

import { argumentError } from './guard.js';
import { orgCheckDigitOfValue } from './orgNumber.js';

/**
 * The mod-11 check digit of the first 8 digits of an organisation number, or -1 when the
 * remainder makes it 10 (no valid number has those 8 digits).
 */
export function orgCheckDigit(first8: string): number {
  if (typeof first8 !== 'string' || !/^[0-9]{8}/.test(first8)) throw argumentError('orgCheckDigit', 'first8', 'a string of 8 digits', first8);
  // The digits as one integer for the single mod-11 implementation (orgNumber.ts).
  let v = 0;
  for (let i = 0; i < 8; i++) v = v * 10 + (first8.charCodeAt(i) - 48);
  return orgCheckDigitOfValue(v);
}

/** True when `s` is 9 ASCII digits whose 9th is the mod-11 check digit of the first 8. */
export function isValidOrgNumber(s: string): boolean {
  if (typeof s !== 'string' || !/^[0-9]{9}$/.test(s)) return false;
  return orgCheckDigit(s) === s.charCodeAt(8) - 48;
}

/** The Luhn check digit to append to a string of decimal digits. */
export function luhnCheckDigit(digits: string): number {
  if (typeof digits !== 'string' || !/^[0-9]*$/.test(digits)) throw argumentError('luhnCheckDigit', 'digits', 'a string of decimal digits', digits);
  let sum = 0;
  // Rightmost payload digit is doubled (it becomes the second from the right once the check is appended).
  for (let i = digits.length - 1, dbl = true; i >= 0; i--, dbl = !dbl) {
    let d = digits.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit of `digitsWithCheck` is the Luhn check digit of the ones before. */
export function isValidLuhn(digitsWithCheck: string): boolean {
  if (typeof digitsWithCheck !== 'string' || !/^[0-9]{2,}$/.test(digitsWithCheck)) return false;
  const body = digitsWithCheck.slice(0, -1);
  return luhnCheckDigit(body) === digitsWithCheck.charCodeAt(digitsWithCheck.length - 1) - 48;
}

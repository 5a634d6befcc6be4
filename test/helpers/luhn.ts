/**
 * The Luhn check digit (ISO/IEC 7812-1 Annex B), written independently of src/codec/checkDigits.ts
 * for tests: from the right of the payload, double every second digit (the one next to the check
 * digit first), add the digits of the products, and take what brings the sum to a multiple of 10.
 */
export function luhn(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

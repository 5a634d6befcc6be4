/**
 * Barcode payload (spec section 6): the 22 digits orgNumber + cardNumber (12, zero-padded) + the
 * Luhn check digit of those 21 digits (the same check digit as on the stripe, section 4).
 */
import { fail } from './errors.js';
import { argumentError, needString } from './guard.js';
import { isValidLuhn, isValidOrgNumber, luhnCheckDigit } from './checkDigits.js';
import { CARD_NUMBER_DIGITS } from './recordLayout.js';

/** The 21 digits orgNumber + 12-digit card number, and their Luhn digit appended (22 digits). */
export function cardDigits(orgNumber: string, cardNumber: string): string {
  if (typeof orgNumber !== 'string' || !/^[0-9]{9}$/.test(orgNumber)) throw argumentError('cardDigits', 'orgNumber', 'a string of 9 digits', orgNumber);
  if (typeof cardNumber !== 'string' || !/^[0-9]{1,12}$/.test(cardNumber)) throw argumentError('cardDigits', 'cardNumber', 'a string of 1 to 12 digits', cardNumber);
  const body = orgNumber + cardNumber.padStart(CARD_NUMBER_DIGITS, '0');
  return body + String(luhnCheckDigit(body));
}

/** The barcode content for a (validated) holder's org number and card number. */
export function barcodePayload(holder: { orgNumber: string; cardNumber: string }): string {
  if (holder === null || typeof holder !== 'object') throw argumentError('barcodePayload', 'holder', 'an object with orgNumber and cardNumber', holder);
  needString('barcodePayload', 'holder.cardNumber', holder.cardNumber);
  return cardDigits(holder.orgNumber, holder.cardNumber.replace(/^0+(?=\d)/, ''));
}

export interface BarcodeFields {
  orgNumber: string;
  /** No leading zeros. */
  cardNumber: string;
}

/**
 * Parses and validates a scanned payload: 22 digits (BAD_FORMAT), Luhn (BAD_CHECK_DIGIT),
 * org-number mod-11 and card number not 0 (BAD_FIELD).
 */
export function parseBarcodePayload(text: string): BarcodeFields {
  needString('parseBarcodePayload', 'text', text);
  if (!/^[0-9]{22}$/.test(text)) fail('BAD_FORMAT', 'barcode payload is not 22 digits', { offset: 0 });
  if (!isValidLuhn(text)) fail('BAD_CHECK_DIGIT', 'barcode Luhn check digit does not match', { offset: 21 });
  const orgNumber = text.slice(0, 9);
  if (!isValidOrgNumber(orgNumber)) fail('BAD_FIELD', 'organisation number fails its mod-11 check', { field: 'orgNumber', offset: 0 });
  const cardNumber = text.slice(9, 21).replace(/^0+/, '');
  if (cardNumber === '') fail('BAD_FIELD', 'card number is 0', { field: 'cardNumber', offset: 9 });
  return { orgNumber, cardNumber };
}

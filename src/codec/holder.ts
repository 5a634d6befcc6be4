/**
 * Holder validation and normalisation (spec section 1). CONTRACT STUB: implemented by the codec work.
 */
import type { Category, Gender, HolderInput } from './types.js';

/** A holder that passed every rule of section 1, normalised (NFC, card number without leading zeros). */
export interface ValidHolder {
  category: Category;
  /** Decimal, no leading zeros. */
  cardNumber: string;
  /** The card number as a number (<= 999 999 999 999 < 2^53, exact). */
  cardNumberValue: number;
  orgNumber: string;
  orgName: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  gender: Gender;
  expiry: string;
  issue: number;
  /** True when the truncation algorithm shortened a text (record flag bit 1). */
  truncated: boolean;
}

/** Validates and normalises; throws HmskError with the spec's INVALID_* / TOO_LONG codes. */
export function validateHolder(input: HolderInput | unknown, opts: { truncate?: boolean } = {}): ValidHolder {
  void input;
  void opts;
  throw new Error('not implemented yet');
}

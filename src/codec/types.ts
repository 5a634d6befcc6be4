/**
 * The data model of an HMS card (spec section 1) and of what the decoders yield (section 2).
 */

export type Category = 'construction' | 'cleaning';
/** A decoded card may also be withdrawn (category nibble 0xF, spec section 2). */
export type CardCategory = Category | 'void';
export type Gender = 'M' | 'F' | 'X';

/** A holder as a caller gives it to the encoder. Validated by `validateHolder` (section 1). */
export interface HolderInput {
  category: Category;
  /** 1 to 12 decimal digits, value 1..999 999 999 999; leading zeros are not significant. */
  cardNumber: string;
  /** 9 digits with the mod-11 check digit. */
  orgNumber: string;
  orgName: string;
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD, 1900-01-01 ..= 2079-06-06. */
  birthDate: string;
  gender: Gender;
  /** YYYY-MM-DD, last day of validity (inclusive), 2000-01-01 ..= 2099-12-31. */
  expiry: string;
  /** Issue number 0..255, default 0. */
  issue?: number;
}

/** The gate-block fields (record bytes 0-15), as a gate decodes them. */
export interface GateFields {
  category: CardCategory;
  /** No leading zeros. */
  cardNumber: string;
  orgNumber: string;
  expiry: string;
  issue: number;
}

/** A fully decoded record (section 2, "Decoded holder, as JSON"). */
export interface DecodedHolder extends GateFields {
  birthDate: string;
  gender: Gender;
  givenName: string;
  familyName: string;
  orgName: string;
  /** Flag bit 0: signature sectors present. */
  signed: boolean;
  /** Flag bit 1: texts were truncated by the encoder. */
  truncated: boolean;
}

export interface EncodeOptions {
  /** Run the truncation algorithm of section 1 instead of failing with TOO_LONG. */
  truncate?: boolean;
  /** Set flag bit 0 (the card carries signature sectors 4-5). */
  signed?: boolean;
}

/**
 * Holder validation and normalisation (spec section 1).
 *
 * Order of checks: the fields one by one in the order of section 1's table (category, cardNumber,
 * orgNumber, orgName, givenName, familyName, birthDate, gender, expiry, issue), each failing with
 * its own code; then the shared 116-byte text area (TOO_LONG, or the truncation algorithm). So a
 * holder with a bad category and a bad date fails with INVALID_CATEGORY, and a holder whose texts
 * are too long and whose expiry is bad fails with INVALID_DATE. A missing or non-string field gives
 * its field's code, never a TypeError.
 *
 * Before the fields, two checks of this library (not of the spec, issue 19 items 9 and 17): the
 * input must be a plain object (else INVALID_ARGUMENT), and every key must be a field of section 1
 * (else INVALID_ARGUMENT naming the key: `"Issue": 3` would otherwise be encoded as issue 0).
 */
import { fail } from './errors.js';
import { argumentError, needString, needOptions } from './guard.js';
import { isValidOrgNumber } from './checkDigits.js';
import { parseIsoDate, civilToDays } from './dates.js';
import { MAX_CARD_NUMBER, MAX_ISSUE, TEXT_AREA_BYTES, TEXT_OFFSET } from './recordLayout.js';
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

// The size of the shared text area (section 2, bytes 24-139) and the card number range are the
// record layout's (recordLayout.ts); re-exported here, where the package root has always had them.
export { MAX_CARD_NUMBER, TEXT_AREA_BYTES } from './recordLayout.js';

/**
 * The longest text accepted at all, in UTF-16 code units, even with truncation: 1024, almost nine
 * times what the whole text area holds. NFC composes at most 3 code units into one (Hangul L+V+T), so
 * such a text is still >= 341 code points, far over 116 bytes: refusing it changes no card, and
 * bounds the work on hostile input (issue 19 item 5: a 128 KB name took 16 s).
 */
export const MAX_TEXT_INPUT = 1024;

/** The fields of section 1, the only keys a holder may have. */
export const HOLDER_FIELDS: readonly string[] = ['category', 'cardNumber', 'orgNumber', 'orgName', 'givenName', 'familyName', 'birthDate', 'gender', 'expiry', 'issue'];
const HOLDER_FIELD_SET = new Set(HOLDER_FIELDS);

/** Date ranges of section 1, as days since 1970-01-01. */
const BIRTH_MIN = civilToDays(1900, 1, 1);
const BIRTH_MAX = civilToDays(2079, 6, 6);
const EXPIRY_MIN = civilToDays(2000, 1, 1);
const EXPIRY_MAX = civilToDays(2099, 12, 31);

/** Unicode White_Space at either end (section 1: "leading or trailing white space"). */
const EDGE_SPACE = /^\p{White_Space}|\p{White_Space}$/u;
/** The general categories section 1 rejects. With the `u` flag a lone surrogate matches \p{Cs}. */
const REJECTED = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;

const utf8 = new TextEncoder();

/** UTF-8 byte length of a well-formed string (no lone surrogates: those are rejected before). */
export function utf8Length(s: string): number {
  needString('utf8Length', 's', s);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4; // a surrogate pair: one supplementary code point, 4 bytes
      i++;
    } else n += 3;
  }
  return n;
}

/** Validates one text field; returns its NFC form. */
function validText(value: unknown, field: string): string {
  if (typeof value !== 'string') fail('INVALID_TEXT', `${field} is not a string`, { field });
  if (value.length > MAX_TEXT_INPUT) fail('TOO_LONG', `${field} is ${value.length} UTF-16 code units; no text over ${MAX_TEXT_INPUT} is accepted, even for truncation (the record holds ${TEXT_AREA_BYTES} bytes)`, { field });
  // Lone surrogates survive normalize() unchanged, so they are still caught by REJECTED below.
  const s = value.normalize('NFC');
  if (s === '') fail('INVALID_TEXT', `${field} is empty`, { field });
  if (EDGE_SPACE.test(s)) fail('INVALID_TEXT', `${field} has leading or trailing white space`, { field });
  const bad = REJECTED.exec(s);
  if (bad) {
    const cp = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    fail('INVALID_TEXT', `${field} contains U+${cp}, a control, format, surrogate, private-use, unassigned or separator character`, { field, offset: bad.index });
  }
  return s;
}

function validDate(value: unknown, field: string, min: number, max: number, range: string): string {
  const days = typeof value === 'string' ? parseIsoDate(value) : undefined;
  if (days === undefined) fail('INVALID_DATE', `${field} is not a real YYYY-MM-DD date`, { field });
  if (days < min || days > max) fail('INVALID_DATE', `${field} ${value as string} is outside ${range}`, { field });
  return value as string;
}

/** UTF-8 length of the code point that ends at index `end` (exclusive) of `s`, and its UTF-16 length. */
function lastCodePoint(s: string, end: number): { bytes: number; units: number } {
  const last = s.charCodeAt(end - 1);
  if (end >= 2 && last >= 0xdc00 && last <= 0xdfff && (s.charCodeAt(end - 2) & 0xfc00) === 0xd800) return { bytes: 4, units: 2 };
  return { bytes: last < 0x80 ? 1 : last < 0x800 ? 2 : 3, units: 1 };
}

/**
 * The truncation algorithm of section 1, exactly: while the total exceeds 116 bytes, remove the last
 * code point of the longest field in bytes (ties: org name, then given name, then family name);
 * then strip trailing U+0020 from every field; an emptied field fails with TOO_LONG.
 * Returns the texts in the order [orgName, givenName, familyName].
 *
 * Linear: each step moves an end index back by one code point and subtracts its UTF-8 length, so
 * no string is rebuilt or measured again inside the loop (it was quadratic, issue 19 item 5).
 */
export function truncateTexts(orgName: string, givenName: string, familyName: string): [string, string, string] {
  needString('truncateTexts', 'orgName', orgName);
  needString('truncateTexts', 'givenName', givenName);
  needString('truncateTexts', 'familyName', familyName);
  const t: [string, string, string] = [orgName, givenName, familyName];
  const len = t.map(utf8Length);
  const end = t.map((x) => x.length);
  while (len[0] + len[1] + len[2] > TEXT_AREA_BYTES) {
    // Index order 0,1,2 is the tie order; strict > keeps the earliest of equal lengths.
    let i = 0;
    if (len[1] > len[i]) i = 1;
    if (len[2] > len[i]) i = 2;
    const cp = lastCodePoint(t[i], end[i]);
    end[i] -= cp.units;
    len[i] -= cp.bytes;
  }
  const names = ['orgName', 'givenName', 'familyName'];
  for (let i = 0; i < 3; i++) {
    let e = end[i];
    while (e > 0 && t[i].charCodeAt(e - 1) === 0x20) e--;
    t[i] = t[i].slice(0, e);
    if (t[i] === '') fail('TOO_LONG', `${names[i]} became empty when the texts were truncated to ${TEXT_AREA_BYTES} bytes`, { field: names[i] });
  }
  return t;
}

/**
 * Objects validateHolder returned. encodeRecord takes these as they are: validating a truncated
 * holder again could fail (truncation may leave a trailing NBSP, which the text rules reject) or
 * lose the truncated flag. Treat a ValidHolder as read-only; a copy of one is validated afresh.
 */
const validated = new WeakSet<object>();

/** True for an object returned by validateHolder. */
export function isValidatedHolder(h: unknown): h is ValidHolder {
  return typeof h === 'object' && h !== null && validated.has(h);
}

/** Validates and normalises; throws HmskError with the spec's INVALID_* / TOO_LONG codes. */
export function validateHolder(input: HolderInput | unknown, opts: { truncate?: boolean } = {}): ValidHolder {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw argumentError('validateHolder', 'holder', 'an object with the fields of section 1', input);
  needOptions('validateHolder', 'opts', opts);
  const h = input as Record<string, unknown>;
  for (const key of Object.keys(h)) {
    if (!HOLDER_FIELD_SET.has(key)) fail('INVALID_ARGUMENT', `validateHolder: unknown holder field ${JSON.stringify(key.slice(0, 40))}; the fields are ${HOLDER_FIELDS.join(', ')}`, { field: key });
  }

  const category = h.category;
  if (category !== 'construction' && category !== 'cleaning') fail('INVALID_CATEGORY', `category must be "construction" or "cleaning"`, { field: 'category' });

  const cn = h.cardNumber;
  if (typeof cn !== 'string' || !/^[0-9]{1,12}$/.test(cn)) fail('INVALID_CARD_NUMBER', 'cardNumber must be 1 to 12 decimal digits', { field: 'cardNumber' });
  const cardNumberValue = Number(cn);
  if (cardNumberValue < 1 || cardNumberValue > MAX_CARD_NUMBER) fail('INVALID_CARD_NUMBER', 'cardNumber must be 1 ..= 999 999 999 999', { field: 'cardNumber' });

  const orgNumber = h.orgNumber;
  if (typeof orgNumber !== 'string' || !isValidOrgNumber(orgNumber)) fail('INVALID_ORG_NUMBER', 'orgNumber must be 9 digits with a valid mod-11 check digit', { field: 'orgNumber' });

  let orgName = validText(h.orgName, 'orgName');
  let givenName = validText(h.givenName, 'givenName');
  let familyName = validText(h.familyName, 'familyName');

  const birthDate = validDate(h.birthDate, 'birthDate', BIRTH_MIN, BIRTH_MAX, '1900-01-01 ..= 2079-06-06');

  const gender = h.gender;
  if (gender !== 'M' && gender !== 'F' && gender !== 'X') fail('INVALID_GENDER', 'gender must be "M", "F" or "X"', { field: 'gender' });

  const expiry = validDate(h.expiry, 'expiry', EXPIRY_MIN, EXPIRY_MAX, '2000-01-01 ..= 2099-12-31');

  const issue = h.issue === undefined ? 0 : h.issue;
  if (typeof issue !== 'number' || !Number.isInteger(issue) || issue < 0 || issue > MAX_ISSUE) fail('INVALID_ISSUE', 'issue must be an integer 0 ..= 255', { field: 'issue' });

  let truncated = false;
  const total = utf8Length(orgName) + utf8Length(givenName) + utf8Length(familyName);
  if (total > TEXT_AREA_BYTES) {
    if (!opts.truncate) fail('TOO_LONG', `the three texts take ${total} bytes of UTF-8, more than ${TEXT_AREA_BYTES}`, { offset: TEXT_OFFSET });
    [orgName, givenName, familyName] = truncateTexts(orgName, givenName, familyName);
    truncated = true;
  }

  const valid: ValidHolder = {
    category,
    cardNumber: String(cardNumberValue),
    cardNumberValue,
    orgNumber,
    orgName,
    givenName,
    familyName,
    birthDate,
    gender,
    expiry,
    issue,
    truncated,
  };
  validated.add(valid);
  return valid;
}

/** The UTF-8 bytes of a text (exported for the record encoder). */
export function encodeUtf8(s: string): Uint8Array {
  needString('encodeUtf8', 's', s);
  return utf8.encode(s);
}

/**
 * Magnetic-stripe track strings of the HMS card (spec section 4, ISO/IEC 7811-2 and 7813):
 * composing tracks 1 and 2 from a validated holder, their LRC character, and the track decoder
 * with the spec's check order. Bit-level coding is in trackBits.ts (re-exported here).
 */
import { fail } from './errors.js';
import { isValidLuhn } from './checkDigits.js';
import { cardDigits } from './barcode.js';
import { parseIsoDate } from './dates.js';
import type { Category } from './types.js';
import type { ValidHolder } from './holder.js';
import { needValidHolder } from './holderGuard.js';
import { needString, needInteger } from './guard.js';
import { charset, charValue, lrcValue, type TrackNumber } from './trackChars.js';
import { track1Name } from './trackName.js';

export type { TrackNumber } from './trackChars.js';
export { trackToBits, decodeTrackBits, type TrackBitsOptions } from './trackBits.js';
export { transliterateName, track1Name } from './trackName.js';

/** What a track decoder yields (section 4). `issue` only from track 2, `name` only from track 1. */
export interface TrackFields {
  orgNumber: string;
  /** No leading zeros. */
  cardNumber: string;
  /** YYYY-MM-DD (the stripe's YYMMDD read as 20YY, the expiry range of section 1). */
  expiry: string;
  category: Category;
  issue?: number;
  name?: string;
}

const CATEGORY_LETTER: Record<Category, string> = { construction: 'B', cleaning: 'R' };
const CATEGORY_DIGIT: Record<Category, string> = { construction: '1', cleaning: '2' };

function needTrack(fn: string, track: unknown): asserts track is TrackNumber {
  needInteger(fn, 'track', track, 1, 2);
}

/** `YYYY-MM-DD` -> `YYMMDD`. */
function yymmdd(iso: string): string {
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}

/**
 * Track 1 with sentinels, without LRC:
 * `%H` + B|R + orgNumber + `^` + FAMILY/GIVEN + `^` + cardNumber(12) + Luhn + YYMMDD + `?`.
 * At most 34 + 26 = 60 characters, within track 1's 79.
 */
export function track1String(holder: ValidHolder): string {
  needValidHolder('track1String', holder);
  const digits = cardDigits(holder.orgNumber, holder.cardNumber);
  return `%H${CATEGORY_LETTER[holder.category]}${holder.orgNumber}^${track1Name(holder.familyName, holder.givenName)}^${digits.slice(9)}${yymmdd(holder.expiry)}?`;
}

/**
 * Track 2 with sentinels, without LRC (36 characters, within track 2's 40):
 * `;` + orgNumber + `=` + cardNumber(12) + Luhn + `=` + YYMMDD + 1|2 + issue(3) + `?`.
 */
export function track2String(holder: ValidHolder): string {
  needValidHolder('track2String', holder);
  const digits = cardDigits(holder.orgNumber, holder.cardNumber);
  return `;${holder.orgNumber}=${digits.slice(9)}=${yymmdd(holder.expiry)}${CATEGORY_DIGIT[holder.category]}${String(holder.issue).padStart(3, '0')}?`;
}

/**
 * The LRC character of a track string from start sentinel to end sentinel (no LRC in `data`):
 * chr(base + XOR of the data values). Throws BAD_FORMAT for a character outside the set.
 */
export function lrcChar(track: TrackNumber, data: string): string {
  needTrack('lrcChar', track);
  needString('lrcChar', 'data', data);
  const cs = charset(track);
  for (let i = 0; i < data.length; i++) {
    if (charValue(cs, data[i]) < 0) fail('BAD_FORMAT', `character ${JSON.stringify(data[i])} is not in the track ${track} character set`, { track, offset: i });
  }
  return String.fromCharCode(cs.base + lrcValue(cs, data));
}

/** Track string with its LRC appended. */
export function withLrc(track: TrackNumber, data: string): string {
  needTrack('withLrc', track);
  needString('withLrc', 'data', data);
  return data + lrcChar(track, data);
}

// Field layouts of section 4 (after the sentinel / LRC checks). Name: 0-26 of A-Z space - ' /.
const TRACK1_LAYOUT = /^%H([BR])([0-9]{9})\^([A-Z '\/-]{0,26})\^([0-9]{12})([0-9])([0-9]{6})\?$/;
const TRACK2_LAYOUT = /^;([0-9]{9})=([0-9]{12})([0-9])=([0-9]{6})([12])([0-9]{3})\?$/;

/** Section 4 check steps 1-2: sentinels, trailing characters, character set, LRC. Returns the string without LRC. */
function checkFrame(track: TrackNumber, data: string): string {
  const cs = charset(track);
  const where = { track };
  if (typeof data !== 'string' || data[0] !== cs.startSentinel) fail('BAD_FORMAT', `track ${track} does not begin with the start sentinel ${cs.startSentinel}`, { track, offset: 0 });
  // The first '?' is the end sentinel: '?' cannot occur inside the data of either track's layout,
  // while the LRC after it may itself be '?' (or any other character of the set).
  const end = data.indexOf(cs.endSentinel, 1);
  if (end < 0) fail('BAD_FORMAT', `track ${track} has no end sentinel ?`, where);
  if (data.length > end + 2) fail('BAD_FORMAT', `track ${track} has ${data.length - end - 1} characters after the end sentinel (at most one, the LRC)`, { track, offset: end + 2 });
  for (let i = 0; i < data.length; i++) {
    if (charValue(cs, data[i]) < 0) fail('BAD_FORMAT', `character ${JSON.stringify(data[i])} is not in the track ${track} character set`, { track, offset: i });
  }
  const body = data.slice(0, end + 1);
  if (data.length === end + 2) {
    const want = String.fromCharCode(cs.base + lrcValue(cs, body));
    if (data[end + 1] !== want) fail('BAD_LRC', `track ${track} LRC is ${JSON.stringify(data[end + 1])}, the data give ${JSON.stringify(want)}`, { track, offset: end + 1 });
  }
  return body;
}

/** Steps after the layout: check digit, then the expiry date and the card number (section 4). */
function checkValues(track: TrackNumber, orgNumber: string, card12: string, check: string, yymmddValue: string, offsets: { card: number; expiry: number }) {
  if (!isValidLuhn(orgNumber + card12 + check)) fail('BAD_CHECK_DIGIT', `track ${track} Luhn check digit ${check} does not match orgNumber + cardNumber`, { track, offset: offsets.card + 12 });
  const expiry = `20${yymmddValue.slice(0, 2)}-${yymmddValue.slice(2, 4)}-${yymmddValue.slice(4, 6)}`;
  if (parseIsoDate(expiry) === undefined) fail('BAD_FORMAT', `track ${track} expiry ${yymmddValue} is not a real date`, { track, offset: offsets.expiry });
  const cardNumber = card12.replace(/^0+/, '');
  if (cardNumber === '') fail('BAD_FORMAT', `track ${track} card number is 0`, { track, offset: offsets.card });
  return { cardNumber, expiry };
}

/**
 * Decodes a track string (with sentinels, with or without the LRC), checking in the order of
 * section 4: frame and character set (BAD_FORMAT), LRC (BAD_LRC), field layout (BAD_FORMAT),
 * Luhn (BAD_CHECK_DIGIT), real expiry date and card number not 0 (BAD_FORMAT).
 */
export function decodeTrack(track: TrackNumber, data: string): TrackFields {
  if (track !== 1 && track !== 2) fail('BAD_FORMAT', `there is no track ${String(track)} in the HMSK format`, {});
  const body = checkFrame(track, data);
  if (track === 1) {
    const m = TRACK1_LAYOUT.exec(body);
    if (!m) fail('BAD_FORMAT', 'track 1 does not have the layout %H<B|R><org 9>^<name>^<card 12><check><YYMMDD>?', { track });
    const [, letter, orgNumber, name, card12, check, exp] = m;
    // '%H' + letter + org 9 + '^' are indices 0-12, the name starts at 13 and its '^' follows it.
    const cardAt = 13 + name.length + 1;
    const { cardNumber, expiry } = checkValues(1, orgNumber, card12, check, exp, { card: cardAt, expiry: cardAt + 13 });
    return { orgNumber, cardNumber, expiry, category: letter === 'B' ? 'construction' : 'cleaning', name };
  }
  const m = TRACK2_LAYOUT.exec(body);
  if (!m) fail('BAD_FORMAT', 'track 2 does not have the layout ;<org 9>=<card 12><check>=<YYMMDD><1|2><issue 3>?', { track });
  const [, orgNumber, card12, check, exp, cat, issueDigits] = m;
  const issue = Number(issueDigits);
  // Issue is an integer 0..255 (section 1); a larger 3-digit value does not fit the layout.
  if (issue > 255) fail('BAD_FORMAT', `track 2 issue ${issueDigits} is above 255`, { track, offset: 32 });
  const { cardNumber, expiry } = checkValues(2, orgNumber, card12, check, exp, { card: 11, expiry: 25 });
  return { orgNumber, cardNumber, expiry, category: cat === '1' ? 'construction' : 'cleaning', issue };
}
